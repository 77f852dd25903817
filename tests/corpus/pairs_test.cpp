// The pairs' files agree with each other and with their snapshots: one platform, described for QEMU,
// Palacios and gem5, and the snapshots hold the machine those descriptions make.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "codecs/gem5/cpt_syntax.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/palacios/tables.hpp"
#include "codecs/palacios/vm_config.hpp"
#include "codecs/qemu/codec.hpp"
#include "reports/report.hpp"
#include "tests/corpus/pairs.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;

std::uint64_t mib(const std::string& text) { return std::stoull(text) << 20; }

// What the guest writes to COM1's registers: guests/selfcheck/devices.c (divisor 3, LCR 0x03, IER 0x05,
// MCR 0x0b, scratch 0x5a); Linux's 8250 driver at its default 9600 baud (divisor 115200/9600 = 12),
// 8 bits with the even-parity select bit it sets whenever PARODD is clear (LCR 0x13), DTR, RTS and OUT2
// (MCR 0x0b).
struct Com1 {
  std::uint16_t divisor;
  std::uint8_t lcr, mcr;
};
Com1 com1_of(const std::string& pair) { return pair == "selfcheck" ? Com1{3, 0x03, 0x0b} : Com1{12, 0x13, 0x0b}; }

class PairSnapshot : public ::testing::TestWithParam<Snapshot> {};

TEST_P(PairSnapshot, DecodesWithTheCommand) {
  TempDir dir;
  const fs::path stream = plain_stream(GetParam(), dir);
  const cptx::testing::Run r = run_cptx({"decode", "qemu:" + stream.string(), "-o", (dir / "model.json").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "model.json"));
}

