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

// A new file (mode 0600 like Palacios' own context files, §1.3), buffered. It must not exist yet:
// creating exclusively is what keeps two contexts from sharing a file. close() flushes and syncs;
// write errors throw std::filesystem::filesystem_error.
class FileSink : public ByteSink {
 public:
  explicit FileSink(const std::filesystem::path& path);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  void write(std::span<const std::uint8_t> bytes) override;
  void close();

 private:
  void flush();
  void write_all(std::span<const std::uint8_t> bytes);

  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<std::uint8_t> buf_;
};

}  // namespace cptx::palacios
