// The power-on state against the architecture manuals (Intel SDM vol. 3A table 9-1; 8259A, 82093AA
// and 16550A data sheets), not against itself.
#include <gtest/gtest.h>

#include "model/power_on.hpp"

namespace cptx::model {
namespace {

TEST(PowerOn, ProcessorStartsAtTheResetVector) {
  const Machine m = power_on(2, 128 << 20);
  const Cpu& c = m.cpu[0];
  EXPECT_EQ(c.segments.cs.base + c.rip, 0xfffffff0u);
  EXPECT_EQ(c.segments.cs.selector, 0xf000);
  EXPECT_EQ(c.rflags, 0x2u);
  EXPECT_EQ(c.cr.cr0, 0x60000010u);
  EXPECT_EQ(c.dr.dr6, 0xffff0ff0u);
  EXPECT_EQ(c.dr.dr7, 0x400u);
  EXPECT_EQ(c.sse.mxcsr, 0x1f80u);
  EXPECT_EQ(c.msr.pat, 0x0007040600070406u);
  EXPECT_EQ(c.gdtr.limit, 0xffff);
  EXPECT_EQ(c.segments.ds.limit, 0xffffu);
}

TEST(PowerOn, OnlyTheBootstrapProcessorRuns) {
  const Machine m = power_on(3, 128 << 20);
  EXPECT_EQ(m.cpu[0].activity, Activity::running);
  EXPECT_EQ(m.cpu[0].msr.apic_base, 0xfee00900u);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(m.cpu[i].activity, Activity::wait_for_sipi);
    EXPECT_EQ(m.cpu[i].msr.apic_base, 0xfee00800u);
    EXPECT_EQ(m.cpu[i].lapic.id, i);
  }
}

TEST(PowerOn, LocalApicVectorsAreMaskedAndFlat) {
  const Machine m = power_on(1, 1 << 20);
  const Lapic& a = m.cpu[0].lapic;
  for (std::uint32_t lvt : {a.lvt.timer, a.lvt.thermal, a.lvt.perf, a.lvt.lint0, a.lvt.lint1, a.lvt.error})
    EXPECT_EQ(lvt, 0x10000u);
  EXPECT_EQ(a.dfr, 0xffffffffu);
  EXPECT_EQ(a.svr, 0xffu);
}

TEST(PowerOn, DevicesAreAtTheirResetValues) {
  const Machine m = power_on(1, 1 << 20);
  for (std::uint64_t e : m.ioapic.redirection) EXPECT_EQ(e, 0x10000u);
  EXPECT_TRUE(m.uart[0].present);
  EXPECT_EQ(m.uart[0].lsr, 0x60);
  EXPECT_EQ(m.uart[0].iir, 0x01);
  EXPECT_EQ(m.uart[1].irq, 3);
  EXPECT_EQ(m.rtc.cmos[0x0a], 0x26);
  EXPECT_EQ(m.rtc.cmos[0x0d], 0x80);
  EXPECT_FALSE(m.pit.channel[2].gate);
}

TEST(PowerOn, RamAbove3GiBMovesAbove4GiB) {
  const Machine small = power_on(1, 512 << 20);
  ASSERT_EQ(small.memory.regions.size(), 1u);
  EXPECT_EQ(small.memory.regions[0].size, 512u << 20);
  const Machine big = power_on(1, 6ull << 30);
  ASSERT_EQ(big.memory.regions.size(), 2u);
  EXPECT_EQ(big.memory.regions[0].size, 3ull << 30);
  EXPECT_EQ(big.memory.regions[1].gpa, 4ull << 30);
  EXPECT_EQ(big.memory.regions[1].size, 3ull << 30);
  EXPECT_EQ(big.platform.ram_size, 6ull << 30);
}

}  // namespace
}  // namespace cptx::model
