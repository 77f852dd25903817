// `cptx verify` over the real checkpoints of the corpus: every checkpoint goes through every format
// and back without a change the formats do not declare, RAM bytes included, and the fields verify
// names are exactly those of the changes the reports of the same two conversions, made by `cptx
// convert`, list, less those that came back as they were.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "codecs/registry.hpp"
#include "model/json_value.hpp"
#include "tests/corpus/pairs.hpp"

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

std::set<std::string> changed_paths(const model::Json& changes) {
  std::set<std::string> out;
  for (const auto& c : changes)
    if (!depends_on_the_moment(c["path"].get<std::string>())) out.insert(c["path"].get<std::string>());
  return out;
}

class CorpusVerify : public ::testing::TestWithParam<Case> {};

TEST_P(CorpusVerify, HoldsAndNamesWhatTheConversionsReportChanged) {
  const Case& c = GetParam();
  TempDir dir;
  const std::string own = c.checkpoint.snapshot ? "qemu" : "gem5";
  const std::string src =
      own + ":" + (c.checkpoint.snapshot ? plain_stream(*c.checkpoint.snapshot, dir) : c.checkpoint.directory).string();
  const std::string vm_xml = (pair_dir(c.checkpoint.pair) / "palacios.xml").string();

  // Palacios's file store: its textfile store spells RAM out in hex, at twice the size and time.
  const testing::Run v = run_cptx({"verify", src, "--via", c.via, "--json", "--target-config", vm_xml, "--store", "file"});
  ASSERT_EQ(v.status, 0) << v.out << v.err;
  const auto trip = model::Json::parse(v.out)["round_trips"].at(0);
  EXPECT_EQ(trip["route"], (model::Json{own, c.via, own}));
  EXPECT_TRUE(trip["ram"].empty()) << trip["ram"];
  for (const auto& change : trip["changes"]) EXPECT_NE(change["carry"], "undeclared") << change;

  const std::string hop = c.via + ":" + (dir / "hop").string();
  std::vector<std::string> there = {"convert", src, hop, "-q", "--report-json", (dir / "there.json").string()};
  std::vector<std::string> back = {"convert", hop, own + ":" + (dir / "back").string(), "-q", "--report-json",
                                   (dir / "back.json").string()};
  if (c.via == "palacios") {
    there.insert(there.end(), {"--target-config", vm_xml, "--store", "file"});
    back.insert(back.end(), {"--input-config", vm_xml});
  }
  for (const auto& args : {there, back}) {
    const testing::Run r = run_cptx(args);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  // Every field verify names, a report of the two conversions lists as changed and declared; every
  // other field they changed came back as it was (as `cptx diff` of their result finds).
  std::set<std::string> reported;
  for (const char* report : {"there.json", "back.json"}) {
    const auto j = model::Json::parse(read_file(dir / report));
    for (const auto& change : j["changes"]) EXPECT_NE(change["carry"], "undeclared") << change;
    reported.merge(changed_paths(j["changes"]));
  }
  const std::set<std::string> verified = changed_paths(trip["changes"]);
  for (const auto& path : verified) EXPECT_TRUE(reported.contains(path)) << path << " is in no report's changes";
  const testing::Run d = run_cptx({"diff", src, own + ":" + (dir / "back").string()});
  ASSERT_NE(d.status, 2) << d.err;
  std::set<std::string> differ;
  std::istringstream lines(d.out);
  for (std::string line; std::getline(lines, line);)
    if (const std::string path = line.substr(0, line.find(": ")); !depends_on_the_moment(path)) differ.insert(path);
  EXPECT_EQ(verified, differ);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusVerify, ::testing::ValuesIn(cases()), [](const auto& p) {
  return p.param.checkpoint.name + "_via_" + test_name(p.param.via);
});

}  // namespace
}  // namespace cptx::testing
