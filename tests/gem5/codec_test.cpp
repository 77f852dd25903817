#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstring>

#include "codecs/gem5/codec.hpp"
#include "codecs/gem5/x87.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/ram_diff.hpp"
#include "codecs/json/codec.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/support/arbitrary.hpp"
#include "tests/support/coverage_diff.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const fs::path corpus = fs::path(CPTX_SOURCE_DIR) / "corpus/gem5/linux-hashchain-128M";

Report gem5_report() {
  return Report({"model", json_codec.name, json_codec.coverage}, {"gem5", "gem5", gem5_codec.coverage});
}

// `a` written as a gem5 checkpoint reads back as the same machine. The description names the new
// checkpoint; the memory image is the same bytes in a new file.
void expect_rewritten_as_is(const model::Machine& a, Report& report) {
  TempDir dir;
  gem5_codec.write(a, dir / "out", {}, report);
  Report again = gem5_report();
  model::Machine b = gem5_codec.read(dir / "out", again);
  EXPECT_TRUE(diff_ram(a.memory, b.memory).empty());
  b.platform.source_detail = a.platform.source_detail;
  b.memory = a.memory;
  EXPECT_EQ(model::diff(a, b).size(), 0u) << testing::describe(model::diff(a, b));
}

TEST(Gem5Codec, RealCheckpointsDecodeReencodeAndDecodeToTheSameMachine) {
  for (const char* name : {"cpt.200000001500", "cpt.500000002000"}) {
    Report report = gem5_report();
    const model::Machine a = gem5_codec.read(corpus / name, report);
    EXPECT_EQ(a.cpu.size(), 1u);
    EXPECT_EQ(a.platform.ram_size, 128u << 20);
    EXPECT_EQ(a.cpu[0].efer, 0xd01u) << name;
    EXPECT_EQ(a.pic.master.vector_base, 0x30);
    EXPECT_EQ(a.cpu[0].lapic.timer.initial_count, 31251u);
    SCOPED_TRACE(name);
    expect_rewritten_as_is(a, report);
  }
}

// The self-checking guest's own gem5 checkpoints (corpus/gem5/README.md): a 64-bit guest in long mode,
// holding the device values it programs (guests/selfcheck/devices.c), and written back unchanged.
TEST(Gem5Codec, RealSelfcheckCheckpointsHoldWhatTheGuestProgrammed) {
  for (const char* name : {"cpt.40000000500", "cpt.80000000500"}) {
    SCOPED_TRACE(name);
    Report report = gem5_report();
    const model::Machine a = gem5_codec.read(corpus.parent_path() / "selfcheck-32M" / name, report);
    EXPECT_EQ(a.platform.ram_size, 32u << 20);
    EXPECT_EQ(a.cpu[0].efer & 0x500, 0x500u);  // LME and LMA: long mode
    EXPECT_EQ(a.pic.master.vector_base, 0x20);
    EXPECT_EQ(a.pic.slave.vector_base, 0x28);
    EXPECT_EQ(a.ioapic.id, 0x0b);
    EXPECT_EQ(a.cpu[0].lapic.tpr, 0x10u);
    EXPECT_EQ(a.cpu[0].lapic.svr, 0x1ffu);
    EXPECT_EQ(a.cpu[0].lapic.timer.initial_count, 100000u);
    EXPECT_GT(a.cpu[0].lapic.timer.current_count, 0u);  // the periodic timer is running
    expect_rewritten_as_is(a, report);
  }
}

TEST(Gem5Codec, WrittenMemoryImageHoldsTheSourceBytes) {
  Report report = gem5_report();
  const model::Machine a = gem5_codec.read(corpus / "cpt.200000001500", report);
  TempDir dir;
  gem5_codec.write(a, dir / "out", {}, report);
  const auto r = testing::run_cptx({"diff", (corpus / "cpt.200000001500").string(), "gem5:" + (dir / "out").string()});
  EXPECT_EQ(r.out.find("page"), std::string::npos) << r.out;
}

RC_GTEST_PROP(Gem5Codec, ModelToGem5ToModelKeepsWhatGem5Carries, ()) {
  model::Machine m = *rc::gen::arbitrary<model::Machine>();
  // fs.py's memory layout: RAM from 0, zero-filled (contents are checked on the corpus).
  m.memory.regions = {{0, 16 * model::page_size, std::nullopt}};
  m.platform.time.guest_ns %= 1'000'000'000'000'000;
  model::derive(m);
  TempDir dir;
  Report report = gem5_report();
  gem5_codec.write(m, dir / "out", {}, report);
  model::Machine back = gem5_codec.read(dir / "out", report);
  back.memory = m.memory;
  const auto diffs = testing::unexcused_differences(m, back, gem5_codec.coverage, report);
  RC_ASSERT(diffs.empty());
}

RC_GTEST_PROP(Gem5X87, EveryDoubleWidensAndNarrowsBackExactly, (std::uint64_t bits)) {
  const auto n = gem5::narrow(gem5::widen(bits));
  RC_ASSERT(n.exact);
  RC_ASSERT(n.double_bits == bits);
}

