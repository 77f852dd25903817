// The gem5-2011 codec: round trips through the model, the 2011 -> v24 upgrade, the written file against
// the 2011 spec's tables, bad input, the LAPIC copies and --skeleton merging (both eras).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include <zlib.h>

#include "codecs/gem5/codec.hpp"
#include "codecs/gem5/cpt_syntax.hpp"
#include "codecs/gem5/lookup.hpp"
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
using gem5::CptFile;
using gem5::CptReader;
using gem5::Era;
using testing::TempDir;

const fs::path corpus = fs::path(CPTX_SOURCE_DIR) / "corpus/gem5/linux-hashchain-128M";

Report report_for(const Codec& codec) {
  return Report({"model", json_codec.name, json_codec.coverage},
                {std::string(codec.name), codec.name, codec.coverage});
}

// Every field of `b` equals `a`'s, except the description of the checkpoint and where RAM is stored
// (its contents are compared).
std::string differences(const model::Machine& a, model::Machine b) {
  std::string out;
  for (const auto& d : diff_ram(a.memory, b.memory)) out += d + " ";
  b.platform.source_detail = a.platform.source_detail;
  b.memory = a.memory;
  return out + testing::describe(model::diff(a, b));
}

CptFile load(const fs::path& dir) { return gem5::read_cpt(dir / "m5.cpt"); }
void store(const CptFile& cpt, const fs::path& dir) {
  fs::remove(dir / "m5.cpt");
  gem5::write_cpt_file(cpt, dir / "m5.cpt");
}
std::vector<std::uint64_t> ints(const CptFile& cpt, std::string_view sec, std::string_view key) {
  return CptReader(cpt, Era::v2011).int_array<std::uint64_t>(sec, key, std::nullopt);
}
std::string value(const CptFile& cpt, std::string_view sec, std::string_view key) {
  return CptReader(cpt, Era::v2011).string(sec, key);
}
void set(CptFile& cpt, std::string_view sec, std::string key, std::string v) {
  ASSERT_NE(cpt.find(sec), nullptr) << sec;
  cpt.find(sec)->set(std::move(key), std::move(v));
}
std::string join(const std::vector<std::uint64_t>& v) {
  std::string s;
  for (auto x : v) s += (s.empty() ? "" : " ") + std::to_string(x);
  return s;
}

// A machine with RAM holding bytes worth checking: a page of pattern, a zero page, a page of pattern.
model::Machine with_ram(model::Machine m, const TempDir& dir, std::uint8_t seed) {
  std::vector<char> bytes(3 * model::page_size);
  for (std::size_t i = 0; i < bytes.size(); ++i)
    bytes[i] = (i / model::page_size == 1) ? 0 : static_cast<char>(i * 31 + seed);
  const fs::path file = dir / "ram.bin";
  std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  m.memory.regions = {{0, bytes.size(), model::FileBacking{file.string(), 0, model::Encoding::raw}}};
  model::derive(m);
  return m;
}

model::Machine arbitrary_machine(const TempDir& dir) {
  model::Machine m = *rc::gen::arbitrary<model::Machine>();
  m.platform.time.guest_ns %= 1'000'000'000'000'000;
  return with_ram(std::move(m), dir, *rc::gen::arbitrary<std::uint8_t>());
}

RC_GTEST_PROP(Gem5Era2011, ModelTo2011ToModelKeepsWhat2011Carries, ()) {
  TempDir dir;
  const model::Machine m = arbitrary_machine(dir);
  Report report = report_for(gem5_2011_codec);
  gem5_2011_codec.write(m, dir / "out", {}, report);
  model::Machine back = gem5_2011_codec.read(dir / "out", report);
  RC_ASSERT(diff_ram(m.memory, back.memory).empty());
  back.memory = m.memory;
  const auto diffs = testing::unexcused_differences(m, back, gem5_2011_codec.coverage, report);
  RC_ASSERT(testing::describe(diffs) == "");
}

