// `cptx verify` and the conversion reports over the real checkpoints of the corpus, into every format:
// the terminal, JSON and HTML reports of converting a checkpoint into a format name the same changed
// fields with the same statuses; they are the fields `verify --via` that format finds changed there;
// the round trip comes back with no change the formats do not declare, RAM bytes included; and what
// did not come back is what `cptx diff` finds between the checkpoint and its round trip.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "codecs/registry.hpp"
#include "model/json_value.hpp"
#include "tests/corpus/pairs.hpp"
#include "tests/reports/forms.hpp"

namespace cptx::testing {
namespace {

struct Case {
  CorpusCheckpoint checkpoint;
  std::string via;  // a format name
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.checkpoint.name << " via " << c.via; }

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& c : corpus_checkpoints())
    for (const Codec* f : all_codecs()) out.push_back({c, std::string(f->name)});
  return out;
}

// QEMU's RTC timers are rebased on the stream file's modification time: whether one changes on the
// way depends on the moment each run writes, so two runs of the same conversions may differ there.
bool depends_on_the_moment(const std::string& path) { return path.starts_with("rtc.until_"); }

// Leaves out what depends on the moment.
ChangedFields settled(ChangedFields fields) {
  std::erase_if(fields, [](const auto& f) { return depends_on_the_moment(f.first); });
  return fields;
}

class CorpusVerify : public ::testing::TestWithParam<Case> {};

TEST_P(CorpusVerify, ReportsAndVerifyNameTheSameChangesAndTheRoundTripHolds) {
  const Case& c = GetParam();
  TempDir dir;
  const std::string own = c.checkpoint.snapshot ? "qemu" : "gem5";
  const std::string src =
      own + ":" + (c.checkpoint.snapshot ? plain_stream(*c.checkpoint.snapshot, dir) : c.checkpoint.directory).string();
  const std::string vm_xml = (pair_dir(c.checkpoint.pair) / "palacios.xml").string();

  // Into the format, with the three forms of its report.
  const std::string hop = c.via + ":" + (dir / "hop").string();
  std::vector<std::string> there = {"convert",       src, hop, "--report-json", (dir / "there.json").string(),
                                    "--report-html", (dir / "there.html").string()};
  std::vector<std::string> back = {"convert", hop, own + ":" + (dir / "back").string(), "-q"};
  if (c.via == "palacios") {
    // Palacios's file store: its textfile store spells RAM out in hex, at twice the size and time.
    there.insert(there.end(), {"--target-config", vm_xml, "--store", "file"});
    back.insert(back.end(), {"--input-config", vm_xml});
  }
  const testing::Run converted = run_cptx(there);
  ASSERT_EQ(converted.status, 0) << converted.err;
  const ChangedFields reported = changed_in_json(model::Json::parse(read_file(dir / "there.json")));
  EXPECT_EQ(changed_in_summary(converted.err), reported) << converted.err;
  EXPECT_EQ(changed_in_html(read_file(dir / "there.html")), reported);
  for (const auto& [path, status] : reported) EXPECT_NE(status, "undeclared") << path;

  // The same conversion as the first step of verify, and the way back.
  const testing::Run v = run_cptx({"verify", src, "--via", c.via, "--json", "--target-config", vm_xml, "--store", "file"});
  ASSERT_EQ(v.status, 0) << v.out << v.err;
  const auto trip = model::Json::parse(v.out)["round_trips"].at(0);
  EXPECT_EQ(trip["route"], (model::Json{own, c.via, own}));
  EXPECT_TRUE(trip["ram"].empty()) << trip["ram"];
  ChangedFields there_in_verify;
  for (const auto& f : trip["fields"]) {
    EXPECT_NE(f["carry"], "undeclared") << f;
    if (f["values"][1] != f["values"][0]) there_in_verify[f["path"].get<std::string>()] = f["carry"].get<std::string>();
  }
  std::set<std::string> reported_paths, verified_paths;
  for (const auto& [path, status] : settled(reported)) reported_paths.insert(path);
  for (const auto& [path, status] : settled(there_in_verify)) verified_paths.insert(path);
  EXPECT_EQ(verified_paths, reported_paths);

  // What did not come back is what `cptx diff` finds, and each is a field changed on the way.
  std::set<std::string> gone;
  for (const auto& change : trip["changes"]) {
    EXPECT_NE(change["carry"], "undeclared") << change;
    if (!depends_on_the_moment(change["path"].get<std::string>())) gone.insert(change["path"].get<std::string>());
  }
  std::set<std::string> on_the_way;
  for (const auto& f : trip["fields"])
    if (f["came_back"] == false) on_the_way.insert(f["path"].get<std::string>());
  for (const auto& path : gone) EXPECT_TRUE(on_the_way.contains(path)) << path << " changed in no step's report";
  const testing::Run b = run_cptx(back);
  ASSERT_EQ(b.status, 0) << b.err;
  const testing::Run d = run_cptx({"diff", src, own + ":" + (dir / "back").string()});
  ASSERT_NE(d.status, 2) << d.err;
  std::set<std::string> differ;
  std::istringstream lines(d.out);
  for (std::string line; std::getline(lines, line);)
    if (const std::string path = line.substr(0, line.find(": ")); !depends_on_the_moment(path)) differ.insert(path);
  EXPECT_EQ(gone, differ);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusVerify, ::testing::ValuesIn(cases()), [](const auto& p) {
  return p.param.checkpoint.name + "_via_" + test_name(p.param.via);
});

}  // namespace
}  // namespace cptx::testing