TEST_P(PairSnapshot, HoldsTheMachineOfItsPairsFiles) {
  const Snapshot& s = GetParam();
  TempDir dir;
  Report report;
  const model::Machine m = qemu_codec.read(plain_stream(s, dir), report);
  const auto qemu = command_line(pair_dir(s.pair) / "qemu.cmdline");
  const auto xml = palacios::read_vm_config(pair_dir(s.pair) / "palacios.xml");

  const std::uint64_t ram = std::accumulate(m.memory.regions.begin(), m.memory.regions.end(), std::uint64_t{0},
                                            [](std::uint64_t a, const model::RamRegion& r) { return a + r.size; });
  EXPECT_EQ(ram, mib(option_value(qemu, "-m")));
  EXPECT_EQ(m.platform.ram_size, mib(option_value(qemu, "-m")));
  ASSERT_TRUE(xml.memory);
  EXPECT_EQ(ram, *xml.memory);

  ASSERT_EQ(m.cpu.size(), 1u);
  ASSERT_TRUE(xml.cores);
  EXPECT_EQ(*xml.cores, 1u);
  EXPECT_EQ(option_value(qemu, "-smp"), "");

  const Com1 want = com1_of(s.pair);
  EXPECT_TRUE(m.uart[0].present);
  EXPECT_EQ(m.uart[0].irq, 4);  // COM1, I/O 0x3f8 (model/uart.hpp)
  EXPECT_EQ(m.uart[0].divisor, want.divisor);
  EXPECT_EQ(m.uart[0].lcr, want.lcr);
  EXPECT_EQ(m.uart[0].mcr, want.mcr);
  if (s.pair == "selfcheck") {
    EXPECT_EQ(m.uart[0].ier, 0x05);
    EXPECT_EQ(m.uart[0].scr, 0x5a);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, PairSnapshot, ::testing::ValuesIn(pair_snapshots()),
                         [](const auto& p) { return test_name(p.param); });

class Pair : public ::testing::TestWithParam<std::string> {};

// The devices whose state the model holds, in the order the codec writes them by default: a checkpoint
// cptx writes for this VM has the contexts Palacios creates for it, and nothing is left out.
TEST_P(Pair, PalaciosConfigListsTheModelsDevicesInTheCodecsOrder) {
  const auto cfg = palacios::read_vm_config(pair_dir(GetParam()) / "palacios.xml");
  std::vector<std::pair<std::string, std::string>> mapped, want;
  for (const auto& d : cfg.devices)
    if (palacios::device_class_by_xml(d.xml_class)) mapped.emplace_back(d.xml_class, d.id);
  for (const auto& d : palacios::default_devices()) want.emplace_back(d.xml_class, d.id);
  EXPECT_EQ(mapped, want);
  std::vector<std::string> classes;
  for (const auto& d : cfg.devices) classes.push_back(d.xml_class);
  EXPECT_NE(std::find(classes.begin(), classes.end(), "NVRAM"), classes.end());
  if (GetParam() == "linux-hashchain") {  // no ACPI: the kernel needs MP tables to find its IOAPIC
    EXPECT_NE(std::find(classes.begin(), classes.end(), "MPTABLE"), classes.end());
  }
}

// QEMU is run by the tests' QEMU sessions (oracles/qemu_session.hpp), which take the memory, kernel and
// command line and set the rest themselves: the file may hold nothing else that shapes the machine.
TEST_P(Pair, QemuCommandLineIsOneTheTestSessionsRun) {
  const auto args = command_line(pair_dir(GetParam()) / "qemu.cmdline");
  ASSERT_FALSE(args.empty());
  EXPECT_EQ(args[0], "qemu-system-x86_64");
  const std::map<std::string, std::string> fixed = {{"-machine", "pc,accel=tcg"}, {"-display", "none"},
                                                    {"-monitor", "none"}, {"-serial", "file:com1.txt"},
                                                    {"-qmp", "unix:qmp.sock,server=on,wait=off"}};
  const std::set<std::string> given = {"-m", "-kernel", "-append"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-nodefaults" || a == "-no-user-config") continue;
    ASSERT_LT(i + 1, args.size()) << a;
    if (const auto f = fixed.find(a); f != fixed.end()) EXPECT_EQ(args[i + 1], f->second) << a;
    else EXPECT_TRUE(given.contains(a)) << "an option the sessions do not give: " << a;
    ++i;
  }
  EXPECT_EQ(option_value(args, "-kernel"), GetParam() == "selfcheck" ? "selfcheck.elf" : "bzImage");
}

TEST_P(Pair, Gem5CommandLineHasTheSamePlatform) {
  const auto gem5 = command_line(pair_dir(GetParam()) / "gem5.cmdline");
  const auto qemu = command_line(pair_dir(GetParam()) / "qemu.cmdline");
  EXPECT_EQ(option_value(gem5, "--mem-size"), option_value(qemu, "-m") + "MB");
  EXPECT_EQ(option_value(gem5, "--cpu-type"), "AtomicSimpleCPU");
  EXPECT_EQ(option_value(gem5, "--num-cpus"), "");  // fs.py's default: one
  EXPECT_NE(std::find(gem5.begin(), gem5.end(), "configs/deprecated/example/fs.py"), gem5.end());
}

INSTANTIATE_TEST_SUITE_P(Corpus, Pair, ::testing::ValuesIn(pair_names()),
                         [](const auto& p) { return test_name(p.param); });

// The gem5 run the pair's gem5.cmdline describes wrote this config.ini: its memory is the pair's.
TEST(LinuxPair, Gem5ConfigHasThePairsMemory) {
  const auto ini = gem5::read_cpt(fs::path(CPTX_SOURCE_DIR) / "corpus/gem5/linux-hashchain-128M/config.ini");
  const auto qemu = command_line(pair_dir("linux-hashchain") / "qemu.cmdline");
  const std::string want = "0:" + std::to_string(mib(option_value(qemu, "-m")));
  const gem5::Section* system = ini.find("system");
  ASSERT_NE(system, nullptr);
  ASSERT_NE(system->find("mem_ranges"), nullptr);
  EXPECT_EQ(system->find("mem_ranges")->value, want);
  const gem5::Section* dram = ini.find("system.mem_ctrls.dram");
  ASSERT_NE(dram, nullptr);
  ASSERT_NE(dram->find("range"), nullptr);
  EXPECT_EQ(dram->find("range")->value, want);
  const auto gem5 = command_line(pair_dir("linux-hashchain") / "gem5.cmdline");
  const gem5::Section* cpu = ini.find("system.cpu");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->find("type")->value, "Base" + option_value(gem5, "--cpu-type"));  // fs.py's AtomicSimpleCPU
  const gem5::Section* workload = ini.find("system.workload");
  ASSERT_NE(workload, nullptr);
  EXPECT_TRUE(workload->find("object_file")->value.ends_with("/" + option_value(gem5, "--kernel")));
}

}  // namespace
}  // namespace cptx::testing
