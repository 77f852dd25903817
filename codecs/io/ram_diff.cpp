#include "codecs/io/ram_diff.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "codecs/io/region_reader.hpp"

namespace cptx {

std::vector<std::string> diff_ram(const model::Memory& a, const model::Memory& b) {
  std::vector<std::string> out;
  if (a.regions.size() != b.regions.size()) return out;
  std::vector<std::uint8_t> pa(1 << 20), pb(1 << 20);
  for (std::size_t i = 0; i < a.regions.size(); ++i) {
    const auto& ra = a.regions[i];
    const auto& rb = b.regions[i];
    if (ra.gpa != rb.gpa || ra.size != rb.size || ra.backing == rb.backing) continue;
    RegionReader xa(ra), xb(rb);
    std::uint64_t offset = 0, pages = 0, first = 0;
    while (std::size_t n = xa.read(pa)) {
      xb.read(std::span(pb.data(), n));
      for (std::size_t p = 0; p < n; p += model::page_size) {
        const std::size_t len = std::min<std::size_t>(model::page_size, n - p);
        if (!std::equal(pa.begin() + p, pa.begin() + p + len, pb.begin() + p)) {
          if (!pages++) first = ra.gpa + offset + p;
        }
      }
      offset += n;
    }
    if (pages)
      out.push_back(fmt::format("memory.regions[{}]: {} page{} differ, the first at guest-physical 0x{:x}", i, pages,
                                pages == 1 ? "" : "s", first));
  }
  return out;
}

}  // namespace cptx
