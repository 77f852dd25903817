// Linear → guest-physical translation through a processor's saved page tables, as the MMU walks
// them (Intel SDM vol. 3A, chapter 4): 32-bit paging (4 MiB pages with CR4.PSE), PAE paging, and
// 4- or 5-level paging in long mode, large pages at every level that allows them.
#pragma once

#include <cstdint>
#include <string>

#include "cli/guest_ram.hpp"
#include "model/cpu.hpp"

namespace cptx {

struct Translation {
  std::uint64_t gpa;
  std::uint64_t page_size;  // of the page that maps it: 4 KiB, 2 or 4 MiB, 1 GiB
};

// Throws UsageError when `cpu` (named `who` in messages) does not page, or `linear` is not mapped
// (not canonical, or an entry not present: the message names the level and the entry's address).
Translation translate(const model::Cpu& cpu, std::uint64_t linear, GuestRam& ram, const std::string& who);

}  // namespace cptx
