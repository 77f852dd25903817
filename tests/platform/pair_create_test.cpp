// `cptx pair create`: the four files of a pair, each read back as its system reads it.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 with the sanitizers at -O1 reports std::function members inside std::regex as maybe
// uninitialized: a false positive of its flow analysis through the instrumentation.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "codecs/palacios/codec.hpp"
#include "codecs/palacios/tables.hpp"
#include "codecs/palacios/vm_config.hpp"
#include "codecs/platform/describe.hpp"
#include "codecs/platform/pair.hpp"
#include "oracles/process.hpp"
#include "tests/corpus/pairs.hpp"
#include "tests/support/run.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;
using CliRun = cptx::testing::Run;  // not testing::Test::Run

const fs::path kernel = fs::path(CPTX_SOURCE_DIR) / "corpus/guests/linux-hashchain/bzImage";

CliRun create(const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"pair", "create", "--kernel", kernel.string(), "--memory", "128M",
                                   "--cmdline", "console=ttyS0 STEPS=30", out.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cptx(args);
}

TEST(PairCreate, WritesTheFourFilesAndNothingElse) {
  TempDir dir;
  const CliRun r = create(dir / "pair");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(dir.names(), std::vector<std::string>{"pair"});
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(dir / "pair")) files.insert(e.path().filename().string());
  EXPECT_EQ(files, (std::set<std::string>{"gem5.py", "pair.json", "palacios.xml", "qemu.sh"}));
  EXPECT_NE(fs::status(dir / "pair" / "qemu.sh").permissions() & fs::perms::owner_exec, fs::perms::none);
}

TEST(PairCreate, RefusesAnExistingDirectoryUnlessForced) {
  TempDir dir;
  fs::create_directory(dir / "pair");
  write_file(dir / "pair" / "mine", "kept");
  CliRun r = create(dir / "pair");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("exists"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir / "pair" / "mine"), "kept");
  r = create(dir / "pair", {"--force"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir / "pair" / "mine"));
  EXPECT_EQ(dir.names(), std::vector<std::string>{"pair"});  // no temporary sibling left
}

TEST(PairCreate, RefusesWhatNoPairCanHave) {
  TempDir dir;
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--memory", "4G"}, {"--memory", "1M"}, {"--memory", "12x"}, {"--cpus", "16"}, {"--kernel", "/nonexistent"}}) {
    std::vector<std::string> args = {"pair", "create", "--kernel", kernel.string(), "--memory", "128M", (dir / "p").string()};
    args.insert(args.begin() + 2, {option, value});
    const CliRun r = run_cptx(args);
    EXPECT_EQ(r.status, 2) << option << " " << value;
    EXPECT_FALSE(fs::exists(dir / "p")) << option << " " << value;
  }
}

TEST(PairCreate, PairJsonSaysWhatTheThreeShare) {
  TempDir dir;
  ASSERT_EQ(create(dir / "pair", {"--cpus", "2"}).status, 0);
  const auto j = nlohmann::json::parse(read_file(dir / "pair" / "pair.json"));
  EXPECT_EQ(j["cptx_pair"], platform::pair_schema_version);
  EXPECT_EQ(j["guest"]["kernel"], kernel.lexically_normal().string());
  EXPECT_EQ(j["guest"]["cmdline"], "console=ttyS0 STEPS=30");
  EXPECT_EQ(j["ram"]["size"], "0x8000000");
  EXPECT_EQ(j["cpus"]["apic_ids"], nlohmann::json({0, 1}));
  EXPECT_EQ(j["ioapic"]["isa_pins"][0], 2);  // the PIT's IRQ 0 on pin 2
  EXPECT_TRUE(j["ioapic"]["isa_pins"][2].is_null());
  const platform::Target t = platform::describe_target(dir / "pair");
  EXPECT_EQ(t.ram_size, 128u << 20);
  EXPECT_EQ(t.cpus, 2u);
  EXPECT_EQ(t.has[static_cast<std::size_t>(platform::Device::com1)], true);
  EXPECT_EQ(t.has[static_cast<std::size_t>(platform::Device::com2)], false);
}

