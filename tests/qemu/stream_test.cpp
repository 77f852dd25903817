// The QEMU codec against a real stream saved by QEMU 7.2 from the self-checking guest
// (corpus/README.md says how it was made).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "codecs/io/region_reader.hpp"
#include "codecs/qemu/codec.hpp"
#include "codecs/qemu/stream.hpp"
#include "reports/report.hpp"
#include "tests/support/coverage_diff.hpp"
#include "tests/support/run.hpp"

namespace cptx::qemu {
namespace {

using cptx::testing::TempDir;

const std::string corpus_stream = std::string(CPTX_SOURCE_DIR) + "/corpus/pairs/selfcheck/step5.qemu";

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
    WireWriter out(text, "text");
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

// A KVM save differs from TCG's as spec §5.13 lists: a kvmclock section, the guest TSC in env.tsc
// with cpu/tsc_khz, raw-free segment flags, DR6/DR7 copies in dr[4]/dr[5]. The real stream is
// turned into one (this machine's nested KVM cannot run guests, so none was saved).
TEST(QemuStream, ReadsTheKvmVariant) {
  TempDir dir;
  Stream s = read_stream(corpus_stream);
  for (Section& sec : s.sections)
    if (sec.idstr == "cpu") {
      Record& r = sec.record;
      r.set("env.tsc", 0x123456789a);
      add_subsection(r, *sec.schema, "cpu/tsc_khz").set("value", 2600220);
      for (std::size_t k = 0; k < 6; ++k) {
        const std::string f = "env.segs[" + std::to_string(k) + "].flags";
        r.set(f, r.get(f) & 0x00f0ff00);
      }
      r.set("env.dr", r.get("env.dr", 6), 4);
      r.set("env.dr", r.get("env.dr", 7), 5);
    }
  // kvmclock: be64 clock, then subsection kvmclock/clock_is_reliable (bool), 41 bytes in all.
  Section clock{"kvmclock", 0, 1, nullptr, {}, {0, 0, 0, 0, 0, 0, 0x10, 0}, 0};
  const std::string sub = "kvmclock/clock_is_reliable";
  clock.raw.push_back(0x05);
  clock.raw.push_back(static_cast<std::uint8_t>(sub.size()));
  clock.raw.insert(clock.raw.end(), sub.begin(), sub.end());
  clock.raw.insert(clock.raw.end(), {0, 0, 0, 1, 1});
  s.sections.insert(s.sections.begin() + 4, clock);
  auto desc = nlohmann::json::parse(s.vmdesc);
  desc["devices"].push_back({{"name", "kvmclock"}, {"instance_id", 0}, {"vmsd_name", "kvmclock"}, {"version", 1},
                             {"fields", {{{"name", "clock"}, {"type", "uint64"}, {"size", 8}}}},
                             {"subsections", {{{"vmsd_name", sub}, {"version", 1},
                                               {"fields", {{{"name", "clock_is_reliable"}, {"type", "bool"}, {"size", 1}}}}}}}});
  s.vmdesc = desc.dump();
  const model::Machine tcg = read_qemu(corpus_stream);
  {
    std::ofstream f(dir / "kvm.qemu", std::ios::binary);
    write_stream(f, "kvm.qemu", s, tcg.memory, tcg.platform.ram_size);
  }
  Report report;
  const model::Machine kvm = qemu_codec.read(dir / "kvm.qemu", report);
  EXPECT_EQ(kvm.platform.source_detail, "QEMU pc-i440fx-7.2 (KVM)");
  EXPECT_EQ(kvm.cpu[0].msr.tsc, 0x123456789au);
  EXPECT_EQ(kvm.platform.time.tsc_hz, 2600220000u);
  EXPECT_EQ(kvm.cpu[0].segments, tcg.cpu[0].segments);
  EXPECT_EQ(kvm.cpu[0].dr, tcg.cpu[0].dr);
  EXPECT_NE(report.to_json().dump().find("kvmclock"), std::string::npos);

  // Written back, the stream targets TCG: no kvmclock, and TCG's TSC base carries the KVM TSC.
  Report out;
  WriteOptions opts;
  opts.skeleton = dir / "kvm.qemu";
  qemu_codec.write(kvm, dir / "tcg.qemu", opts, out);
  const Stream t = read_stream((dir / "tcg.qemu").string());
  EXPECT_EQ(t.find("kvmclock", 0), nullptr);
  EXPECT_EQ(t.find("timer", 0)->record.get("cpu_ticks_offset"), 0x123456789au);
}

}  // namespace
}  // namespace cptx::qemu
