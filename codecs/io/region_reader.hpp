// Streams the bytes of a RAM region from wherever its backing says they are, in chunks, with
// constant memory whatever the region's size.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <span>
#include <vector>

#include "codecs/io/zero.hpp"
#include "model/machine.hpp"

namespace cptx {

namespace io {
class GzipReader;
}

// The bytes of a region whose encoding a codec owns (model::Encoding::qemu), read like
// RegionReader::read. The codec registers a factory, so io depends on no codec.
class PagedSource {
 public:
  virtual ~PagedSource() = default;
  virtual std::size_t read(std::span<std::uint8_t> buf) = 0;
};
using PagedSourceFactory = std::unique_ptr<PagedSource> (*)(const model::RamRegion& region);
void register_region_encoding(model::Encoding encoding, PagedSourceFactory factory);

class RegionReader {
 public:
  // Throws InputError if the backing file cannot be opened or is not positioned correctly.
  explicit RegionReader(const model::RamRegion& region);
  ~RegionReader();
  RegionReader(const RegionReader&) = delete;
  RegionReader& operator=(const RegionReader&) = delete;

  // Fills `buf` with the next bytes; returns how many (less than buf.size() only at the end of the
  // region). Throws InputError if the backing ends before the region does or holds a bad hex digit.
  std::size_t read(std::span<std::uint8_t> buf);

  std::uint64_t remaining() const { return remaining_; }

 private:
  const model::RamRegion& region_;
  std::uint64_t remaining_;
  std::ifstream file_;
  std::unique_ptr<io::GzipReader> gzip_;
  std::unique_ptr<PagedSource> paged_;
  std::uint64_t file_pos_ = 0;  // for error messages
  std::vector<char> text_;      // hex digits read, reused from call to call
  // Raw files: a descriptor to find holes with, the size, and the data extent around file_pos_.
  int fd_ = -1;
  std::uint64_t file_size_ = 0, data_at_ = 0, data_end_ = 0;
  bool skipped_ = false;  // file_ is behind file_pos_ after a hole
  io::ZeroPageCounter zero_pages_;  // while a RamTally counts

  void read_raw(std::span<std::uint8_t> out);
  void locate_data();
  [[noreturn]] void truncated() const;
};

}  // namespace cptx