// The VM XML as cptx's reader takes it: memory, cores, and first the devices cptx maps, with the
// classes and ids its Palacios codec writes by default, in that order.
void expect_codec_devices(const palacios::VmConfig& cfg) {
  const auto classes = palacios::device_classes();
  ASSERT_GE(cfg.devices.size(), classes.size());
  for (std::size_t i = 0; i < classes.size(); ++i) {
    EXPECT_EQ(cfg.devices[i].xml_class, classes[i].xml_class);
    EXPECT_EQ(cfg.devices[i].id, classes[i].default_id);
  }
}

// §5.1-§5.2: a <vm class="PC"> root with <memory> and <cores count> holding one <core/> each;
// every device has a class and an id; a device names only devices before it (<apic>, <bus>,
// <controller>, <storage>, <frontend tag>); files it names are in <files>.
void expect_spec_rules(const fs::path& xml, std::size_t cores) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file(xml.c_str()));
  const auto vm = doc.child("vm");
  ASSERT_TRUE(vm);
  EXPECT_STREQ(vm.attribute("class").value(), "PC");
  EXPECT_TRUE(vm.child("memory"));
  EXPECT_EQ(vm.child("cores").attribute("count").as_ullong(), cores);
  EXPECT_EQ(std::distance(vm.child("cores").children("core").begin(), vm.child("cores").children("core").end()),
            static_cast<std::ptrdiff_t>(cores));
  std::set<std::string> files, seen;
  for (auto f : vm.child("files").children("file")) files.insert(f.attribute("id").value());
  for (auto d : vm.child("devices").children("device")) {
    const std::string id = d.attribute("id").value();
    ASSERT_FALSE(id.empty());
    ASSERT_FALSE(std::string(d.attribute("class").value()).empty()) << id;
    for (const char* ref : {"apic", "bus", "controller", "storage"})
      if (auto r = d.child(ref)) {
        EXPECT_TRUE(seen.contains(r.child_value())) << id << " names " << ref << " " << r.child_value();
      }
    if (auto fe = d.child("frontend")) {
      EXPECT_TRUE(seen.contains(fe.attribute("tag").value())) << id;
    }
    if (auto f = d.child("file")) {
      EXPECT_TRUE(files.contains(f.child_value())) << id;
    }
    seen.insert(id);
  }
}

TEST(PairCreate, PalaciosXmlFollowsTheSpecAndTheCodecsIds) {
  TempDir dir;
  ASSERT_EQ(create(dir / "cd", {"--cpus", "2"}).status, 0);
  write_file(dir / "disk.img", std::string(4096, '\0'));
  ASSERT_EQ(create(dir / "hd", {"--disk", (dir / "disk.img").string()}).status, 0);
  for (const auto& [name, cores] : {std::pair<std::string, std::size_t>{"cd", 2}, {"hd", 1}}) {
    SCOPED_TRACE(name);
    const fs::path xml = dir / name / "palacios.xml";
    const palacios::VmConfig cfg = palacios::read_vm_config(xml);
    EXPECT_EQ(cfg.memory, 128u << 20);
    EXPECT_EQ(cfg.cores, cores);
    expect_codec_devices(cfg);
    expect_spec_rules(xml, cores);
    std::set<std::string> classes;
    for (const auto& d : cfg.devices) classes.insert(d.xml_class);
    for (const char* c : {"NVRAM", "CHAR_STREAM", "IDE", "MPTABLE"}) EXPECT_TRUE(classes.contains(c)) << c;
    EXPECT_EQ(classes.contains("PCI"), name == "hd");  // PCI and IDE for a disk
  }
}

