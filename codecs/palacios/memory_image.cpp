#include "codecs/palacios/memory_image.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/text.hpp"
#include "model/machine.hpp"

namespace cptx::palacios {

namespace {
constexpr std::size_t kChunk = 64 * 1024;

std::vector<std::uint8_t> le_bytes(std::uint64_t v, std::size_t width) {
  std::vector<std::uint8_t> b(width);
  for (std::size_t i = 0; i < width; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return b;
}

std::string region_tag(std::uint32_t i) { return fmt::format("memory_img{}", i); }

std::uint64_t small_value(EntryReader& in, const EntryInfo& e, std::string_view tag, std::size_t size) {
  const Location at{in.file(), e.offset, e.line, io::printable(e.tag)};
  if (e.tag != tag) throw InputError(at, fmt::format("expected entry {} of {} bytes", tag, size));
  if (in.value_size() != size) throw InputError(at, fmt::format("expected {} bytes", size));
  const auto v = in.read_value(size);
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < size; ++i) x |= std::uint64_t{v[i]} << (8 * i);
  return x;
}
}  // namespace

std::uint32_t regions_for(std::uint64_t bytes, std::uint64_t region_size) {
  if (region_size == 0) throw UsageError("memory region size must not be 0");
  const std::uint64_t n = bytes / region_size + (bytes % region_size != 0);
  if (n > std::numeric_limits<std::uint32_t>::max())
    throw UsageError(fmt::format("{} bytes need {} regions of {} bytes, more than a u32 counts", bytes, n, region_size));
  return static_cast<std::uint32_t>(n);
}

void write_memory_image(EntryWriter& out, const MemoryLayout& layout, const RawReadFn& read_raw,
                        const std::string& raw_name) {
  if (layout.region_size == 0) throw UsageError("memory region size must not be 0");
  out.put("region_size", le_bytes(layout.region_size, 8));
  out.put("num_regions", le_bytes(layout.num_regions, 4));
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(std::min<std::uint64_t>(layout.region_size, kChunk)));
  bool at_end = false;
  for (std::uint32_t i = 0; i < layout.num_regions; ++i) {
    out.begin_entry(region_tag(i), layout.region_size);
    for (std::uint64_t left = layout.region_size; left > 0;) {
      auto chunk = std::span(buf).first(static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size())));
      const std::size_t got = at_end ? 0 : read_raw(chunk);
      at_end = at_end || got < chunk.size();
      std::fill(chunk.begin() + static_cast<std::ptrdiff_t>(got), chunk.end(), 0);
      out.write(chunk);
      left -= chunk.size();
    }
    out.end_entry();
  }
  std::array<std::uint8_t, 1> extra{};
  if (!at_end && read_raw(extra) != 0)
    throw InputError({raw_name, layout.region_size * layout.num_regions, {}, {}},
                     fmt::format("raw memory dump longer than {} regions of {} bytes", layout.num_regions,
                                 layout.region_size));
}

MemoryLayout read_memory_layout(EntryReader& in) {
  auto need = [&](std::string_view tag, std::size_t size) {
    const auto e = in.next();
    if (!e) throw InputError({in.file(), std::nullopt, std::nullopt, std::string(tag)}, "missing entry");
    return std::pair{*e, small_value(in, *e, tag, size)};
  };
  const auto [rs_entry, region_size] = need("region_size", 8);
  const auto [nr_entry, num_regions] = need("num_regions", 4);
  if (region_size == 0 || region_size % model::page_size != 0)
    throw InputError({in.file(), rs_entry.offset, rs_entry.line, "region_size"},
                     fmt::format("{} is not a positive multiple of the 4096-byte page", region_size));
  if (num_regions > ~std::uint64_t{0} / region_size)
    throw InputError({in.file(), nr_entry.offset, nr_entry.line, "num_regions"}, "guest RAM size overflows 64 bits");
  return {region_size, static_cast<std::uint32_t>(num_regions)};
}

MemoryLayout read_memory_image(EntryReader& in, std::uint32_t max_regions, const RegionFn& region) {
  const MemoryLayout layout = read_memory_layout(in);
  if (layout.num_regions > max_regions)
    throw InputError({in.file(), std::nullopt, std::nullopt, "num_regions"},
                     fmt::format("{} regions; the model holds at most {} RAM regions", layout.num_regions, max_regions));
  for (std::uint32_t i = 0; i < layout.num_regions; ++i) {
    const std::string tag = region_tag(i);
    const auto e = in.next();
    if (!e) throw InputError({in.file(), std::nullopt, std::nullopt, tag}, "missing region entry");
    const Location at{in.file(), e->offset, e->line, io::printable(e->tag)};
    if (e->tag != tag) throw InputError(at, fmt::format("expected entry {} of {} bytes", tag, layout.region_size));
    if (const auto size = in.value_size(); size != layout.region_size)
      throw InputError(at, fmt::format("{} bytes; Palacios loads exactly region_size = {} bytes", size,
                                       layout.region_size));
    region(layout, i, *e);
  }
  if (const auto extra = in.next())
    throw InputError({in.file(), extra->offset, extra->line, io::printable(extra->tag)},
                     "entry after the last memory region");
  return layout;
}

}  // namespace cptx::palacios
