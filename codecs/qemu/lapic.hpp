// apic (spec §5.4): the local APIC of one processor; instance = its initial APIC id.
#pragma once

#include "codecs/qemu/devices.hpp"

namespace cptx::qemu {

// QEMU's APIC timer counts VM-clock nanoseconds, divided by 2^count_shift (hw/intc/apic.c).
inline constexpr std::uint64_t lapic_timer_hz = 1'000'000'000;

void read_lapic(const Record& r, const Clocks& c, model::Lapic& out, std::uint64_t& apic_base);
void write_lapic(const model::Lapic& in, std::uint64_t apic_base, const Clocks& c, Record& r);

// Whether the APIC (or the 8259 through LINT0) is asserting INTR to the processor: QEMU keeps
// that as CPU_INTERRUPT_HARD in cpu_common, not in the devices (spec §5.3.6).
void cover_lapic(mapping::Coverage& c);

bool interrupt_line(const model::Lapic& lapic, std::uint64_t apic_base, const model::Pic& pic, bool bsp);

}  // namespace cptx::qemu
