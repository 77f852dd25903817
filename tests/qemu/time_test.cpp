// QEMU's three time bases against the model's checkpoint-relative timers (spec §5.1, §5.4, §5.8,
// §5.10), with values worked out by hand from the spec's formulas.
#include <gtest/gtest.h>

#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/lapic.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {
namespace {

Stream one_section(const Schema& schema, Record r) {
  Stream s;
  s.path = "test.qemu";
  s.sections.push_back({std::string(schema.name), 0, schema.version, &schema, std::move(r), {}, 0});
  return s;
}

TEST(QemuTime, PitCountIsEvaluatedOnTheVmClockAtTheCheckpoint) {
  Record r = reset_record(layout::i8254());
  r.set("ch[0].count", 11932);
  r.set("ch[0].mode", 2);
  r.set("ch[0].rw_mode", 3);
  r.set("ch[0].count_load_time", 999'000'000);  // 1 ms before the checkpoint
  for (int i = 1; i < 3; ++i) r.set("ch[" + std::to_string(i) + "].count", 0x10000);
  model::Machine m;
  Report report;
  read_pit(one_section(layout::i8254(), r), {1'000'000'000, 0, 0}, m, report);
  // 1 ms at 1 193 182 Hz is 1193 whole ticks.
  EXPECT_EQ(m.pit.channel[0].count, 11932 - 1193);
  EXPECT_EQ(m.pit.channel[0].reload, 11932);
  EXPECT_EQ(m.pit.channel[1].reload, 0);  // 0x10000 stands for 0
}

TEST(QemuTime, PitIsRebasedOnTheChosenVmClock) {
  model::Machine m;
  m.pit.channel[0] = {};
  m.pit.channel[0].mode = 2;
  m.pit.channel[0].reload = 11932;
  m.pit.channel[0].count = 11932 - 1193;
  m.pit.channel[0].access = model::PitAccess::word;
  m.pit.channel[0].run = model::PitRun::counting;
  Stream s;
  const RecordFor out = [&](const Schema& schema, std::uint32_t inst) -> Record& {
    s.sections.push_back({std::string(schema.name), inst, schema.version, &schema, reset_record(schema), {}, 0});
    return s.sections.back().record;
  };
  Report report;
  write_pit(m, {5'000'000'000, 0, 0}, out, report);
  const Record& r = s.find("i8254", 0)->record;
  // 1193 ticks take at least 999 848 ns (1193 / 1193182 s = 999 847.47 ns, rounded up).
  EXPECT_EQ(r.get_signed("ch[0].count_load_time", 8), 5'000'000'000 - 999'848);
  // The next edge: tick 11932 of the period, in VM-clock ns.
  const std::int64_t next = r.get_signed("ch[0].next_transition_time", 8);
  EXPECT_GT(next, 5'000'000'000);
  EXPECT_EQ(next, r.get_signed("channels[0].next_transition_time", 8));
}

TEST(QemuTime, ApicCountsVmNanosecondsThroughItsDivider) {
  Record r = reset_record(layout::apic());
  r.set("lvt", 0x20030, 0);  // periodic, vector 0x30
  r.set("divide_conf", 0);   // divide by 2: count_shift 1
  r.set("count_shift", 1);
  r.set("initial_count", 100000);
  r.set("initial_count_load_time", 1'000'000'000 - 1000);
  model::Lapic l;
  std::uint64_t base = 0;
  read_lapic(r, {1'000'000'000, 0, 0}, l, base);
  EXPECT_EQ(l.timer.current_count, 100000u - 500);

  Record w = reset_record(layout::apic());
  write_lapic(l, 0xfee00900, {7'000'000'000, 0, 0}, w);
  EXPECT_EQ(w.get("count_shift"), 1u);
  EXPECT_EQ(w.get_signed("initial_count_load_time", 8), 7'000'000'000 - 1000);
  // Armed for the end of the period: (100000 + 1) counts of 2 ns after the load.
  EXPECT_EQ(w.get_signed("timer_expiry", 8), 7'000'000'000 - 1000 + 200002);
}

TEST(QemuTime, RtcIsRebasedOnTheHostClockFromItsCmosTime) {
  model::Machine m;
  auto& c = m.rtc.cmos;
  // 2026-11-24 07:33:13 in BCD, 24-hour mode.
  c[0] = 0x13, c[2] = 0x33, c[4] = 0x07, c[7] = 0x24, c[8] = 0x11, c[9] = 0x26, c[0x32] = 0x20;
  c[0x0a] = 0x26, c[0x0b] = 0x02;
  m.rtc.until_update_ns = 250'000'000;
  Stream s;
  const RecordFor out = [&](const Schema& schema, std::uint32_t inst) -> Record& {
    s.sections.push_back({std::string(schema.name), inst, schema.version, &schema, reset_record(schema), {}, 0});
    return s.sections.back().record;
  };
  const std::int64_t host = 1'900'000'000'000'000'000;
  write_rtc(m, {0, host, 0}, out);
  const Record& r = s.find("mc146818rtc", 0)->record;
  EXPECT_EQ(r.get("base_rtc"), 1795505593u);
  EXPECT_EQ(r.get_signed("last_update", 8), host);
  EXPECT_EQ(r.get("offset"), 750'000'000u);
  EXPECT_EQ(r.get_signed("update_timer", 8), host + 250'000'000);
  EXPECT_EQ(r.get("periodic_timer"), ~std::uint64_t{0});  // PIE clear

  model::Machine back;
  read_rtc(s, {0, host, 0}, back);
  EXPECT_EQ(back.rtc.until_update_ns, 250'000'000u);
  EXPECT_EQ(back.rtc.cmos, m.rtc.cmos);
}

// Not a time base, but the same kind of rebasing onto what QEMU can hold: a transmitter that is
// busy elsewhere is written empty, and the report says so.
TEST(QemuUart, ABusyTransmitterIsWrittenEmptyAndReported) {
  model::Machine m;
  m.uart[0].present = true;
  m.uart[0].lsr = 0x01;
  Stream s;
  const RecordFor out = [&](const Schema& schema, std::uint32_t inst) -> Record& {
    s.sections.push_back({std::string(schema.name), inst, schema.version, &schema, reset_record(schema), {}, 0});
    return s.sections.back().record;
  };
  Report report;
  write_uarts(m, target_serial_ports(nullptr), out, report);
  EXPECT_EQ(s.find("serial", 0)->record.get("lsr"), 0x61u);
  EXPECT_EQ(s.find("serial", 1), nullptr);
  EXPECT_NE(report.to_json().dump().find("uart[0].lsr"), std::string::npos);
}

}  // namespace
}  // namespace cptx::qemu
