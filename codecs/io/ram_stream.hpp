// The model's RAM as one stream of bytes by guest-physical address: the regions' bytes, read from
// their backings, and zeros in the holes between them. Writers of formats that store RAM as one
// image per address range (Palacios memory_img and raw dumps, gem5 memory stores) read it from here.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "codecs/io/region_reader.hpp"
#include "model/machine.hpp"

namespace cptx {

class RamStream {
 public:
  // Starts at guest-physical address `from`, which must not lie inside a region.
  explicit RamStream(const model::Memory& memory, std::uint64_t from = 0);

  // Fills `out` with the next bytes; returns fewer only where the last region ends.
  std::size_t read(std::span<std::uint8_t> out);

  // Reads exactly `out.size()` bytes, zeros past the last region.
  void read_padded(std::span<std::uint8_t> out);

 private:
  const model::Memory& memory_;
  std::size_t next_ = 0;
  std::uint64_t gpa_;
  std::unique_ptr<RegionReader> reader_;
};

}  // namespace cptx
