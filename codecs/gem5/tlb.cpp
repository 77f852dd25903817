#include "codecs/gem5/tlb.hpp"

#include <fmt/format.h>

namespace cptx::gem5 {

namespace {

constexpr const char* tlbs[] = {".mmu.itb", ".mmu.dtb"};

bool is_entry_of(const std::string& section, const std::string& tlb) {
  return section.size() > tlb.size() + 6 && section.compare(0, tlb.size(), tlb) == 0 &&
         section.compare(tlb.size(), 6, ".Entry") == 0;
}

}  // namespace

void note_tlb_entries(const CptReader& in, const std::string& cpu, Report& report) {
  if (in.era() == Era::v2011) return;
  for (const char* tlb : tlbs)
    if (const auto n = in.opt_integer<std::uint32_t>(cpu + tlb, "_size").value_or(0))
      report.note("gem5:" + cpu + tlb, Carry::approximated,
                  fmt::format("the {} TLB entries of [{}{}] are not carried: the target starts with its TLBs "
                              "flushed and refills them from the page tables",
                              n, cpu, tlb));
}

void flush_tlbs(CptFile& cpt, const std::string& cpu, Report& report) {
  for (const char* suffix : tlbs) {
    const std::string tlb = cpu + suffix;
    Section* s = cpt.find(tlb);
    if (!s) continue;  // 2011: no TLB sections beyond the empty ones
    if (const Entry* size = s->find("_size"); size && size->value != "0")
      report.note("gem5:" + tlb, Carry::approximated,
                  fmt::format("the skeleton's {} TLB entries of [{}] are dropped: they cache its own page tables",
                              size->value, tlb));
    s->set("_size", "0");
    s->set("lruSeq", "0");
    cpt.erase_sections([&](const std::string& name) { return is_entry_of(name, tlb); });
  }
}

}  // namespace cptx::gem5
