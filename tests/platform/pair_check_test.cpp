// `cptx pair check` and the check `cptx convert` runs: each deliberately mismatched pair has its
// problem found, and the corpus pairs and generated pairs of the same platform fit.
#include <gtest/gtest.h>

#include <functional>

#include <nlohmann/json.hpp>

#include "tests/corpus/pairs.hpp"
#include "tests/support/run.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;
using CliRun = cptx::testing::Run;  // not testing::Test::Run
using nlohmann::json;

const fs::path source = CPTX_SOURCE_DIR;
const fs::path pair_kernel = source / "corpus/guests/linux-hashchain/bzImage";

fs::path make_pair(const TempDir& dir, const std::string& name, const std::string& memory, const std::string& cpus = "1") {
  const fs::path out = dir / name;
  if (!fs::exists(out)) {
    const CliRun r = run_cptx({"pair", "create", "--kernel", pair_kernel.string(), "--memory", memory, "--cpus", cpus, out.string()});
    EXPECT_EQ(r.status, 0) << r.err;
  }
  return out;
}

// A power-on model checkpoint, changed by `edit` (its "machine" object).
fs::path make_model(const TempDir& dir, const std::string& name, const std::string& memory, const std::string& cpus,
                    const std::function<void(json&)>& edit = {}) {
  const fs::path out = dir / (name + ".json");
  const CliRun r = run_cptx({"new", "--memory", memory, "--cpus", cpus, "-o", out.string()});
  EXPECT_EQ(r.status, 0) << r.err;
  if (edit) {
    json j = json::parse(read_file(out));
    edit(j["machine"]);
    write_file(out, j.dump());
  }
  return out;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

struct Mismatch {
  std::string name;
  // Makes the checkpoint and the target in `dir`; returns the pair check arguments after "pair check".
  std::function<std::vector<std::string>(const TempDir&)> make;
  std::string what;  // the problem's kind, as the line starts
  std::string text;  // words the line must hold
};
std::ostream& operator<<(std::ostream& os, const Mismatch& m) { return os << m.name; }

std::vector<Mismatch> mismatches() {
  return {
      {"guest_of_128M_into_memory_32",
       [](const TempDir& d) {
         return std::vector<std::string>{make_model(d, "m", "128M", "1").string(),
                                         (make_pair(d, "p32", "32M") / "palacios.xml").string()};
       },
       "ram", "128 MiB of RAM; "},
      {"target_without_pit",
       [](const TempDir& d) {
         const fs::path xml = d / "nopit.xml";
         write_file(xml, replaced(read_file(make_pair(d, "p", "128M") / "palacios.xml"),
                                  "<device class=\"8254_PIT\" id=\"PIT\"/>", ""));
         return std::vector<std::string>{make_model(d, "m", "128M", "1").string(), xml.string()};
       },
       "device", "8254 PIT"},
      {"raw_dump_of_4K_for_RAM",
       [](const TempDir& d) {
         // A Palacios checkpoint saved without its memory, and a dump far smaller than the VM's RAM.
         const CliRun r = run_cptx({"convert", make_model(d, "m", "128M", "1").string(), "palacios:" + (d / "ck").string(),
                                 "--output-raw-memory", (d / "full.raw").string()});
         EXPECT_EQ(r.status, 0) << r.err;
         write_file(d / "small.raw", std::string(4096, '\0'));
         return std::vector<std::string>{"palacios:" + (d / "ck").string(), make_pair(d, "p", "128M").string(),
                                         "--input-raw-memory", (d / "small.raw").string()};
       },
       "raw-memory", "holds 4096 bytes"},
      {"two_processors_into_one",
       [](const TempDir& d) {
         return std::vector<std::string>{make_model(d, "m", "128M", "2").string(), make_pair(d, "p", "128M").string()};
       },
       "cpus", "2 processors"},
      {"apic_id_elsewhere",
       [](const TempDir& d) {
         const auto m = make_model(d, "m", "128M", "1", [](json& machine) { machine["cpu"][0]["lapic"]["id"] = 3; });
         return std::vector<std::string>{m.string(), make_pair(d, "p", "128M").string()};
       },
       "apic", "APIC id 3"},
      {"ioapic_id_too_wide",
       [](const TempDir& d) {
         const auto m = make_model(d, "m", "128M", "1", [](json& machine) { machine["ioapic"]["id"] = 0x20; });
         return std::vector<std::string>{m.string(), (make_pair(d, "p", "128M") / "palacios.xml").string()};
       },
       "ioapic", "IOAPIC id is 32"},
      {"com2_in_use_without_com2",
       [](const TempDir& d) {
         const auto m = make_model(d, "m", "128M", "1", [](json& machine) {
           machine["uart"][1]["present"] = true;
           machine["uart"][1]["divisor"] = 12;
         });
         return std::vector<std::string>{m.string(), (make_pair(d, "p", "128M") / "qemu.sh").string()};
       },
       "serial", "COM2"},
      {"pit_on_another_pin",
       [](const TempDir& d) {
         const auto m = make_model(d, "m", "128M", "1", [](json& machine) { machine["ioapic"]["redirection"][2] = "0x30"; });
         const fs::path p = make_pair(d, "p", "128M");
         json j = json::parse(read_file(p / "pair.json"));
         j["ioapic"]["isa_pins"][0] = 0;
         write_file(d / "pin0.json", j.dump());
         return std::vector<std::string>{m.string(), (d / "pin0.json").string()};
       },
       "irq", "ISA IRQ 0 reaches IOAPIC pin 2"},
      {"interrupt_for_a_missing_processor",
       [](const TempDir& d) {
         const auto m = make_model(d, "m", "128M", "1",
                                   [](json& machine) { machine["ioapic"]["redirection"][4] = "0x500000000000031"; });
         return std::vector<std::string>{m.string(), make_pair(d, "p", "128M").string()};
       },
       "irq", "pin 4 is routed to APIC id 5"},
      {"ram_elsewhere_in_gem5",
       [](const TempDir& d) {
         const fs::path ini = d / "config.ini";
         write_file(ini, replaced(read_file(source / "corpus/gem5/linux-hashchain-128M/config.ini"),
                                  "mem_ranges=0:134217728", "mem_ranges=0:67108864 4294967296:4362076160"));
         return std::vector<std::string>{make_model(d, "m", "128M", "1").string(), ini.string()};
       },
       "ram", "lies at [0x0, 0x8000000)"},
      {"gem5_without_com1",
       [](const TempDir& d) {
         const fs::path ini = d / "config.ini";
         write_file(ini, replaced(read_file(source / "corpus/gem5/linux-hashchain-128M/config.ini"), "[system.pc.com_1]",
                                  "[system.pc.com_9]"));
         return std::vector<std::string>{plain_stream({"linux-hashchain", "step3"}, d).string(), ini.string()};
       },
       "serial", "COM1"},
  };
}

// `cptx pair check ARGS...`
CliRun pair_check(const std::vector<std::string>& args) {
  std::vector<std::string> all = {"pair", "check"};
  all.insert(all.end(), args.begin(), args.end());
  return run_cptx(all);
}

class PairCheckMismatch : public ::testing::TestWithParam<Mismatch> {};

TEST_P(PairCheckMismatch, FindsTheProblem) {
  TempDir dir;
  const CliRun r = pair_check(GetParam().make(dir));
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  bool found = false;
  for (std::istringstream lines(r.out); !found;) {
    std::string line;
    if (!std::getline(lines, line)) break;
    found = line.starts_with(GetParam().what + ": ") && line.find(GetParam().text) != std::string::npos;
  }
  EXPECT_TRUE(found) << "no '" << GetParam().what << ": ..." << GetParam().text << "' in:\n" << r.out;
}

INSTANTIATE_TEST_SUITE_P(Table, PairCheckMismatch, ::testing::ValuesIn(mismatches()),
                         [](const auto& p) { return p.param.name; });

struct Match {
  std::string name;
  std::function<std::vector<std::string>(const TempDir&)> make;
};
std::ostream& operator<<(std::ostream& os, const Match& m) { return os << m.name; }

std::vector<Match> matches() {
  std::vector<Match> out;
  struct Corpus {
    std::string pair, snapshot, memory, gem5;
  };
  for (const Corpus& c : {Corpus{"selfcheck", "step15", "32M", "selfcheck-32M"},
                          Corpus{"linux-hashchain", "step3", "128M", "linux-hashchain-128M"}}) {
    const Snapshot s{c.pair, c.snapshot};
    const std::string memory = c.memory, gem5 = c.gem5;
    out.push_back({test_name(s) + "_with_its_palacios_xml", [s](const TempDir& d) {
                     return std::vector<std::string>{"qemu:" + plain_stream(s, d).string(),
                                                     (pair_dir(s.pair) / "palacios.xml").string()};
                   }});
    out.push_back({test_name(s) + "_with_its_gem5_config", [s, gem5](const TempDir& d) {
                     return std::vector<std::string>{"qemu:" + plain_stream(s, d).string(),
                                                     (source / "corpus/gem5" / gem5 / "config.ini").string()};
                   }});
    for (const char* file : {"", "pair.json", "palacios.xml", "qemu.sh"})
      out.push_back({test_name(s) + "_with_a_generated_pair" + (*file ? "_" + test_name(file) : ""),
                     [s, memory, file](const TempDir& d) {
                       return std::vector<std::string>{"qemu:" + plain_stream(s, d).string(),
                                                       (make_pair(d, "p", memory) / file).string()};
                     }});
  }
  out.push_back({"gem5_checkpoint_with_a_generated_pair", [](const TempDir& d) {
                   return std::vector<std::string>{
                       "gem5:" + (source / "corpus/gem5/linux-hashchain-128M/cpt.500000002000").string(),
                       make_pair(d, "p", "128M").string()};
                 }});
  out.push_back({"two_processors_with_a_pair_of_two", [](const TempDir& d) {
                   return std::vector<std::string>{make_model(d, "m", "64M", "2").string(),
                                                   make_pair(d, "p", "64M", "2").string()};
                 }});
  return out;
}

class PairCheckMatch : public ::testing::TestWithParam<Match> {};

TEST_P(PairCheckMatch, Fits) {
  TempDir dir;
  const CliRun r = pair_check(GetParam().make(dir));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(" fits "), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Table, PairCheckMatch, ::testing::ValuesIn(matches()),
                         [](const auto& p) { return p.param.name; });

TEST(PairCheck, BadInputIsAnErrorOfItsOwn) {
  TempDir dir;
  const auto m = make_model(dir, "m", "32M", "1");
  write_file(dir / "broken.json", "{\"cptx_pair\": 1, \"ram\": ");
  write_file(dir / "future.json", "{\"cptx_pair\": 99}");
  write_file(dir / "other.sh", "#!/bin/sh\nexec qemu-system-x86_64 -m 32\n");
  write_file(dir / "target.txt", "");
  write_file(dir / "bad.ini", "[system]\nmem_ranges=0:12x\n");
  json pin99 = json::parse(read_file(make_pair(dir, "p", "32M") / "pair.json"));
  pin99["ioapic"]["isa_pins"][4] = 99;
  write_file(dir / "pin99.json", pin99.dump());
  for (const auto& [target, says] : std::vector<std::pair<fs::path, std::string>>{
           {dir / "missing.xml", "missing.xml"},
           {dir / "broken.json", "broken.json"},
           {dir / "future.json", "version 99"},
           {dir / "other.sh", "memory_mib"},
           {dir / "target.txt", "a target is"},
           {dir / "bad.ini", "system:mem_ranges"},
           {dir / "pin99.json", "ioapic.isa_pins[4]"}}) {
    const CliRun r = run_cptx({"pair", "check", m.string(), target.string()});
    EXPECT_EQ(r.status, 2) << target;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  }
}

// The check `convert` runs: a target the checkpoint does not fit is refused with every problem
// named and nothing written, unless --force-platform.
TEST(ConvertChecksItsTarget, RefusesAnIncompatibleTargetNamingEveryProblem) {
  TempDir dir;
  const auto m = make_model(dir, "m", "128M", "2");
  const fs::path xml = make_pair(dir, "p32", "32M") / "palacios.xml";
  const CliRun r = run_cptx({"convert", m.string(), "palacios:" + (dir / "out").string(), "--target-config", xml.string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("ram: the checkpoint has 128 MiB"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cpus: the checkpoint has 2 processors"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force-platform"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(ConvertChecksItsTarget, ForcePlatformConvertsAnyway) {
  TempDir dir;
  const auto m = make_model(dir, "m", "128M", "1");
  const fs::path xml = dir / "nopit.xml";
  write_file(xml, replaced(read_file(make_pair(dir, "p", "128M") / "palacios.xml"),
                           "<device class=\"8254_PIT\" id=\"PIT\"/>", ""));
  const std::vector<std::string> args = {"convert", m.string(), "palacios:" + (dir / "out").string(), "--target-config",
                                         xml.string()};
  CliRun r = run_cptx(args);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("device: the checkpoint has a 8254 PIT"), std::string::npos) << r.err;
  auto forced = args;
  forced.push_back("--force-platform");
  r = run_cptx(forced);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "header"));
}

TEST(ConvertChecksItsTarget, APairTargetGivesPalaciosItsXmlAndChecksEveryFormat) {
  TempDir dir;
  const fs::path stream = plain_stream({"selfcheck", "step15"}, dir);
  const fs::path fits = make_pair(dir, "p32", "32M"), too_big = make_pair(dir, "p128", "128M");
  for (const char* format : {"palacios", "gem5", "qemu", "json"}) {
    SCOPED_TRACE(format);
    const std::string out = std::string(format) + ":" + (dir / (std::string("out-") + format)).string();
    CliRun r = run_cptx({"convert", "qemu:" + stream.string(), out, "--target", too_big.string()});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("ram: the checkpoint has 32 MiB"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / (std::string("out-") + format)));
    r = run_cptx({"convert", "qemu:" + stream.string(), out, "--target", fits.string()});
    EXPECT_EQ(r.status, 0) << r.err;
  }
  // The pair's VM XML shaped the Palacios checkpoint: its memory_img holds the VM's 32 MiB.
  const CliRun info = run_cptx({"info", "palacios:" + (dir / "out-palacios").string(), "--input-config",
                                (fits / "palacios.xml").string()});
  EXPECT_EQ(info.status, 0) << info.err;
  EXPECT_NE(info.out.find("32 MiB"), std::string::npos) << info.out;
}

TEST(ConvertChecksItsTarget, ASkeletonIsATargetToo) {
  TempDir dir;
  const auto small = make_model(dir, "small", "32M", "1"), big = make_model(dir, "big", "64M", "1");
  ASSERT_EQ(run_cptx({"convert", big.string(), "qemu:" + (dir / "skel.qemu").string()}).status, 0);
  const CliRun r = run_cptx({"convert", small.string(), "qemu:" + (dir / "out.qemu").string(), "--skeleton",
                          (dir / "skel.qemu").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("ram: the checkpoint has 32 MiB of RAM; " + (dir / "skel.qemu").string() + " has 64 MiB"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace cptx::testing