// What a 2011 checkpoint holds survives the upgrade to v24 and the way back: every field both eras
// carry is kept exactly.
RC_GTEST_PROP(Gem5Era2011, UpgradeTo24AndBackKeepsEveryFieldBothErasCarry, ()) {
  TempDir dir;
  const model::Machine source = arbitrary_machine(dir);
  Report report = report_for(gem5_2011_codec);
  gem5_2011_codec.write(source, dir / "a", {}, report);
  const model::Machine old = gem5_2011_codec.read(dir / "a", report);
  gem5_codec.write(old, dir / "b", {}, report);
  const model::Machine upgraded = gem5_codec.read(dir / "b", report);
  gem5_2011_codec.write(upgraded, dir / "c", {}, report);
  const model::Machine again = gem5_2011_codec.read(dir / "c", report);
  RC_ASSERT(differences(old, upgraded) == "");
  RC_ASSERT(differences(old, again) == "");
}

TEST(Gem5Era2011, PowerOnMachinesOfSeveralProcessorsRoundTrip) {
  for (std::size_t cpus : {1u, 2u, 11u}) {
    const model::Machine m = model::power_on(cpus, 8 << 20);
    TempDir dir;
    Report report = report_for(gem5_2011_codec);
    gem5_2011_codec.write(m, dir / "out", {}, report);
    const model::Machine back = gem5_2011_codec.read(dir / "out", report);
    EXPECT_EQ(back.cpu.size(), cpus);
    EXPECT_TRUE(gem5_2011_codec.detect(dir / "out"));
    EXPECT_FALSE(gem5_codec.detect(dir / "out"));
    EXPECT_TRUE(testing::unexcused_differences(m, back, gem5_2011_codec.coverage, report).empty())
        << testing::describe(testing::unexcused_differences(m, back, gem5_2011_codec.coverage, report));
    EXPECT_TRUE(diff_ram(m.memory, back.memory).empty());
  }
}

// One shared conversion of a real v24 checkpoint to 2011.
struct Converted {
  TempDir dir;
  model::Machine v24;
  Converted() {
    Report report = report_for(gem5_codec);
    v24 = gem5_codec.read(corpus / "cpt.500000002000", report);
    gem5_2011_codec.write(v24, dir / "cpt", {}, report);
  }
  fs::path path() const { return dir / "cpt"; }
};
const Converted& converted() {
  static const Converted c;
  return c;
}

TEST(Gem5Era2011, RealCheckpointConvertsTo2011AndBackUnchanged) {
  const auto& c = converted();
  Report report = report_for(gem5_2011_codec);
  const model::Machine back = gem5_2011_codec.read(c.path(), report);
  EXPECT_EQ(differences(c.v24, back), "");
  TempDir dir;
  gem5_codec.write(back, dir / "v24", {}, report);
  EXPECT_EQ(differences(c.v24, gem5_codec.read(dir / "v24", report)), "");
}

