// The x86 TLB sections of a processor (v24 spec §3.9). A TLB caches page-table walks; the model keeps
// none of it. gem5 refills an empty TLB from the page tables, which is what a full flush gives a guest.
#pragma once

#include <string>

#include "codecs/gem5/cpt_file.hpp"
#include "codecs/gem5/lookup.hpp"
#include "reports/report.hpp"

namespace cptx::gem5 {

// Notes in the report how many entries the processor's TLBs held: they are not carried. Findings are
// named after the sections (`gem5:system.cpu.mmu.dtb`): no model field is concerned.
void note_tlb_entries(const CptReader& in, const std::string& cpu, Report& report);

// Empties the processor's TLBs: a skeleton's entries translate through the skeleton's page tables, not
// the guest's. 2011's TLBs save nothing (2011 spec §2).
void flush_tlbs(CptFile& cpt, const std::string& cpu, Report& report);

}  // namespace cptx::gem5
