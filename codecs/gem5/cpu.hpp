// One x86 processor of a gem5 checkpoint. v24 (v24 spec §3, §4.3): the thread context `<cpu>.xc.0`
// (register-file blobs, PC state, run state, a copy of the local APIC), the misc registers in
// `<cpu>.isa`, and the local APIC in `<cpu>.interrupts`. 2011 (2011 spec §3, §4.3): `<cpu>.xc.0` holds
// the register files as decimal arrays with the misc registers, `<cpu>` itself the LAPIC copy and
// `<cpu>.interrupts` the LAPIC.
#pragma once

#include <string>
#include <vector>

#include "codecs/gem5/cpt_file.hpp"
#include "codecs/gem5/lookup.hpp"
#include "codecs/mapping.hpp"
#include "model/cpu.hpp"

namespace cptx {
class Report;
}

namespace cptx::gem5 {

// fs.py's CPU clock (2 GHz: 500 ticks a cycle) and the local APIC's clock, CPU clock / 16
// (8000 ticks, i.e. 125 MHz) — v24 spec §3.6, §4.3, §6.
inline constexpr Tick cpu_cycle_ticks = 500;
inline constexpr Tick lapic_clock_ticks = 8000;

// `system.cpu` for one processor, `system.cpu0`… for more (names padded to the width of the
// largest index, as gem5 names the elements of a SimObject vector; v24 spec §2.1).
std::string cpu_section_name(std::size_t index, std::size_t count);
// The processors' sections present in `cpt`, in index order; InputError if there are none.
std::vector<std::string> cpu_sections(const CptFile& cpt);

// `path` is the model path of the processor (`cpu[0]`), for report notes. The era is the reader's.
model::Cpu read_cpu(const CptReader& in, const std::string& section, std::size_t index, Tick cur_tick,
                    Report& report, const std::string& path);
void write_cpu(const model::Cpu& c, const std::string& section, std::size_t index, Tick cur_tick, Era era,
               CptFile& out, Report& report, const std::string& path);

// The section holding the second copy of the LAPIC keys: `<cpu>.xc.0` in v24, `<cpu>` in 2011.
std::string lapic_copy_section(const std::string& cpu, Era era);
// Ticks per APIC timer count before the divider: 2011 records it (`clock`), v24 assumes fs.py's.
Tick lapic_clock(const CptReader& in, const std::string& cpu);

// The local APIC keys (v24 spec §4.3, 2011 spec §4.3), written identically to both sections that
// hold them; 2011 adds `clock`.
void read_lapic(const CptReader& in, const std::string& section, Tick cur_tick, Tick clock, model::Cpu& c);
void write_lapic(const model::Cpu& c, bool started_up, Tick cur_tick, Era era, Section& out);
// The rows of the processors' coverage (cpu.cpp, lapic.cpp, x87.cpp).
void cover_cpu(mapping::Coverage& c);
void cover_lapic(mapping::Coverage& c);
void cover_x87(mapping::Coverage& c);

// Notes at `path`.lapic every key in which the copy differs from `<cpu>.interrupts`, which is read.
void compare_lapic_copies(const CptReader& in, const std::string& cpu, Report& report, const std::string& path);

}  // namespace cptx::gem5
