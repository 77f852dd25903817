// Local APIC (xAPIC mode), one per processor.
#pragma once

#include "model/describe.hpp"

namespace cptx::model {

struct LapicLvt {
  std::uint32_t timer{}, thermal{}, perf{}, lint0{}, lint1{}, error{};

  template <class V> static void describe(V& v) {
    v(&LapicLvt::timer, "timer", bits(32).hex(), "LVT timer (0x320)");
    v(&LapicLvt::thermal, "thermal", bits(32).hex(), "LVT thermal sensor (0x330)");
    v(&LapicLvt::perf, "perf", bits(32).hex(), "LVT performance counters (0x340)");
    v(&LapicLvt::lint0, "lint0", bits(32).hex(), "LVT LINT0 (0x350)");
    v(&LapicLvt::lint1, "lint1", bits(32).hex(), "LVT LINT1 (0x360)");
    v(&LapicLvt::error, "error", bits(32).hex(), "LVT error (0x370)");
  }
  bool operator==(const LapicLvt&) const = default;
};

// The timer is kept device-native and relative to the checkpoint: the count the guest would read
// from the current-count register, not an absolute deadline in some emulator's clock.
struct LapicTimer {
  std::uint8_t divide{};
  std::uint32_t initial_count{}, current_count{};

  template <class V> static void describe(V& v) {
    v(&LapicTimer::divide, "divide", only_bits(0xb).hex(), "divide configuration register (0x3e0), bits 3,1:0");
    v(&LapicTimer::initial_count, "initial_count", bits(32).in("timer counts"), "initial count (0x380)");
    v(&LapicTimer::current_count, "current_count", bits(32).in("timer counts"),
      "current count at the checkpoint (0x390); 0 = timer not running");
  }
  bool operator==(const LapicTimer&) const = default;
};

struct Lapic {
  std::uint8_t id{}, tpr{};
  std::uint32_t version{}, ldr{}, dfr{}, svr{}, esr{};
  std::uint64_t icr{};
  VectorSet isr, tmr, irr;
  LapicLvt lvt;
  LapicTimer timer;

  template <class V> static void describe(V& v) {
    v(&Lapic::id, "id", bits(8), "APIC id (0x20 bits 31:24)");
    v(&Lapic::version, "version", bits(32).hex(), "version register (0x30)");
    v(&Lapic::tpr, "tpr", bits(8).hex(), "task priority register (0x80)");
    v(&Lapic::ldr, "ldr", bits(32).hex(), "logical destination register (0xd0)");
    v(&Lapic::dfr, "dfr", bits(32).hex(), "destination format register (0xe0)");
    v(&Lapic::svr, "svr", bits(32).hex(), "spurious interrupt vector register (0xf0); bit 8 enables the APIC");
    v(&Lapic::isr, "isr", any(), "in-service vectors (0x100-0x170)");
    v(&Lapic::tmr, "tmr", any(), "trigger mode: level-triggered vectors (0x180-0x1f0)");
    v(&Lapic::irr, "irr", any(), "requested vectors (0x200-0x270)");
    v(&Lapic::esr, "esr", bits(32).hex(), "error status register (0x280)");
    v(&Lapic::icr, "icr", any().hex(), "interrupt command register: low word 0x300, high word 0x310");
    v(&Lapic::lvt, "lvt", any(), "local vector table");
    v(&Lapic::timer, "timer", any(), "APIC timer");
  }
  bool operator==(const Lapic&) const = default;
};

}  // namespace cptx::model
