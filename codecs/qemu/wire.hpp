// Byte-level access to a QEMU migration stream: big-endian integers (spec §0.1 fact 1), bounded
// reads that name the file and offset of anything malformed, and a buffered writer.
#pragma once

#include <cstdint>
#include <fstream>
#include <span>
#include <string>
#include <vector>

namespace cptx::qemu {

class WireReader {
 public:
  // Throws InputError if `path` cannot be opened.
  explicit WireReader(std::string path);

  std::uint64_t offset() const { return offset_; }
  std::uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // The key path in error messages: the section or field being read.
  void set_context(std::string key) { context_ = std::move(key); }

  std::uint8_t u8();
  std::uint16_t be16();
  std::uint32_t be32();
  std::uint64_t be64();
  std::uint64_t be(unsigned width);
  void bytes(std::span<std::uint8_t> out);
  std::string name();  // u8 length + bytes (idstr, block and subsection names)
  void skip(std::uint64_t n);
  void seek(std::uint64_t off);
  // Next byte without consuming it; -1 at the end of the file.
  int peek();

  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void fail_at(std::uint64_t off, const std::string& what) const;

 private:
  std::string path_, context_;
  std::ifstream file_;  // unbuffered: a seek would throw away its buffer, and skips are most of a scan
  std::uint64_t offset_ = 0, size_ = 0;
  // The file's bytes [window_at_, window_at_ + window_.size()): a skip within them reads nothing.
  std::vector<std::uint8_t> window_;
  std::uint64_t window_at_ = 0;
  void need(std::uint64_t n);
  // Makes the window hold offset_ onwards (as much as the file has, up to its capacity).
  void refill();
};

class WireWriter {
 public:
  // `file` names the output in errors.
  WireWriter(std::ostream& out, std::string file) : out_(out), file_(std::move(file)) {}
  WireWriter(const WireWriter&) = delete;
  WireWriter& operator=(const WireWriter&) = delete;

  void u8(std::uint8_t v) { buf_.push_back(v); maybe_flush(); }
  void be16(std::uint16_t v) { be(v, 2); }
  void be32(std::uint32_t v) { be(v, 4); }
  void be64(std::uint64_t v) { be(v, 8); }
  void be(std::uint64_t v, unsigned width);
  void bytes(std::span<const std::uint8_t> b);
  void name(std::string_view n);  // u8 length + bytes; n must be at most 255 bytes
  // Must be called when done; throws OutputError if the output could not be written.
  void flush();

 private:
  std::ostream& out_;
  std::string file_;
  std::vector<std::uint8_t> buf_;
  void maybe_flush() {
    if (buf_.size() >= (1u << 16)) flush();
  }
};

}  // namespace cptx::qemu
