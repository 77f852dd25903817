// Sequential output for the context writers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace cptx::palacios {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(std::span<const std::uint8_t> bytes) = 0;
};

// Appends to a caller-owned vector.
class VectorSink : public ByteSink {
 public:
  explicit VectorSink(std::vector<std::uint8_t>& out) : out_(out) {}
  void write(std::span<const std::uint8_t> bytes) override { out_.insert(out_.end(), bytes.begin(), bytes.end()); }

 private:
  std::vector<std::uint8_t>& out_;
};

// A file, buffered and sparse: whole zero pages (at page-aligned file offsets) become holes, so
// RAM the guest never wrote takes no disk. By default a new file (mode 0600 like Palacios' own
// context files, §1.3) that must not exist yet: creating exclusively is what keeps two contexts from
// sharing a file; `existing` truncates a file made for it (an AtomicOutput temporary) instead.
// close() flushes and syncs; write errors throw with the system's reason and `shown`, the name the
// user knows the file by (the output's, not its temporary's).
class FileSink : public ByteSink {
 public:
  enum class Open { create, existing };
  FileSink(const std::filesystem::path& path, std::filesystem::path shown, Open how = Open::create);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  void write(std::span<const std::uint8_t> bytes) override;
  void close();

 private:
  void flush(bool end);
  void write_all(std::span<const std::uint8_t> bytes);

  std::filesystem::path shown_;
  int fd_ = -1;
  std::vector<std::uint8_t> buf_;
  std::uint64_t hole_ = 0;  // zero bytes to skip before the next write
};

}  // namespace cptx::palacios
