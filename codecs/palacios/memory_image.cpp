#include "codecs/palacios/memory_image.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/palacios/printable.hpp"

namespace cptx::palacios {

namespace {
constexpr std::size_t kChunk = 64 * 1024;

std::vector<std::uint8_t> le_bytes(std::uint64_t v, std::size_t width) {
  std::vector<std::uint8_t> b(width);
  for (std::size_t i = 0; i < width; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return b;
}

std::string region_tag(std::uint32_t i) { return fmt::format("memory_img{}", i); }

// The next entry, which must be `tag`; its position goes into error messages.
EntryInfo expect(EntryReader& in, const std::string& tag) {
  auto info = in.next();
  if (!info) throw InputError({in.file(), {}, {}, tag}, fmt::format("missing entry '{}'", tag));
  if (info->tag != tag)
    throw InputError({in.file(), info->offset, info->line, printable(info->tag)},
                     fmt::format("expected entry '{}'", tag));
  return *info;
}

std::uint64_t read_le(EntryReader& in, const std::string& tag, std::size_t width) {
  const auto info = expect(in, tag);
  const auto v = in.read_value(width);
  if (v.size() != width)
    throw InputError({in.file(), info.offset, info.line, tag},
                     fmt::format("value of {} bytes, expected {}", v.size(), width));
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < width; ++i) x |= std::uint64_t{v[i]} << (8 * i);
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

MemoryLayout read_memory_image(EntryReader& in, const ChunkFn& sink) {
  MemoryLayout layout;
  layout.region_size = read_le(in, "region_size", 8);
  layout.num_regions = static_cast<std::uint32_t>(read_le(in, "num_regions", 4));
  for (std::uint32_t i = 0; i < layout.num_regions; ++i) {
    const std::string tag = region_tag(i);
    const auto info = expect(in, tag);
    // file: states the length up front, so a wrong one fails before any byte reaches the sink.
    const std::uint64_t got = info.size && *info.size != layout.region_size ? *info.size : in.stream_value(sink);
    if (got != layout.region_size)
      throw InputError({in.file(), info.offset, info.line, tag},
                       fmt::format("region of {} bytes, expected region_size {}", got, layout.region_size));
  }
  if (auto extra = in.next())
    throw InputError({in.file(), extra->offset, extra->line, printable(extra->tag)},
                     fmt::format("unexpected entry after {} memory regions", layout.num_regions));
  return layout;
}

}  // namespace cptx::palacios
