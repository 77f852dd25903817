// Random-access input for the context readers. Positional reads let the textfile reader measure a
// value by scanning ahead and then rewind (§1.5 stores no value length), and let the binary reader
// bound every length by what is left in the file (§1.4).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace cptx::palacios {

class ByteSource {
 public:
  explicit ByteSource(std::string name) : name_(std::move(name)) {}
  virtual ~ByteSource() = default;
  // The file name used in error messages.
  const std::string& name() const { return name_; }
  virtual std::uint64_t size() const = 0;
  // Copies up to out.size() bytes starting at `offset`; returns fewer only at the end.
  virtual std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) = 0;

 private:
  std::string name_;
};

// Bytes already in memory (small contexts, tests, fuzzing). The bytes must outlive the source.
class MemorySource : public ByteSource {
 public:
  MemorySource(std::string name, std::span<const std::uint8_t> bytes) : ByteSource(std::move(name)), bytes_(bytes) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) override;

 private:
  std::span<const std::uint8_t> bytes_;
};

// A regular file opened read-only. Symbolic links are refused rather than followed, so a context
// file can never lead outside its checkpoint directory.
class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::filesystem::path& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  std::uint64_t size() const override { return size_; }
  std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) override;

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// Sequential, buffered reading over a ByteSource, with a movable position.
class SourceCursor {
 public:
  explicit SourceCursor(std::unique_ptr<ByteSource> source);

  ByteSource& source() { return *source_; }
  const std::string& name() const { return source_->name(); }
  std::uint64_t offset() const { return buf_start_ + pos_; }
  std::uint64_t remaining() const { return source_->size() - offset(); }

  // The next byte, or -1 at the end.
  int peek() { return pos_ < buf_.size() || fill() ? buf_[pos_] : -1; }
  void skip() { ++pos_; }  // only after peek() returned a byte
  // The buffered bytes from the current position (empty only at the end); consume with advance().
  std::span<const std::uint8_t> window();
  void advance(std::size_t n) { pos_ += n; }
  // Reads up to out.size() bytes; returns fewer only at the end.
  std::size_t read(std::span<std::uint8_t> out);
  void seek(std::uint64_t offset);

 private:
  bool fill();

  std::unique_ptr<ByteSource> source_;
  std::vector<std::uint8_t> buf_;
  std::uint64_t buf_start_ = 0;
  std::size_t pos_ = 0;
};

}  // namespace cptx::palacios