TEST(Gem5X87, NarrowingRoundsToNearestEvenAndSaysSo) {
  model::Float80 one{std::uint64_t{1} << 63, 16383, false};
  EXPECT_TRUE(gem5::narrow(one).exact);
  EXPECT_EQ(gem5::narrow(one).double_bits, 0x3ff0000000000000u);
  model::Float80 tie = one;
  tie.significand |= 1u << 10;  // exactly half an ulp of a double: ties to even (down)
  EXPECT_FALSE(gem5::narrow(tie).exact);
  EXPECT_EQ(gem5::narrow(tie).double_bits, 0x3ff0000000000000u);
  model::Float80 above = one;
  above.significand |= (1u << 10) | 1u;
  EXPECT_EQ(gem5::narrow(above).double_bits, 0x3ff0000000000001u);
  model::Float80 huge{std::uint64_t{1} << 63, 0x7ffe, true};
  EXPECT_EQ(gem5::narrow(huge).double_bits, 0xfff0000000000000u);  // overflows to -infinity
}

TEST(Gem5Codec, PowerOnMachinesOfSeveralProcessorsRoundTrip) {
  for (std::size_t cpus : {1u, 2u, 11u}) {
    model::Machine m = model::power_on(cpus, 8 << 20);
    TempDir dir;
    Report report = gem5_report();
    gem5_codec.write(m, dir / "out", {}, report);
    const model::Machine back = gem5_codec.read(dir / "out", report);
    EXPECT_EQ(back.cpu.size(), cpus);
    EXPECT_TRUE(fs::exists(dir / "out/system.physmem.store0.pmem"));
    EXPECT_TRUE(testing::unexcused_differences(m, back, gem5_codec.coverage, report).empty()) << testing::describe(testing::unexcused_differences(m, back, gem5_codec.coverage, report));
    EXPECT_TRUE(diff_ram(m.memory, back.memory).empty());
  }
}

// Copies a corpus checkpoint with one line of m5.cpt replaced.
fs::path broken_copy(const TempDir& dir, const std::string& from, const std::string& to) {
  const fs::path out = dir / "bad";
  fs::create_directory(out);
  fs::copy_file(corpus / "cpt.200000001500/system.physmem.store0.pmem", out / "system.physmem.store0.pmem");
  std::string text = testing::read_file(corpus / "cpt.200000001500/m5.cpt");
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  testing::write_file(out / "m5.cpt", text);
  return out;
}

void expect_input_error(const fs::path& p, const std::string& key) {
  Report report = gem5_report();
  try {
    gem5_codec.read(p, report);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
  }
}

// A device table's rows are its coverage: each names the key holding its member and the row's rule,
// under the path of the instance the table is read for, and a row without a key says what gem5 does.
TEST(Gem5Codec, DeviceCoverageComesFromTheTableRows) {
  const CoverageRule* read_isr = coverage_of(gem5_codec.coverage, "pic.slave.read_isr");
  ASSERT_NE(read_isr, nullptr);
  EXPECT_EQ(read_isr->carry, Carry::exact);
  EXPECT_EQ(read_isr->note, "[system.pc.south_bridge.pic2] readIRR: negated");
  const CoverageRule* latch = coverage_of(gem5_codec.coverage, "pit.channel[].count_latch");
  ASSERT_NE(latch, nullptr);
  EXPECT_EQ(latch->carry, Carry::approximated);
  EXPECT_EQ(latch->note, "[system.pc.south_bridge.pit] pit.counter<k>.latch_on: only whether a latch is pending");
  EXPECT_EQ(coverage_of(gem5_codec.coverage, "i8042.keyboard_enabled")->carry, Carry::exact);
  EXPECT_EQ(coverage_of(gem5_2011_codec.coverage, "i8042.keyboard_enabled")->carry, Carry::none)
      << "2011's table has no enable key";
  EXPECT_EQ(coverage_of(gem5_codec.coverage, "ioapic.version")->carry, Carry::defaulted);
}

TEST(Gem5Codec, BadInputIsRefusedNamingSectionAndKey) {
  {
    TempDir dir;
    expect_input_error(broken_copy(dir, "\nrtc.stat_regA=", "\nrtc.statregA="), "system.pc.south_bridge.cmos:rtc.stat_regA");
  }
  {
    TempDir dir;
    expect_input_error(broken_copy(dir, "regVal=", "regVal=1 "), "system.cpu.isa:regVal");
  }
  {
    TempDir dir;
    expect_input_error(broken_copy(dir, "range_size=134217728", "range_size=134221824"), "store0");
  }
  {
    TempDir dir;
    expect_input_error(broken_copy(dir, "filename=system.physmem.store0.pmem", "filename=../store0.pmem"),
                       "system.physmem.store0:filename");
  }
}

TEST(Gem5Codec, CliDecodesAndRefusesToOverwrite) {
  TempDir dir;
  auto r = testing::run_cptx({"convert", (corpus / "cpt.500000002000").string(), "gem5:" + (dir / "o").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  r = testing::run_cptx({"convert", (corpus / "cpt.500000002000").string(), "gem5:" + (dir / "o").string()});
  EXPECT_EQ(r.status, 2);
  r = testing::run_cptx({"diff", (corpus / "cpt.500000002000").string(), "gem5:" + (dir / "o").string()});
  EXPECT_EQ(r.status, 0) << r.out;  // only the checkpoint's name, provenance, differs
  r = testing::run_cptx({"info", "gem5:" + (dir / "o").string()});
  EXPECT_EQ(r.status, 0);
}

}  // namespace
}  // namespace cptx
