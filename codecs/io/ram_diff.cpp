#include "codecs/io/ram_diff.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "codecs/io/ram_stream.hpp"
#include "codecs/io/region_reader.hpp"

namespace cptx {

namespace {

// Counts the differing pages of two equally long streams of RAM starting at guest-physical `gpa`;
// `read_a(buf)`/`read_b(buf)` fill buf whole. `first` is the address of the first differing page.
template <class ReadA, class ReadB>
std::uint64_t differing_pages(std::uint64_t gpa, std::uint64_t size, ReadA read_a, ReadB read_b,
                              std::uint64_t& first) {
  std::vector<std::uint8_t> pa(1 << 20), pb(1 << 20);
  std::uint64_t pages = 0;
  for (std::uint64_t offset = 0; offset < size;) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(pa.size(), size - offset));
    read_a(std::span(pa.data(), n));
    read_b(std::span(pb.data(), n));
    for (std::size_t p = 0; p < n; p += model::page_size) {
      const std::size_t len = std::min<std::size_t>(model::page_size, n - p);
      if (!std::equal(pa.begin() + p, pa.begin() + p + len, pb.begin() + p) && !pages++) first = gpa + offset + p;
    }
    offset += n;
  }
  return pages;
}

std::string pages_differ(std::string_view where, std::uint64_t pages, std::uint64_t first) {
  return fmt::format("{}: {} page{} differ, the first at guest-physical 0x{:x}", where, pages, pages == 1 ? "" : "s",
                     first);
}

}  // namespace

std::vector<std::pair<std::uint64_t, std::uint64_t>> ram_map(const model::Memory& memory) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> map;
  for (const auto& r : memory.regions) {
    if (!map.empty() && map.back().second == r.gpa)
      map.back().second += r.size;
    else
      map.emplace_back(r.gpa, r.gpa + r.size);
  }
  return map;
}

std::vector<model::Difference> state_diff(const model::Machine& a, const model::Machine& b) {
  const bool same_ram_map = ram_map(a.memory) == ram_map(b.memory);
  std::vector<model::Difference> out;
  for (auto& d : model::diff(a, b))
    if (!model::names_ram_storage(d.path) && !(same_ram_map && d.path.starts_with("memory.regions")))
      out.push_back(std::move(d));
  return out;
}

std::vector<std::string> diff_ram(const model::Memory& a, const model::Memory& b) {
  std::vector<std::string> out;
  const bool same_regions =
      std::equal(a.regions.begin(), a.regions.end(), b.regions.begin(), b.regions.end(),
                 [](const model::RamRegion& x, const model::RamRegion& y) { return x.gpa == y.gpa && x.size == y.size; });
  if (same_regions) {
    for (std::size_t i = 0; i < a.regions.size(); ++i) {
      const auto& ra = a.regions[i];
      const auto& rb = b.regions[i];
      if (ra.backing == rb.backing) continue;
      RegionReader xa(ra), xb(rb);
      std::uint64_t first = 0;
      const auto fill = [](RegionReader& r) { return [&r](std::span<std::uint8_t> buf) { r.read(buf); }; };
      if (const auto pages = differing_pages(ra.gpa, ra.size, fill(xa), fill(xb), first))
        out.push_back(pages_differ(fmt::format("memory.regions[{}]", i), pages, first));
    }
    return out;
  }
  const auto map = ram_map(a);
  if (map != ram_map(b)) return out;
  for (const auto& [start, end] : map) {
    RamStream xa(a, start), xb(b, start);
    std::uint64_t first = 0;
    const auto fill = [](RamStream& r) { return [&r](std::span<std::uint8_t> buf) { r.read(buf); }; };
    if (const auto pages = differing_pages(start, end - start, fill(xa), fill(xb), first))
      out.push_back(pages_differ(fmt::format("memory [0x{:x}, 0x{:x})", start, end), pages, first));
  }
  return out;
}

}  // namespace cptx
