// Guest RAM read at any guest-physical address through the regions' streaming readers, never held
// whole: a reader goes forward through its region and is opened again only to go back.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "codecs/io/region_reader.hpp"
#include "model/machine.hpp"

namespace cptx {

class GuestRam {
 public:
  explicit GuestRam(const model::Memory& memory) : memory_(memory) {}

  // Fills `out` with the bytes at [gpa, gpa + out.size()); throws UsageError naming the RAM map if
  // any of them lies outside RAM.
  void read(std::uint64_t gpa, std::span<std::uint8_t> out);

 private:
  const model::Memory& memory_;
  const model::RamRegion* region_ = nullptr;
  std::unique_ptr<RegionReader> reader_;
  std::uint64_t at_ = 0;  // the address the reader is at
};

}  // namespace cptx
