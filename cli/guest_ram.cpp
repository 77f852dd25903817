#include "cli/guest_ram.hpp"

#include <vector>

#include <fmt/format.h>

#include "codecs/io/error.hpp"

namespace cptx {

namespace {

std::string ram_map(const model::Memory& memory) {
  std::string s;
  for (const auto& r : memory.regions) s += fmt::format("{}{:#x}-{:#x}", s.empty() ? "" : ", ", r.gpa, r.gpa + r.size - 1);
  return s.empty() ? "none" : s;
}

}  // namespace

void GuestRam::read(std::uint64_t gpa, std::span<std::uint8_t> out) {
  while (!out.empty()) {
    const model::RamRegion* r = nullptr;
    for (const auto& region : memory_.regions)
      if (gpa >= region.gpa && gpa - region.gpa < region.size) r = &region;
    if (!r) throw UsageError(fmt::format("guest-physical address {:#x} is not RAM (RAM: {})", gpa, ram_map(memory_)));
    if (r != region_ || gpa < at_) {
      reader_ = std::make_unique<RegionReader>(*r);
      region_ = r;
      at_ = r->gpa;
    }
    std::vector<std::uint8_t> skip(std::min<std::uint64_t>(gpa - at_, 1 << 16));
    while (at_ < gpa) {
      const auto step = static_cast<std::size_t>(std::min<std::uint64_t>(gpa - at_, skip.size()));
      if (reader_->read(std::span(skip).first(step)) != step) throw std::logic_error("a RAM region ended early");
      at_ += step;
    }
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), r->gpa + r->size - gpa));
    const auto n = reader_->read(out.first(want));
    if (n != want) throw std::logic_error("a RAM region ended early");
    at_ += n;
    gpa += n;
    out = out.subspan(n);
  }
}

}  // namespace cptx