// The written file against the 2011 spec: the section tree of §2 and the key counts of §3-§4.
TEST(Gem5Era2011, WrittenCheckpointFollowsTheSpecTables) {
  const fs::path dir = converted().path();
  const CptFile cpt = load(dir);
  for (const char* sec :
       {"Globals", "MainEventQueue", "root", "system", "system.physmem", "system.membus",
        "system.membus.badaddr_responder", "system.iobus", "system.bridge", "system.intrctrl", "system.cpu",
        "system.cpu.xc.0", "system.cpu.tickEvent", "system.cpu.interrupts", "system.cpu.itb", "system.cpu.dtb",
        "system.cpu.itb.walker", "system.cpu.dtb.walker", "system.cpu.tracer", "system.pc", "system.pc.pciconfig",
        "system.pc.terminal", "system.pc.com_1", "system.pc.i_dont_exist", "system.pc.behind_pci",
        "system.pc.fake_com_2", "system.pc.fake_com_3", "system.pc.fake_com_4", "system.pc.fake_floppy",
        "system.pc.south_bridge", "system.pc.south_bridge.pic1", "system.pc.south_bridge.pic2",
        "system.pc.south_bridge.pic1.output", "system.pc.south_bridge.pic2.output", "system.pc.south_bridge.cmos",
        "system.pc.south_bridge.cmos.int_pin", "system.pc.south_bridge.dma1", "system.pc.south_bridge.keyboard",
        "system.pc.south_bridge.keyboard.keyboard_int_pin", "system.pc.south_bridge.keyboard.mouse_int_pin",
        "system.pc.south_bridge.pit", "system.pc.south_bridge.pit.int_pin", "system.pc.south_bridge.speaker",
        "system.pc.south_bridge.io_apic", "system.pc.south_bridge.int_lines0", "system.pc.south_bridge.int_lines6.sink",
        "system.pc.south_bridge.ide", "system.pc.south_bridge.ide.disks0", "system.pc.south_bridge.ide.disks1",
        "system.pc.south_bridge.ide.disks0.image", "system.pc.south_bridge.ide.disks1.image.child",
        "system.smbios_table", "system.smbios_table.structures", "system.intel_mp_pointer", "system.intel_mp_table",
        "system.intel_mp_table.base_entries00", "system.intel_mp_table.base_entries32",
        "system.intel_mp_table.ext_entries", "system.acpi_description_table_pointer",
        "system.acpi_description_table_pointer.xsdt", "system.e820_table", "system.e820_table.entries0",
        "system.e820_table.entries1"})
    EXPECT_NE(cpt.find(sec), nullptr) << sec;
  for (const char* v24_only : {"root.globals", "system.cpu.isa", "system.physmem.store0"})
    EXPECT_EQ(cpt.find(v24_only), nullptr) << v24_only;
  EXPECT_EQ(cpt.find("system.intel_mp_table.base_entries33"), nullptr);
  EXPECT_EQ(cpt.find("Globals")->entries().size(), 1u);  // curTick only (§1.3)
  EXPECT_EQ(value(cpt, "Globals", "curTick"), "500000002000");

  EXPECT_EQ(ints(cpt, "system.cpu.xc.0", "intRegs").size(), 39u);
  EXPECT_EQ(ints(cpt, "system.cpu.xc.0", "floatRegs.i").size(), 48u);
  EXPECT_EQ(ints(cpt, "system.cpu.xc.0", "regVal").size(), 204u);
  for (const char* sec : {"system.cpu", "system.cpu.interrupts"}) {
    EXPECT_EQ(ints(cpt, sec, "regs").size(), 70u) << sec;
    EXPECT_EQ(value(cpt, sec, "clock"), "8000") << sec;
  }
  EXPECT_EQ(value(cpt, "system.cpu", "regs"), value(cpt, "system.cpu.interrupts", "regs"));

  // §3.3: RFLAGS = intRegs[32] (CF PF AF ZF SF DF OF) | regVal[24]; §3.2: _pc = RIP + CS effective base.
  const model::Cpu& c = converted().v24.cpu[0];
  const auto r = ints(cpt, "system.cpu.xc.0", "regVal");
  EXPECT_EQ(ints(cpt, "system.cpu.xc.0", "intRegs")[32], c.rflags & 0xcd5);
  EXPECT_EQ(r[24] | ints(cpt, "system.cpu.xc.0", "intRegs")[32] | 2, c.rflags);
  EXPECT_EQ(ints(cpt, "system.cpu.xc.0", "intRegs")[4], c.regs.rsp);
  EXPECT_EQ(std::stoull(value(cpt, "system.cpu.xc.0", "_pc")), c.rip + r[153]);
  EXPECT_EQ(r[100], c.efer);  // EFER
  EXPECT_EQ(r[3], c.cr.cr3);
  // §3.5 index 26: TSC = regVal[26] + curTick / 500.
  EXPECT_EQ(r[26] + 500000002000u / 500, c.msr.tsc);
  // §4.3: the timer fires at curTick + count × clock × divisor.
  const std::uint64_t divisor = 16;  // divide configuration 0x3
  ASSERT_EQ(c.lapic.timer.divide, 3);
  EXPECT_EQ(value(cpt, "system.cpu.interrupts", "apicTimerEventScheduled"), "true");
  EXPECT_EQ(std::stoull(value(cpt, "system.cpu.interrupts", "apicTimerEventTick")),
            500000002000u + std::uint64_t{c.lapic.timer.current_count} * 8000 * divisor);
  // §4.2, §4.6, §4.7, §1.4: the 2011 key names.
  EXPECT_EQ(value(cpt, "system.pc.south_bridge.pit", "pit.counter0.event_tick"), "0");  // idle
  for (const char* key : {"statusRegData", "commandByteData", "mouse.outBuffer.size", "keyboard.outBuffer.elts"})
    EXPECT_NO_THROW(value(cpt, "system.pc.south_bridge.keyboard", key)) << key;
  EXPECT_NO_THROW(value(cpt, "system.pc.south_bridge.speaker", "controlValData"));
  EXPECT_EQ(value(cpt, "system.pc.com_1", "DLAB"), "0");
  EXPECT_EQ(value(cpt, "system.physmem", "filename"), "system.physmem.physmem");
  EXPECT_EQ(value(cpt, "system.physmem", "_size"), "134217728");
  EXPECT_EQ(ints(cpt, "system.pc.south_bridge.ide.disks0", "dataBuffer").size(), 131072u);
  // §4.12: an empty COW overlay.
  std::ifstream cow(dir / "system.pc.south_bridge.ide.disks0.image.cow", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(cow)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, std::string("COWDISK!\1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24));
}

// Values put into a 2011 file by hand, read the way the spec's tables say.
TEST(Gem5Era2011, ReaderAppliesTheSpecRules) {
  TempDir dir;
  Report report = report_for(gem5_2011_codec);
  gem5_2011_codec.write(model::power_on(1, 1 << 20), dir / "c", {}, report);
  CptFile cpt = load(dir / "c");
  const std::uint64_t now = 7'000'000'000'123;
  set(cpt, "Globals", "curTick", std::to_string(now));
  auto regs = ints(cpt, "system.cpu.xc.0", "intRegs");
  regs[32] = 0xcd5 | 0x28 | 0x100;  // every flag ccFlagBits holds, the microcode-only ECF and EZF, and a stray TF
  set(cpt, "system.cpu.xc.0", "intRegs", join(regs));
  auto misc = ints(cpt, "system.cpu.xc.0", "regVal");
  misc[24] = 0x200;  // IF
  misc[26] = 5;      // TSC offset
  set(cpt, "system.cpu.xc.0", "regVal", join(misc));
  set(cpt, "system.pc.south_bridge.pit", "pit.counter0.period", "100");
  set(cpt, "system.pc.south_bridge.pit", "pit.counter0.event_tick", std::to_string(now + 3 * 838096 - 5));
  for (const char* sec : {"system.cpu", "system.cpu.interrupts"}) {
    set(cpt, sec, "clock", "4000");  // a 4 GHz CPU: the APIC counts every 4000 ticks
    set(cpt, sec, "apicTimerEventScheduled", "true");
    set(cpt, sec, "apicTimerEventTick", std::to_string(now + 10 * 4000 * 2));  // divide config 0: by 2
  }
  set(cpt, "system.pc.south_bridge.keyboard", "keyboard.outBuffer.size", "2");
  set(cpt, "system.pc.south_bridge.keyboard", "keyboard.outBuffer.elts", "250 017");  // 017 is octal in 2011
  set(cpt, "system.pc.south_bridge.keyboard", "lastCommand", "96");
  store(cpt, dir / "c");

  const model::Machine m = gem5_2011_codec.read(dir / "c", report);
  // The flags the spec lists for ccFlagBits (CF, PF, AF, ZF, SF, DF, OF) make 0xcd5, not the 0xdd5
  // it states: bit 8 is TF, which gem5 keeps in the misc register.
  EXPECT_EQ(m.cpu[0].rflags, 0xcd5u | 0x200 | 0x2);
  EXPECT_EQ(m.cpu[0].msr.tsc, 5 + now / 500);
  EXPECT_EQ(m.pit.channel[0].run, model::PitRun::counting);
  EXPECT_EQ(m.pit.channel[0].count, 3);
  EXPECT_EQ(m.platform.time.lapic_timer_hz, 250'000'000u);
  EXPECT_EQ(m.cpu[0].lapic.timer.current_count, 10u);
  EXPECT_EQ(m.i8042.keyboard_queue, (model::Bytes{250, 15}));
  EXPECT_EQ(m.i8042.pending_command, std::optional<std::uint8_t>(96));
}

// A 2011 checkpoint (our writer's, at 1 MiB) with one key replaced.
fs::path broken_2011(const TempDir& dir, std::string_view sec, const std::string& key,
                     const std::optional<std::string>& v) {
  Report report = report_for(gem5_2011_codec);
  const fs::path out = dir / "bad";
  gem5_2011_codec.write(model::power_on(1, 1 << 20), out, {}, report);
  CptFile cpt = load(out);
  if (v) {
    set(cpt, sec, key, *v);
  } else {  // drop the key: rebuild the section without it
    CptFile copy;
    for (const auto& s : cpt.sections()) {
      gem5::Section& n = copy.section(s.name());
      for (const auto& e : s.entries())
        if (!(s.name() == sec && e.key == key)) n.set(e.key, e.value);
    }
    cpt = std::move(copy);
  }
  store(cpt, out);
  return out;
}

void expect_refused(const fs::path& p, const std::string& what) {
  TempDir out;
  const auto r = testing::run_cptx({"convert", "gem5-2011:" + p.string(), (out / "m.json").string()});
  EXPECT_EQ(r.status, 2) << what;
  EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / "m.json"));
  EXPECT_TRUE(fs::is_empty(out.path())) << what;
}

