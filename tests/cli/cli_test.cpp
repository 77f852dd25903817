// The cptx command as a user meets it: exit codes, one-line errors, no partial output.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "model/json.hpp"
#include "model/power_on.hpp"
#include "reports/coverage.hpp"
#include "tests/support/run.hpp"
#include "tests/support/terminal.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using cptx::testing::read_file;
using cptx::testing::run_cptx;
using cptx::testing::TempDir;
using cptx::testing::write_file;

const std::string example = std::string(CPTX_SOURCE_DIR) + "/corpus/models/poweron-2cpu-128M.json";

// An error is one line on stderr starting with "cptx: error:", naming the file.
void expect_one_line_error(const cptx::testing::Run& r, const std::string& file, const std::string& key) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err.rfind("cptx: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(key), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(Cli, InfoSummarizesTheBundledExample) {
  const auto r = run_cptx({"info", example});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("format   json"), std::string::npos);
  EXPECT_NE(r.out.find("128 MiB in 1 region"), std::string::npos);
  EXPECT_NE(r.out.find("cpu[1]   real mode, wait_for_sipi"), std::string::npos);
}

TEST(Cli, DecodeOfAModelIsTheSameModel) {
  const auto r = run_cptx({"decode", "json:" + example});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("-> stdout: "), std::string::npos) << r.err;
  EXPECT_EQ(model::from_json(model::Json::parse(r.out)), model::from_json(model::Json::parse(read_file(example))));
}

TEST(Cli, DiffExitsOneAndNamesTheField) {
  TempDir dir;
  model::Machine m = model::power_on(2, 128 << 20);
  m.cpu[1].segments.cs.base = 0x9000;
  write_file(dir / "b.json", model::to_json(m).dump());
  auto r = run_cptx({"diff", example, (dir / "b.json").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "cpu[1].segments.cs.base: \"0xffff0000\" -> \"0x9000\"\n");
  r = run_cptx({"diff", example, example});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.out.empty());
}

TEST(Cli, DiffComparesRamContents) {
  TempDir dir;
  model::Machine m = model::power_on(1, 16 << 20);
  m.memory.regions[0].backing = model::FileBacking{"ram.bin", 0, model::Encoding::raw};
  std::string ram(16 << 20, '\0');
  write_file(dir / "ram.bin", ram);
  write_file(dir / "a.json", model::to_json(m).dump());
  m.memory.regions[0].backing.reset();
  write_file(dir / "b.json", model::to_json(m).dump());
  auto r = run_cptx({"diff", (dir / "a.json").string(), (dir / "b.json").string()});
  EXPECT_EQ(r.status, 0) << r.out;  // a file of zeros and no file hold the same RAM
  EXPECT_TRUE(r.out.empty()) << r.out;
  ram[0x9f123] = 1;
  write_file(dir / "ram.bin", ram);
  r = run_cptx({"diff", "--no-memory", (dir / "a.json").string(), (dir / "b.json").string()});
  EXPECT_EQ(r.status, 0) << r.out;
  r = run_cptx({"diff", (dir / "a.json").string(), (dir / "b.json").string()});
  EXPECT_NE(r.out.find("memory.regions[0]: 1 page differ, the first at guest-physical 0x9f000"), std::string::npos)
      << r.out;
}

TEST(Cli, MalformedModelsGiveExitTwoAndAOneLineErrorWithThePath) {
  TempDir dir;
  const std::string good = read_file(example);
  struct Case {
    std::string name, text, key;
  };
  std::string wrong_type = good, huge = good, missing = good, negative = good;
  wrong_type.replace(wrong_type.find("\"cpl\": 0"), 8, "\"cpl\": \"zero\"");
  huge.replace(huge.find("\"guest_ns\": 0"), 13, "\"guest_ns\": 123456789012345678901234567890");
  missing.replace(missing.find("\"efer\": \"0x0\","), 14, "");
  negative.replace(negative.find("\"index\": \"0x0\""), 14, "\"index\": -3");
  const Case cases[] = {
      {"wrong-type.json", wrong_type, "cpu[0].cpl"},
      {"huge.json", huge, "platform.time.guest_ns"},
      {"missing.json", missing, "cpu[0].efer"},
      {"negative.json", negative, "ioapic.index"},
      {"truncated.json", good.substr(0, good.size() / 2), "offset"},
      {"empty.json", "", "offset 0"},
      {"array.json", "[1,2]", "expected a JSON object"},
  };
  for (const auto& c : cases) {
    write_file(dir / c.name, c.text);
    for (const char* verb : {"info", "decode"}) {
      SCOPED_TRACE(c.name + " " + verb);
      expect_one_line_error(run_cptx({verb, "json:" + (dir / c.name).string()}), c.name, c.key);
    }
  }
}

