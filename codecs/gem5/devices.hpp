// The platform devices of gem5's x86 PC (v24 spec §4; the 2011 layout in the 2011 spec §4): I8259
// pair, I8254, I82094AA, Uart8250 COM1, Cmos/MC146818, I8042 with its PS/2 devices, and the speaker.
#pragma once

#include "codecs/gem5/cpt_file.hpp"
#include "codecs/gem5/lookup.hpp"
#include "codecs/mapping.hpp"
#include "model/machine.hpp"

namespace cptx {
class Report;
}

namespace cptx::gem5 {

namespace section {
inline constexpr std::string_view pic1 = "system.pc.south_bridge.pic1", pic2 = "system.pc.south_bridge.pic2",
                                  pit = "system.pc.south_bridge.pit", io_apic = "system.pc.south_bridge.io_apic",
                                  com1 = "system.pc.com_1", cmos = "system.pc.south_bridge.cmos",
                                  i8042 = "system.pc.south_bridge.keyboard",
                                  ps2_keyboard = "system.pc.south_bridge.keyboard.keyboard",
                                  ps2_mouse = "system.pc.south_bridge.keyboard.mouse",
                                  speaker = "system.pc.south_bridge.speaker";
}

// gem5's fixed time units in ticks (1 tick = 1 ps, v24 spec §6).
inline constexpr std::uint64_t ticks_per_ns = 1000;
inline constexpr std::uint64_t pit_tick = 838096;  // (Tick)(1e12 / 1193180), v24 spec §4.2

// Absolute event ticks (2011) are rebased against `cur_tick`. The era is the reader's.
void read_devices(const CptReader& in, Tick cur_tick, model::Machine& m, Report& report);
// Sets every key the model decides in sections that must already exist in `out`.
void write_devices(const model::Machine& m, Tick cur_tick, Era era, CptFile& out, Report& report);

// The rows of the devices' coverage in `era`.
void cover_devices(mapping::Coverage& c, Era era);

// The section of `name` in `out`; cptx::UsageError if the target checkpoint lacks it.
Section& existing(CptFile& out, std::string_view name);

}  // namespace cptx::gem5