TEST(Gem5Era2011, BadInputIsRefusedNamingSectionAndKeyAndWritesNothing) {
  {
    TempDir dir;
    expect_refused(broken_2011(dir, "system.cpu.xc.0", "intRegs", std::nullopt), "system.cpu.xc.0:intRegs");
  }
  {
    TempDir dir;  // a v24-sized misc-register file
    expect_refused(broken_2011(dir, "system.cpu.xc.0", "regVal", join(std::vector<std::uint64_t>(205, 0))),
                   "system.cpu.xc.0:regVal");
  }
  {
    TempDir dir;
    expect_refused(broken_2011(dir, "system.physmem", "_size", "2097152"), "system.physmem");
  }
  {
    TempDir dir;
    expect_refused(broken_2011(dir, "system.physmem", "filename", "../system.physmem.physmem"),
                   "system.physmem:filename");
  }
  {
    TempDir dir;
    expect_refused(broken_2011(dir, "system.pc.south_bridge.keyboard", "mouse.outBuffer.size", "3"),
                   "system.pc.south_bridge.keyboard:mouse.outBuffer.size");
  }
  {
    TempDir dir;
    expect_refused(broken_2011(dir, "system.cpu.interrupts", "clock", "0"), "system.cpu.interrupts:clock");
  }
}

