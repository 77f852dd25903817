// Streaming gzip in constant memory. Checkpoint memory images are gigabytes when inflated but can be a
// few kilobytes compressed, so the reader is told how much output the caller expects and stops with an
// error as soon as the stream would produce more (gzip-bomb protection) instead of inflating it all.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include <zlib.h>

namespace cptx::io {

using ChunkSink = std::function<void(std::span<const std::uint8_t>)>;

struct GzipReadOptions {
  // zlib's gzread passes a file without the gzip magic through unchanged, and some readers (gem5's
  // memory restore) rely on that; allow it only where the format says so.
  bool allow_raw = false;
};

class GzipReader {
 public:
  // `name` is only used in error messages. Producing more than `max_output` bytes is an InputError.
  GzipReader(std::istream& in, std::string name, std::uint64_t max_output, GzipReadOptions options = {});
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Fills up to out.size() (> 0) bytes; returns 0 only at the end of the data. Concatenated gzip
  // members are read as one stream. Throws InputError on corrupt, truncated or oversized input and
  // on trailing bytes after the last member.
  std::size_t read(std::span<std::uint8_t> out);

  std::uint64_t produced() const { return produced_; }
  // Input bytes consumed so far: the offset errors are reported at.
  std::uint64_t consumed() const { return fed_ - zs_.avail_in; }
  bool raw() const { return raw_; }

 private:
  enum class State { header, body, trailer, done };
  void refill();
  bool have(std::size_t n);  // whether n input bytes are buffered, refilling if need be
  void skip_input(std::size_t n);
  std::size_t read_raw(std::span<std::uint8_t> out);
  void read_header();
  void read_trailer();
  bool splice_zeros();
  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void truncated() const;

  std::istream& in_;
  std::string name_;
  std::uint64_t max_output_;
  std::vector<std::uint8_t> buf_;
  z_stream zs_{};
  std::uint64_t fed_ = 0;
  std::uint64_t produced_ = 0;
  State state_ = State::header;
  std::uint32_t crc_ = 0;           // of the member's data so far
  std::uint64_t member_size_ = 0;   // its length so far
  std::uint64_t zeros_ = 0;         // spliced zeros not yet handed out
  bool at_block_ = false;           // inflating stopped at a byte-aligned block boundary
  bool in_eof_ = false;
  bool raw_ = false;
};

// Inflates a whole stream into `sink` in bounded chunks; the output must be exactly `expected_size`
// bytes (shorter or longer is an InputError naming the file and offset).
void gunzip_exact(std::istream& in, const std::string& name, std::uint64_t expected_size, const ChunkSink& sink,
                  GzipReadOptions options = {});
void gunzip_file_exact(const std::filesystem::path& file, std::uint64_t expected_size, const ChunkSink& sink,
                       GzipReadOptions options = {});

// Writes one gzip member with the minimal header (no name, mtime 0, OS Unix), as zlib's gzwrite does,
// compressing on `jobs` threads (1: the caller's alone). The data is deflated in blocks of 1 MiB, each
// primed with the 32 KiB before it and ended on a byte boundary (as pigz does), so the member is one
// ordinary deflate stream that any gzip reader inflates, and it compresses nearly as well as deflating
// it whole; the blocks' CRC-32s are combined in order.
class GzipWriter {
 public:
  GzipWriter(std::ostream& out, std::string name, int level = Z_DEFAULT_COMPRESSION, unsigned jobs = 1);
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  void write(std::span<const std::uint8_t> data);
  // Guest memory is mostly zero pages: long runs are spliced in as a precompressed block instead of
  // being deflated byte by byte.
  void write_zeros(std::uint64_t count);
  // Ends the stream (trailer with CRC-32 and length); nothing may be written afterwards.
  void finish();

  std::uint64_t written() const { return size_; }

  struct Block {
    std::vector<std::uint8_t> deflated;
    std::uint32_t crc = 0;
    std::uint64_t size = 0;
  };

 private:
  void submit();
  void drain(std::size_t keep);
  void put(const std::uint8_t* data, std::size_t n);

  std::ostream& out_;
  std::string name_;
  int level_;
  unsigned jobs_;
  std::vector<std::uint8_t> pending_;     // input not yet in a block
  std::vector<std::uint8_t> dictionary_;  // the last 32 KiB before it
  std::deque<std::future<Block>> in_flight_;
  std::uint64_t size_ = 0;
  std::uint32_t crc_ = 0;
  bool finished_ = false;
};

}  // namespace cptx::io