TEST(PairCreate, PalaciosXmlServesAsTargetConfig) {
  TempDir dir;
  ASSERT_EQ(create(dir / "pair").status, 0);
  ASSERT_EQ(run_cptx({"new", "--memory", "128M", "-o", (dir / "m.json").string()}).status, 0);
  const CliRun r = run_cptx({"convert", (dir / "m.json").string(), "palacios:" + (dir / "ck").string(), "--target-config",
                          (dir / "pair" / "palacios.xml").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const CliRun back = run_cptx({"info", "palacios:" + (dir / "ck").string()});
  EXPECT_EQ(back.status, 0) << back.err;
}

// The names of gem5 a script uses: what it imports, the attributes it reads or sets, and the keyword
// arguments it passes; less the names of Python and of the script's own variables.
std::set<std::string> gem5_names_in(const std::string& script) {
  static const std::set<std::string> python = {
      "argparse", "ArgumentParser", "add_argument", "parse_args", "os", "path", "join", "environ", "get",
      "description", "default", "choices", "type", "metavar", "args", "configs", "cpu_type", "take_checkpoint",
      "restore", "max_tick"};
  std::set<std::string> names;
  std::string code;
  for (std::istringstream in(script); std::getline(in, code);) {
    if (const auto hash = code.find('#'); hash != std::string::npos && code.find('"') > hash) code.erase(hash);
    static const std::regex from(R"(^from ([\w.]+) import (\w+))"), import(R"(^import (\w+))"),
        attribute(R"(\.([A-Za-z_]\w*))"), keyword(R"([(,]\s*(\w+)=)"), imported(R"(^    (\w+),$)"),
        dotted(R"(\bm5(\.\w+)+)");
    std::smatch m;
    if (std::regex_search(code, m, from)) {
      names.insert(m[1]);
      names.insert(std::string(m[1]) + "." + std::string(m[2]));
      continue;
    } else if (std::regex_search(code, m, import)) {
      names.insert(m[1]);
      continue;
    } else if (std::regex_search(code, m, imported)) {
      names.insert(m[1]);
    }
    // Only outside string literals.
    std::string bare;
    bool quoted = false;
    for (char c : code) {
      if (c == '"') quoted = !quoted;
      else if (!quoted) bare += c;
    }
    for (auto it = std::sregex_iterator(bare.begin(), bare.end(), dotted); it != std::sregex_iterator(); ++it)
      names.insert(it->str());
    bare = std::regex_replace(bare, dotted, "m5");  // its parts are not names of their own
    for (auto it = std::sregex_iterator(bare.begin(), bare.end(), attribute); it != std::sregex_iterator(); ++it)
      names.insert((*it)[1]);
    for (auto it = std::sregex_iterator(bare.begin(), bare.end(), keyword); it != std::sregex_iterator(); ++it)
      names.insert((*it)[1]);
  }
  std::erase_if(names, [](const std::string& n) { return python.contains(n); });
  return names;
}

std::set<std::string> names_list() {
  std::set<std::string> names;
  std::ifstream in(fs::path(CPTX_SOURCE_DIR) / "corpus/gem5/v24-names.txt");
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') names.insert(line.substr(0, line.find(' ')));
  return names;
}

TEST(PairCreate, Gem5ScriptCompilesAndUsesOnlyNamesOfGem5V24) {
  TempDir dir;
  write_file(dir / "disk.img", std::string(4096, '\0'));
  ASSERT_EQ(create(dir / "pair", {"--cpus", "2", "--disk", (dir / "disk.img").string()}).status, 0);
  const fs::path script = dir / "pair" / "gem5.py";
  const auto r = oracle::run_process({CPTX_PYTHON, "-m", "py_compile", script.string()});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string text = read_file(script);
  const auto used = gem5_names_in(text);
  const auto known = names_list();
  EXPECT_GT(used.size(), 40u);
  for (const auto& n : used) EXPECT_TRUE(known.contains(n)) << n << " is not in corpus/gem5/v24-names.txt";
  for (const char* n : {"X86AtomicSimpleCPU", "common.FSConfig.makeLinuxX86System", "m5.instantiate", "m5.checkpoint"})
    EXPECT_TRUE(used.contains(n)) << n;
  EXPECT_NE(text.find("MEMORY = \"128MB\""), std::string::npos);
  EXPECT_NE(text.find("CPUS = 2"), std::string::npos);
  EXPECT_NE(text.find("COMMAND_LINE = \"console=ttyS0 STEPS=30\""), std::string::npos);
}

TEST(PairCreate, QemuScriptStatesThePlatform) {
  TempDir dir;
  ASSERT_EQ(create(dir / "pair", {"--cpus", "2"}).status, 0);
  const std::string text = read_file(dir / "pair" / "qemu.sh");
  for (const char* line : {"memory_mib=128\n", "cpus=2\n", "cmdline='console=ttyS0 STEPS=30'\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line;
  const auto r = oracle::run_process({"/bin/sh", "-n", (dir / "pair" / "qemu.sh").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  const platform::Target t = platform::describe_target(dir / "pair" / "qemu.sh");
  EXPECT_EQ(t.ram_size, 128u << 20);
  EXPECT_EQ(t.cpus, 2u);
}

}  // namespace
}  // namespace cptx::testing