// 64 MiB of zeros in a few dozen KiB: far more than the 1 MiB the checkpoint declares.
void write_bomb(const fs::path& file) {
  fs::remove(file);
  gzFile gz = gzopen(file.c_str(), "wb9");
  std::vector<char> zeros(1 << 20);
  for (int i = 0; i < 64; ++i) gzwrite(gz, zeros.data(), static_cast<unsigned>(zeros.size()));
  gzclose(gz);
  EXPECT_LT(fs::file_size(file), 1u << 20);
}

TEST(Gem5Era2011, GzipBombInThePhysmemIsRefused) {
  TempDir dir;
  const fs::path cpt = broken_2011(dir, "system.physmem", "_size", "1048576");
  write_bomb(cpt / "system.physmem.physmem");
  expect_refused(cpt, "system.physmem");
}

TEST(Gem5Codec, GzipBombInAStoreIsRefused) {
  TempDir dir;
  Report report = report_for(gem5_codec);
  gem5_codec.write(model::power_on(1, 1 << 20), dir / "v", {}, report);
  write_bomb(dir / "v/system.physmem.store0.pmem");
  TempDir out;
  const auto r = testing::run_cptx({"convert", "gem5:" + (dir / "v").string(), (out / "m.json").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("system.physmem.store0"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(out.path()));
}

TEST(Gem5Era2011, FailedEncodeLeavesNothing) {
  TempDir dir;
  model::Machine m = model::power_on(1, 1 << 20);
  m.memory.regions = {{0, model::page_size, std::nullopt}, {5ull << 30, model::page_size, std::nullopt}};
  model::derive(m);
  Report report = report_for(json_codec);
  json_codec.write(m, dir / "m.json", {}, report);
  const auto r = testing::run_cptx({"encode", (dir / "m.json").string(), "gem5-2011:" + (dir / "out").string()});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("one memory range"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  // v24: RAM in the I/O hole between 3 and 4 GiB.
  m.memory.regions = {{0, model::page_size, std::nullopt}, {3ull << 30, model::page_size, std::nullopt}};
  model::derive(m);
  fs::remove(dir / "m.json");
  json_codec.write(m, dir / "m.json", {}, report);
  const auto v24 = testing::run_cptx({"encode", (dir / "m.json").string(), "gem5:" + (dir / "out").string()});
  EXPECT_EQ(v24.status, 2) << v24.err;
  EXPECT_NE(v24.err.find("3-4 GiB hole"), std::string::npos) << v24.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  for (const auto& e : fs::directory_iterator(dir.path())) EXPECT_EQ(e.path().filename(), "m.json");
}

bool noted(const Report& report, const std::string& path, const std::string& text) {
  const model::Json json = report.to_json();
  for (const auto& f : json["findings"])
    if (f["path"] == path && f["carry"] == "approximated" &&
        f["note"].get<std::string>().find(text) != std::string::npos)
      return true;
  return false;
}

TEST(Gem5Era2011, LapicCopiesThatDifferAreReported) {
  {
    TempDir dir;
    const fs::path p = broken_2011(dir, "system.cpu", "ISRV", "33");
    Report report = report_for(gem5_2011_codec);
    gem5_2011_codec.read(p, report);
    EXPECT_TRUE(noted(report, "cpu[0].lapic", "[system.cpu] ISRV differs")) << report.rows().size();
  }
  {  // v24: the copy in the thread context (v24 spec §4.3)
    TempDir dir;
    Report report = report_for(gem5_codec);
    gem5_codec.write(model::power_on(1, 1 << 20), dir / "v", {}, report);
    CptFile cpt = load(dir / "v");
    set(cpt, "system.cpu.xc.0", "pendingNmi", "true");
    store(cpt, dir / "v");
    Report read_report = report_for(gem5_codec);
    gem5_codec.read(dir / "v", read_report);
    EXPECT_TRUE(noted(read_report, "cpu[0].lapic", "[system.cpu.xc.0] pendingNmi differs"));
    Report clean = report_for(gem5_codec);
    gem5_codec.read(corpus / "cpt.200000001500", clean);
    EXPECT_FALSE(noted(clean, "cpu[0].lapic", "differs"));
  }
}

// Sections the codec writes into a skeleton; every other one must come out as it went in.
const std::set<std::string> written_v24 = {
    "root.globals", "system.cpu", "system.cpu.xc.0", "system.cpu.isa", "system.cpu.interrupts",
    "system.pc.south_bridge.pic1", "system.pc.south_bridge.pic2", "system.pc.south_bridge.pit",
    "system.pc.south_bridge.io_apic", "system.pc.com_1", "system.pc.south_bridge.cmos",
    "system.pc.south_bridge.keyboard", "system.pc.south_bridge.keyboard.keyboard",
    "system.pc.south_bridge.keyboard.mouse", "system.pc.south_bridge.speaker",
    "system.cpu.mmu.itb", "system.cpu.mmu.dtb"};

// A skeleton's TLB entries (v24 spec §3.9): they cache the skeleton's page tables, so they must go.
bool is_tlb_entry(const std::string& section) {
  return section.find(".mmu.itb.Entry") != std::string::npos || section.find(".mmu.dtb.Entry") != std::string::npos;
}

void expect_kept(const CptFile& skeleton, const CptFile& out, const std::set<std::string>& written,
                 std::size_t at_least) {
  std::size_t kept = 0, dropped = 0;
  for (const auto& s : skeleton.sections()) {
    const gem5::Section* o = out.find(s.name());
    if (is_tlb_entry(s.name())) {
      EXPECT_EQ(o, nullptr) << s.name();
      ++dropped;
      continue;
    }
    ASSERT_NE(o, nullptr) << s.name();
    if (written.count(s.name())) continue;
    ++kept;
    ASSERT_EQ(s.entries().size(), o->entries().size()) << s.name();
    for (std::size_t i = 0; i < s.entries().size(); ++i) {
      EXPECT_EQ(s.entries()[i].key, o->entries()[i].key) << s.name();
      EXPECT_EQ(s.entries()[i].value, o->entries()[i].value) << s.name() << ":" << s.entries()[i].key;
    }
  }
  EXPECT_EQ(skeleton.sections().size() - dropped, out.sections().size());
  EXPECT_GE(kept, at_least);
}

TEST(Gem5Skeleton, MergeIntoARealCheckpointKeepsEverySectionTheModelDoesNotTouch) {
  const fs::path real = corpus / "cpt.200000001500";
  Report report = report_for(gem5_codec);
  const model::Machine m = gem5_codec.read(corpus / "cpt.500000002000", report);
  TempDir dir;
  // Reading notes the source's TLB entries, which are not carried; writing, the skeleton's it drops.
  for (const char* tlb : {"system.cpu.mmu.itb", "system.cpu.mmu.dtb"}) {
    const std::string size = load(corpus / "cpt.500000002000").find(tlb)->find("_size")->value;
    EXPECT_TRUE(std::any_of(report.findings().begin(), report.findings().end(), [&](const auto& f) {
      return f.path == std::string("gem5:") + tlb && f.text.find("the " + size + " TLB entries") != std::string::npos;
    })) << tlb;
  }
  report = report_for(gem5_codec);
  gem5_codec.write(m, dir / "out", WriteOptions{.force = false, .store = {}, .skeleton = real, .target_config = {}, .raw_memory = {}}, report);
  const CptFile skeleton = load(real), out = load(dir / "out");
  expect_kept(skeleton, out, written_v24, 135);
  for (const char* tlb : {"system.cpu.mmu.itb", "system.cpu.mmu.dtb"}) {
    EXPECT_NE(skeleton.find(tlb)->find("_size")->value, "0") << tlb;  // the real skeleton has entries
    EXPECT_EQ(out.find(tlb)->find("_size")->value, "0") << tlb;
    EXPECT_TRUE(std::any_of(report.findings().begin(), report.findings().end(),
                            [&](const auto& f) { return f.path == std::string("gem5:") + tlb; }))
        << tlb << ": the report does not say the skeleton's entries were dropped";
  }
  Report again = report_for(gem5_codec);
  EXPECT_EQ(differences(m, gem5_codec.read(dir / "out", again)), "");
}

TEST(Gem5Skeleton, Era2011MergeKeepsTheUsersOtherSections) {
  TempDir dir;
  Report report = report_for(gem5_2011_codec);
  gem5_2011_codec.write(model::power_on(1, 1 << 20), dir / "skel", {}, report);
  CptFile skeleton = load(dir / "skel");
  set(skeleton, "system.pc.south_bridge.ide.disks0", "status", "88");  // the user's own state
  skeleton.section("system.cpu.icache");                                // and configuration
  set(skeleton, "system", "kernel_symtab.size", "0");
  store(skeleton, dir / "skel");
  testing::write_file(dir / "skel/system.pc.south_bridge.ide.disks0.image.cow", "the user's overlay");
  model::Machine m = model::power_on(1, 1 << 20);
  m.cpu[0].regs.rax = 42;
  gem5_2011_codec.write(m, dir / "out", WriteOptions{.force = false, .store = {}, .skeleton = dir / "skel", .target_config = {}, .raw_memory = {}}, report);
  const CptFile out = load(dir / "out");
  expect_kept(skeleton, out,
              {"Globals", "system.cpu", "system.cpu.xc.0", "system.cpu.tickEvent", "system.cpu.interrupts",
               "system.pc.south_bridge.pic1", "system.pc.south_bridge.pic2", "system.pc.south_bridge.pit",
               "system.pc.south_bridge.io_apic", "system.pc.com_1", "system.pc.south_bridge.cmos",
               "system.pc.south_bridge.keyboard", "system.pc.south_bridge.speaker"},
              90);
  EXPECT_EQ(ints(out, "system.cpu.xc.0", "intRegs")[0], 42u);
  // The disk overlays the skeleton names: its own where it has one, else an empty one.
  EXPECT_EQ(testing::read_file(dir / "out/system.pc.south_bridge.ide.disks0.image.cow"), "the user's overlay");
  EXPECT_EQ(fs::file_size(dir / "out/system.pc.south_bridge.ide.disks1.image.cow"), 24u);
}

TEST(Gem5Era2011, AQuiescedThreadsWakeUpTimeIsReportedLost) {
  TempDir dir;
  const fs::path p = broken_2011(dir, "system.cpu.xc.0", "quiesceEndTick", "1000000");
  Report report = report_for(gem5_2011_codec);
  gem5_2011_codec.read(p, report);  // curTick is 0
  EXPECT_TRUE(noted(report, "cpu[0].activity", "quiesced until tick 1000000"));
}

TEST(Gem5Era2011, CliInfoDecodeEncodeDiffConvert) {
  const std::string src = "gem5-2011:" + converted().path().string();
  TempDir dir;
  auto r = testing::run_cptx({"info", converted().path().string()});  // detected
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("gem5-2011"), std::string::npos) << r.out;
  r = testing::run_cptx({"decode", src, "-o", (dir / "m.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  r = testing::run_cptx({"encode", (dir / "m.json").string(), "gem5-2011:" + (dir / "again").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  r = testing::run_cptx({"diff", src, "gem5-2011:" + (dir / "again").string()});
  EXPECT_EQ(r.status, 0) << r.out;
  r = testing::run_cptx({"diff", "--provenance", src, "gem5-2011:" + (dir / "again").string()});
  EXPECT_EQ(r.status, 0) << r.out;  // provenance names the era and tick, not the directory
  r = testing::run_cptx({"convert", src, "gem5:" + (dir / "v24").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  r = testing::run_cptx({"diff", (corpus / "cpt.500000002000").string(), (dir / "v24").string()});
  EXPECT_EQ(r.out.find("cpu["), std::string::npos) << r.out;
  r = testing::run_cptx({"convert", (dir / "v24").string(), "gem5-2011:" + (dir / "again").string()});
  EXPECT_EQ(r.status, 2);  // refuses to overwrite
}

}  // namespace
}  // namespace cptx
