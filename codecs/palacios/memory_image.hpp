// The `memory_img` context (§2.2, §4) and raw guest-memory dumps: a raw dump of GPA 0.. is the
// concatenation of the `memory_img<i>` values in index order. Both directions stream one region at a
// time, since a region is typically 128 MiB.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "codecs/palacios/entry.hpp"

namespace cptx::palacios {

inline constexpr std::string_view kMemoryContext = "memory_img";

struct MemoryLayout {
  std::uint64_t region_size = 0;  // Palacios' block size B, 128 MiB by default
  std::uint32_t num_regions = 0;
};

// How many regions of `region_size` hold `bytes` (rounded up); throws cptx::UsageError if the count
// does not fit the u32 `num_regions` field or region_size is 0.
std::uint32_t regions_for(std::uint64_t bytes, std::uint64_t region_size);

// Reads up to out.size() bytes of the raw dump; returns fewer only at its end.
using RawReadFn = std::function<std::size_t(std::span<std::uint8_t>)>;

// Writes the entries of the `memory_img` context: `region_size`, `num_regions`, then `memory_img<i>`
// for every region, cut from the raw dump read by `read_raw`. A dump shorter than all regions is
// padded with zeros (as the last region of a guest whose memory is not a multiple of B, §4); a longer
// one is an InputError naming `raw_name`.
void write_memory_image(EntryWriter& out, const MemoryLayout& layout, const RawReadFn& read_raw,
                        const std::string& raw_name);

// The `region_size` and `num_regions` entries that start the context, checked.
MemoryLayout read_memory_layout(EntryReader& in);

// Called with the reader at region `index`'s `memory_img<index>` entry, whose value holds exactly
// `layout.region_size` bytes.
using RegionFn = std::function<void(const MemoryLayout& layout, std::uint32_t index, const EntryInfo& entry)>;

// The one parser of the `memory_img` context: its layout, then `region` for every region in order.
// Entries other than exactly `region_size` (8 bytes), `num_regions` (4 bytes), `memory_img0` … of
// `region_size` bytes each, or more than `max_regions` regions, are an InputError.
MemoryLayout read_memory_image(EntryReader& in, std::uint32_t max_regions, const RegionFn& region);

}  // namespace cptx::palacios
