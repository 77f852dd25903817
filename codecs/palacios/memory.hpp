// Guest RAM ↔ the `memory_img` context (§2.2, §4). Reading references each `memory_img<i>` value in
// place (a model RamRegion backed by the context file at the value's offset, raw or hex); writing
// streams the model's regions into regions of `region_size`, contiguous from GPA 0.
#pragma once

#include <filesystem>
#include <vector>

#include "codecs/io/atomic_output.hpp"
#include "codecs/palacios/fields.hpp"
#include "codecs/palacios/memory_image.hpp"
#include "codecs/palacios/store.hpp"

namespace cptx::palacios {

inline constexpr std::uint64_t kDefaultRegionSize = 128ull << 20;  // V3_CONFIG_MEM_BLOCK_SIZE

// The regions of the checkpoint's `memory_img` context in `dir`; the layout goes to `layout`.
std::vector<model::RamRegion> read_memory(const std::filesystem::path& dir, Store store, MemoryLayout& layout);

// Where the model's RAM ends: the end of its last region (Palacios RAM runs from GPA 0 to there).
std::uint64_t ram_end(const model::Memory& memory);

// The base regions of `layout.region_size` that hold the model's RAM: `layout.num_regions` if it is
// not 0 (the target VM's count), else as many as the RAM needs. RAM beyond the target's regions is a
// UsageError.
std::uint32_t regions_for_ram(const model::Memory& memory, MemoryLayout layout);

// Writes the `memory_img` entries for the model's RAM: GPA 0 up to the end of its last region, in
// regions of `layout.region_size`; `layout.num_regions` if it is not 0 (the target VM's count, which
// Palacios requires exactly, §2.7), else as many as the RAM needs. Holes between the model's regions
// become zero-filled RAM (Palacios RAM is contiguous); that and the zero padding at the end are noted
// in `notes`. RAM beyond the target's regions is a UsageError.
void write_memory(EntryWriter& out, const model::Memory& memory, MemoryLayout layout, std::vector<State::Note>& notes);

// A raw dump of guest memory from GPA 0, as `v3_guest_mem_access /dev/v3-vmN read 0 SIZE` writes it
// (§4): the model's RAM, referenced in place (one region; its size must be a whole number of pages).
std::vector<model::RamRegion> read_raw_memory(const std::filesystem::path& raw);

// Writes the model's RAM as such a dump of `size` bytes into `out`'s temporary file (the caller
// commits), holes zero-filled; both are noted in `notes`. RAM beyond `size` is a UsageError.
void write_raw_memory(const model::Memory& memory, AtomicOutput& out, std::uint64_t size, std::vector<State::Note>& notes);

}  // namespace cptx::palacios
