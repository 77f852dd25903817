#include "cli/page_walk.hpp"

#include <fmt/format.h>

#include "codecs/io/error.hpp"

namespace cptx {

namespace {

constexpr std::uint64_t cr0_pg = 1ull << 31, cr4_pse = 1u << 4, cr4_pae = 1u << 5, cr4_la57 = 1u << 12,
                        efer_lma = 1u << 10;
constexpr std::uint64_t present = 1, large = 1u << 7;
constexpr std::uint64_t frame_mask = 0x000ffffffffff000;  // bits 51:12 of a PAE or long-mode entry

std::uint64_t entry_at(GuestRam& ram, std::uint64_t gpa, unsigned bytes) {
  std::uint8_t b[8] = {};
  ram.read(gpa, std::span(b, bytes));
  std::uint64_t v = 0;
  for (unsigned i = bytes; i-- > 0;) v = v << 8 | b[i];
  return v;
}

}  // namespace

Translation translate(const model::Cpu& cpu, std::uint64_t linear, GuestRam& ram, const std::string& who) {
  if (!(cpu.cr.cr0 & cr0_pg))
    throw UsageError(fmt::format("{} is not in paged mode (CR0.PG clear): --virt needs paging; give a physical "
                                 "address without --virt",
                                 who));
  const bool long_mode = cpu.efer & efer_lma, pae = cpu.cr.cr4 & cr4_pae;
  struct Level {
    const char* name;
    unsigned shift, bits;
    bool may_be_large;
  };
  // From the root down: the index of each level is `bits` bits of the address from `shift`.
  std::vector<Level> levels;
  unsigned entry_bytes = 8;
  std::uint64_t table = cpu.cr.cr3 & frame_mask;
  if (long_mode) {
    const bool five = cpu.cr.cr4 & cr4_la57;
    const unsigned width = five ? 57 : 48;
    const std::uint64_t top = linear >> (width - 1);
    if (top != 0 && top != (~std::uint64_t{0} >> (width - 1)))
      throw UsageError(fmt::format("{:#x} is not canonical for {}-level paging: not mapped", linear, five ? 5 : 4));
    if (five) levels.push_back({"PML5E", 48, 9, false});
    levels.insert(levels.end(), {{"PML4E", 39, 9, false}, {"PDPTE", 30, 9, true}, {"PDE", 21, 9, true},
                                 {"PTE", 12, 9, false}});
  } else if (pae) {
    if (linear >> 32) throw UsageError(fmt::format("{:#x} lies above 4 GiB: not mapped by PAE paging", linear));
    table = cpu.cr.cr3 & 0xffffffe0;
    levels = {{"PDPTE", 30, 2, false}, {"PDE", 21, 9, true}, {"PTE", 12, 9, false}};
  } else {
    if (linear >> 32) throw UsageError(fmt::format("{:#x} lies above 4 GiB: not mapped by 32-bit paging", linear));
    table = cpu.cr.cr3 & 0xfffff000;
    entry_bytes = 4;
    levels = {{"PDE", 22, 10, (cpu.cr.cr4 & cr4_pse) != 0}, {"PTE", 12, 10, false}};
  }
  for (const Level& l : levels) {
    const std::uint64_t index = linear >> l.shift & ((1u << l.bits) - 1);
    const std::uint64_t where = table + index * entry_bytes;
    const std::uint64_t e = entry_at(ram, where, entry_bytes);
    if (!(e & present))
      throw UsageError(fmt::format("{:#x} is not mapped: {} {} at {:#x} is {:#x}, not present", linear, who, l.name,
                                   where, e));
    const std::uint64_t size = std::uint64_t{1} << l.shift;
    if (l.may_be_large && (e & large)) {
      // A 4 MiB page of 32-bit paging keeps physical bits 39:32 in entry bits 20:13 (PSE-36).
      const std::uint64_t base = entry_bytes == 4 ? (e & 0xffc00000) | (e >> 13 & 0xff) << 32 : e & frame_mask & ~(size - 1);
      return {base | (linear & (size - 1)), size};
    }
    table = entry_bytes == 4 ? e & 0xfffff000 : e & frame_mask;
    if (l.shift == 12) return {table | (linear & 0xfff), size};
  }
  throw std::logic_error("page walk without a last level");
}

}  // namespace cptx