TEST(Cli, ConvertRefusesToOverwriteAndLeavesNoPartialOutput) {
  TempDir dir;
  write_file(dir / "out.json", "keep me");
  auto r = run_cptx({"convert", example, "json:" + (dir / "out.json").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(read_file(dir / "out.json"), "keep me");
  r = run_cptx({"convert", example, "json:" + (dir / "out.json").string(), "--force", "--report-json",
                (dir / "report.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(model::from_json(model::Json::parse(read_file(dir / "out.json"))),
            model::from_json(model::Json::parse(read_file(example))));
  const auto report = model::Json::parse(read_file(dir / "report.json"));
  EXPECT_EQ(report["counts"]["not_carried"], 0);
  EXPECT_GT(report["fields"].size(), 250u);
  EXPECT_NE(r.err.find("carried exactly"), std::string::npos);

  write_file(dir / "bad.json", "{");
  r = run_cptx({"convert", (dir / "bad.json").string(), "json:" + (dir / "new.json").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(fs::exists(dir / "new.json"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 3);
}

// A report is a finding about this checkpoint: every field the target holds differently is named,
// with its source and target values, in the JSON report and on the terminal; what it does not name
// arrives unchanged.
TEST(Cli, ReportsNameEveryFieldThisCheckpointChangesWithBothValues) {
  TempDir dir;
  const std::string m = (dir / "m.json").string(), q = "qemu:" + (dir / "m.qemu").string();
  ASSERT_EQ(run_cptx({"new", "--cpus", "1", "--memory", "4M", "-o", m}).status, 0);
  auto r = run_cptx({"encode", m, q, "--report-json", (dir / "there.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run_cptx({"convert", q, "json:" + (dir / "back.json").string(), "--report-json", (dir / "back-report.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;

  std::map<std::string, model::Json> named;
  std::set<std::string> lossy_fields;  // QEMU's clocks run on: its timers read differently each time
  for (const char* report : {"there.json", "back-report.json"}) {
    const auto j = model::Json::parse(read_file(dir / report));
    EXPECT_EQ(j["report_version"], 3);
    for (const auto& c : j["changes"]) named[c["path"].get<std::string>()] = c;
    for (const auto& f : j["fields"])
      if (f["carry"] != "exact") lossy_fields.insert(f["path"].get<std::string>());
  }
  // The 8259's ICW3 (cascade wiring) is not in a QEMU stream: QEMU's fixed wiring comes back.
  ASSERT_TRUE(named.contains("pic.master.icw3"));
  EXPECT_EQ(named["pic.master.icw3"]["carry"], "defaulted");
  EXPECT_EQ(named["pic.master.icw3"]["source"], "\"0x0\"");  // values in their JSON form
  EXPECT_EQ(named["pic.master.icw3"]["target"], "\"0x4\"");
  const auto there = model::Json::parse(read_file(dir / "there.json"));
  EXPECT_EQ(there["this_conversion"]["undeclared"], 0);

  const auto diff = run_cptx({"diff", "--no-memory", m, "json:" + (dir / "back.json").string()});
  ASSERT_EQ(diff.status, 1);
  std::istringstream lines(diff.out);
  for (std::string line; std::getline(lines, line);) {
    const std::string path = line.substr(0, line.find(':'));
    const std::string field = schema_path(path);
    EXPECT_TRUE(named.contains(path) || (field.starts_with("rtc.until") && lossy_fields.contains(field)))
        << path << " changed but no report names it";
  }
}

// On a terminal the report is in colour unless NO_COLOR is set; into a pipe it is plain (the corpus's
// report_forms_test reads it there).
TEST(Cli, ReportIsInColourOnATerminalUnlessNoColor) {
  TempDir dir;
  const std::string m = (dir / "m.json").string();
  ASSERT_EQ(run_cptx({"new", "--memory", "4M", "-o", m}).status, 0);
  const auto coloured = cptx::testing::run_cptx_on_terminal({"encode", m, "qemu:" + (dir / "a").string()});
  ASSERT_EQ(coloured.status, 0) << coloured.out;
  EXPECT_NE(coloured.out.find("  \033[1mpic\033[0m\r\n    \033[35mdefaulted   \033[0m master.icw3: 0x0 -> 0x4"),
            std::string::npos)
      << coloured.out;
  const auto plain = cptx::testing::run_cptx_on_terminal({"encode", m, "qemu:" + (dir / "b").string()}, {{"NO_COLOR", "1"}});
  ASSERT_EQ(plain.status, 0) << plain.out;
  EXPECT_NE(plain.out.find("  pic\r\n    defaulted    master.icw3: 0x0 -> 0x4"), std::string::npos) << plain.out;
  EXPECT_EQ(plain.out.find("\033[0m"), std::string::npos) << plain.out;
  const auto quiet = cptx::testing::run_cptx_on_terminal({"encode", "--quiet", m, "qemu:" + (dir / "c").string()});
  EXPECT_EQ(quiet.status, 0);
  EXPECT_EQ(quiet.out, "");
}

TEST(Cli, EncodeWritesTheTargetFormat) {
  TempDir dir;
  auto r = run_cptx({"encode", example, (dir / "copy.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run_cptx({"encode", example, "palacios:" + (dir / "p").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "p" / "guest_info0"));
}

TEST(Cli, OptionsAFormatDoesNotTakeAreRefused) {
  TempDir dir;
  for (const char* opt : {"--store=file", "--skeleton=x", "--target-config=vm.xml", "--jobs=2", "--level=1"}) {
    const auto r = run_cptx({"convert", example, (dir / "out.json").string(), opt});
    EXPECT_EQ(r.status, 2) << opt;
    EXPECT_NE(r.err.find("does not apply to json output"), std::string::npos) << r.err;
  }
  EXPECT_TRUE(dir.names().empty());
}

// gem5 memory compressed on two threads at level 1 reads back as the same machine and RAM; a level
// outside 1-9 is a usage error.
TEST(Cli, Gem5MemoryTakesJobsAndLevel) {
  TempDir dir;
  auto r = run_cptx({"convert", example, "gem5:" + (dir / "g").string(), "--jobs", "2", "--level", "1"});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run_cptx({"diff", example, "gem5:" + (dir / "g").string()});
  EXPECT_EQ(r.out.find("pages differ"), std::string::npos) << r.out;  // what gem5 holds of the rest is other tests'
  EXPECT_EQ(r.out.find("page differ"), std::string::npos) << r.out;
  r = run_cptx({"convert", example, "gem5:" + (dir / "h").string(), "--level", "10"});
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(fs::exists(dir / "h"));
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cptx({}).status, 2);
  EXPECT_EQ(run_cptx({"frobnicate"}).status, 2);
  EXPECT_EQ(run_cptx({"info"}).status, 2);
  EXPECT_EQ(run_cptx({"info", "/nonexistent/file"}).status, 2);
  EXPECT_EQ(run_cptx({"new", "--cpus", "0"}).status, 2);
  EXPECT_EQ(run_cptx({"new", "--memory", "12345"}).status, 2);
}

TEST(Cli, HelpAndVersion) {
  auto r = run_cptx({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("cptx ", 0), 0u);
  for (const char* verb : {"info", "decode", "encode", "convert", "diff", "schema", "new"}) {
    r = run_cptx({verb, "--help"});
    EXPECT_EQ(r.status, 0) << verb;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << verb;
  }
  r = run_cptx({"--help"});
  EXPECT_NE(r.out.find("gem5-2011"), std::string::npos);
}

TEST(Cli, SchemaPrintsJsonSchemaAndTheFieldReference) {
  auto r = run_cptx({"schema"});
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(model::Json::parse(r.out)["title"], "cptx machine model");
  r = run_cptx({"schema", "--markdown"});
  EXPECT_EQ(r.out, read_file(std::string(CPTX_SOURCE_DIR) + "/docs/model.md"));
}

TEST(Cli, NewWritesAValidPowerOnModel) {
  TempDir dir;
  auto r = run_cptx({"new", "--cpus", "4", "--memory", "6G", "-o", (dir / "m.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto m = model::from_json(model::Json::parse(read_file(dir / "m.json")));
  EXPECT_EQ(m.cpu.size(), 4u);
  EXPECT_EQ(m.platform.ram_size, 6ull << 30);
}

}  // namespace
}  // namespace cptx
