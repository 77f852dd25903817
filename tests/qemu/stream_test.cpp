// The QEMU codec against a real stream saved by QEMU 7.2 from the self-checking guest
// (corpus/qemu/README.md says how it was made).
#include <gtest/gtest.h>

#include <sstream>

#include "codecs/io/region_reader.hpp"
#include "codecs/qemu/qemu_codec.hpp"
#include "codecs/qemu/stream.hpp"
#include "reports/report.hpp"
#include "tests/support/coverage_diff.hpp"
#include "tests/support/run.hpp"

namespace cptx::qemu {
namespace {

using cptx::testing::TempDir;

const std::string corpus_stream = std::string(CPTX_SOURCE_DIR) + "/corpus/qemu/selfcheck-step5.qemu";

model::Machine read_qemu(const std::filesystem::path& p) {
  Report report;
  return qemu_codec.read(p, report);
}

std::vector<std::uint8_t> region_bytes(const model::RamRegion& r) {
  std::vector<std::uint8_t> out(r.size);
  RegionReader reader(r);
  EXPECT_EQ(reader.read(out), out.size());
  return out;
}

TEST(QemuStream, MappedSectionsOfARealStreamReencodeByteForByte) {
  const Stream s = read_stream(corpus_stream);
  WireReader in(corpus_stream);
  int checked = 0;
  for (const Section& sec : s.sections) {
    if (!sec.schema) continue;
    in.seek(sec.offset);
    in.skip(5);
    in.name();
    in.skip(8);
    const std::uint64_t body = in.offset();
    const Record r = read_body(in, *sec.schema);
    std::vector<std::uint8_t> original(in.offset() - body);
    in.seek(body);
    in.bytes(original);
    std::ostringstream text;
    WireWriter out(text);
    write_body(out, *sec.schema, r);
    out.flush();
    const std::string again = text.str();
    EXPECT_EQ(std::vector<std::uint8_t>(again.begin(), again.end()), original) << sec.idstr << " " << sec.instance;
    ++checked;
  }
  // timer, cpu_common, cpu, apic, i8259 x2, ioapic, mc146818rtc, i8254, pcspk, serial, ps2kbd, ps2mouse, pckbd
  EXPECT_EQ(checked, 14);
}

// Values the guest programs (guests/README.md), read back from QEMU's own stream.
TEST(QemuStream, ReadsTheStateTheGuestProgrammed) {
  const model::Machine m = read_qemu(corpus_stream);
  ASSERT_EQ(m.cpu.size(), 1u);
  EXPECT_EQ(m.pic.master.vector_base, 0x20);
  EXPECT_EQ(m.pic.slave.vector_base, 0x28);
  EXPECT_EQ(m.uart[0].scr, 0x5a);
  EXPECT_TRUE(m.uart[0].present);
  EXPECT_FALSE(m.uart[1].present);
  EXPECT_EQ(m.pit.channel[0].mode, 2);
  EXPECT_EQ(m.pit.channel[0].reload, 11932);  // 100 Hz
  EXPECT_LE(m.pit.channel[0].count, 11932);
  EXPECT_EQ(m.cpu[0].segments.cs.selector, 0x8);
  EXPECT_TRUE(m.cpu[0].segments.cs.db);
  EXPECT_EQ(m.cpu[0].cr.cr0 & 1, 1u);
  EXPECT_EQ(m.cpu[0].msr.apic_base & 0xfffff000, 0xfee00000u);
  EXPECT_LE(m.cpu[0].lapic.timer.current_count, m.cpu[0].lapic.timer.initial_count);
  EXPECT_NE(m.cpu[0].lapic.lvt.timer & 0xff, 0u);
  EXPECT_EQ(m.platform.ram_size, 32u << 20);
  EXPECT_GT(m.platform.time.guest_ns, 0u);
  ASSERT_EQ(m.memory.regions.size(), 1u);
  // The guest's multiboot image is loaded at 1 MiB: its ELF code is in the stream's pages.
  const auto ram = region_bytes(m.memory.regions[0]);
  EXPECT_TRUE(std::any_of(ram.begin() + 0x100000, ram.begin() + 0x110000, [](std::uint8_t b) { return b != 0; }));
}

TEST(QemuStream, DecodeEncodeDecodeKeepsEveryCarriedFieldAndEveryPage) {
  TempDir dir;
  const model::Machine a = read_qemu(corpus_stream);
  Report report;
  qemu_codec.write(a, dir / "out.qemu", {}, report);
  const model::Machine b = read_qemu(dir / "out.qemu");
  EXPECT_EQ(cptx::testing::describe(cptx::testing::unexcused_differences(a, b, qemu::coverage)), "");
  ASSERT_EQ(b.memory.regions.size(), 1u);
  EXPECT_EQ(region_bytes(a.memory.regions[0]), region_bytes(b.memory.regions[0]));
  // Only the model's devices were written.
  const Stream s = read_stream((dir / "out.qemu").string());
  EXPECT_EQ(s.find("fw_cfg", 0), nullptr);
  EXPECT_TRUE(s.vmdesc.empty());
  ASSERT_EQ(s.blocks.size(), 1u);
  EXPECT_EQ(s.blocks[0].name, "pc.ram");
}

TEST(QemuStream, WithASkeletonTheSectionsTheModelDoesNotHoldAreKeptVerbatim) {
  TempDir dir;
  const model::Machine a = read_qemu(corpus_stream);
  Report report;
  WriteOptions opts;
  opts.skeleton = corpus_stream;
  qemu_codec.write(a, dir / "out.qemu", opts, report);
  const Stream in = read_stream(corpus_stream), out = read_stream((dir / "out.qemu").string());
  int kept = 0;
  for (const Section& sec : in.sections) {
    const Section* o = out.find(sec.idstr, sec.instance);
    ASSERT_NE(o, nullptr) << sec.idstr;
    if (!sec.schema) {
      EXPECT_EQ(o->raw, sec.raw) << sec.idstr;
      ++kept;
    }
  }
  EXPECT_GT(kept, 10);
  EXPECT_EQ(out.sections.size(), in.sections.size());
  // The report names them.
  const std::string json = report.to_json().dump();
  EXPECT_NE(json.find("fw_cfg"), std::string::npos);
}

TEST(QemuStream, ReportNamesTheSectionsItDoesNotCarry) {
  Report report;
  read_qemu(corpus_stream);
  qemu_codec.read(corpus_stream, report);
  const std::string json = report.to_json().dump();
  for (const char* name : {"fw_cfg", "hpet", "piix4_pm", "globalstate", "kvm-tpr-opt"})
    EXPECT_NE(json.find(name), std::string::npos) << name;
}

}  // namespace
}  // namespace cptx::qemu
