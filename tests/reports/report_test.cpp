#include <gtest/gtest.h>

#include "model/power_on.hpp"
#include "model/schema.hpp"
#include "reports/report.hpp"
#include "tests/support/coverage_diff.hpp"

namespace cptx {
namespace {

constexpr CoverageRule everything[] = {{"", Carry::exact, ""}};
constexpr CoverageRule lossy[] = {
    {"", Carry::exact, ""},
    {"rtc", Carry::none, "no RTC state"},
    {"rtc.cmos", Carry::approximated, "time bytes only"},
    {"cpu[].fpu.st", Carry::approximated, "64-bit doubles"},
};

std::size_t leaves() {
  std::size_t n = 0;
  for (const auto& f : model::field_list()) n += f.leaf;
  return n;
}

const Report::Row& row(const Report& r, std::string_view path) {
  for (const auto& x : r.rows())
    if (x.path == path) return x;
  throw std::runtime_error("no row " + std::string(path));
}

TEST(Report, OneRowPerModelField) {
  const Report r({"a", "json", everything}, {"b", "json", everything});
  EXPECT_EQ(r.rows().size(), leaves());
  EXPECT_EQ(r.count(Carry::exact), leaves());
}

TEST(Report, EachFieldTakesTheWorseSideAndTheLongestRule) {
  const Report r({"a", "json", everything}, {"b", "x", lossy});
  EXPECT_EQ(row(r, "rtc.index").carry, Carry::none);
  EXPECT_EQ(row(r, "rtc.cmos").carry, Carry::approximated);
  EXPECT_EQ(row(r, "rtc.cmos").note, "x: time bytes only");
  EXPECT_EQ(row(r, "cpu[].fpu.st[].significand").carry, Carry::approximated);
  EXPECT_EQ(row(r, "cpu[].regs.rax").carry, Carry::exact);
  const Report back({"b", "x", lossy}, {"a", "json", everything});
  EXPECT_EQ(row(back, "rtc.index").carry, Carry::none);
}

TEST(Report, FieldsACodecDoesNotDeclareAreNotCarried) {
  constexpr CoverageRule partial[] = {{"cpu", Carry::exact, ""}};
  const Report r({"a", "json", everything}, {"b", "partial", partial});
  EXPECT_EQ(row(r, "pit.speaker_data").carry, Carry::none);
  EXPECT_EQ(row(r, "cpu[].rip").carry, Carry::exact);
}

TEST(Report, FindingsConcernTheirInstancesOnly) {
  Report r({"a", "json", everything}, {"b", "json", everything});
  r.note("cpu[1].fpu.st[3]", Carry::approximated, "rounded to double");
  r.note("uart[2]", Carry::none, "no COM3 here");
  EXPECT_EQ(r.carry_of("cpu[1].fpu.st[3].significand"), Carry::approximated);
  EXPECT_EQ(r.carry_of("cpu[1].fpu.st[3]"), Carry::approximated);
  EXPECT_EQ(r.carry_of("cpu[1].fpu.st[2].significand"), Carry::exact);
  EXPECT_EQ(r.carry_of("cpu[0].fpu.st[3].significand"), Carry::exact);
  EXPECT_EQ(r.carry_of("uart[2].lcr"), Carry::none);
  EXPECT_EQ(r.carry_of("uart[0].lcr"), Carry::exact);
  EXPECT_EQ(row(r, "uart[].lcr").carry, Carry::exact);  // rows say what the formats declare
  const auto j = r.to_json();
  EXPECT_EQ(j["findings"][0]["path"], "cpu[1].fpu.st[3]");
  EXPECT_EQ(j["findings"][1]["carry"], "not carried");
  r.note("uart[].scr", Carry::none, "about every instance");
  EXPECT_EQ(r.carry_of("uart[0].scr"), Carry::none);
}

TEST(Report, ACarryOfAFieldIsItsRowsWhenNothingWasFound) {
  const Report r({"a", "json", everything}, {"b", "x", lossy});
  EXPECT_EQ(r.carry_of("rtc.cmos"), Carry::approximated);
  EXPECT_EQ(r.carry_of("rtc.index"), Carry::none);
  EXPECT_EQ(r.carry_of("rtc"), Carry::none);
  EXPECT_EQ(r.carry_of("cpu[3].fpu.st[7].sign"), Carry::approximated);
  EXPECT_EQ(r.carry_of("cpu[3].regs.rax"), Carry::exact);
}

// The terminal summary: the counts, then every field this checkpoint changed, under its device, with
// both values as a person reads them and why; colour only when asked for.
TEST(Report, SummaryGroupsEveryChangedFieldByDevice) {
  Report r({"src", "json", everything}, {"dst", "x", lossy});
  const model::Machine written = model::power_on(2, 1 << 20);
  model::Machine back = written;
  back.rtc.index = 5;
  back.cpu[1].fpu.st[2].significand = 1;
  back.rtc.cmos[3] = 7;
  ASSERT_TRUE(r.compare(written, back).empty());
  const std::string text = r.summary();
  EXPECT_NE(text.find("src -> dst: "), std::string::npos) << text;
  EXPECT_NE(text.find("\n  cpu[1]\n    approximated fpu.st[2].significand: 0x0 -> 0x1  (x: 64-bit doubles)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  rtc\n    approximated cmos: "), std::string::npos) << text;
  EXPECT_NE(text.find("\n    not carried  index: 0x0 -> 0x5  (x: no RTC state)\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("cpu[0]"), std::string::npos) << "a device without changes has no heading: " << text;
  EXPECT_EQ(text.find('\033'), std::string::npos) << text;
  EXPECT_LT(text.find("this checkpoint: "), text.find("cpu[1]")) << "the counts come first";

  const std::string coloured = r.summary(true);
  EXPECT_NE(coloured.find("\033[1mrtc\033[0m"), std::string::npos) << coloured;
  EXPECT_NE(coloured.find("\033[31mnot carried \033[0m index: 0x0 -> 0x5"), std::string::npos) << coloured;
  EXPECT_NE(coloured.find("\033[33mapproximated\033[0m fpu.st[2]"), std::string::npos) << coloured;
}

TEST(Report, ValuesAreShownWithoutTheQuotesOfPlainStrings) {
  EXPECT_EQ(shown_value("\"0x4\""), "0x4");
  EXPECT_EQ(shown_value("12"), "12");
  EXPECT_EQ(shown_value("[1,2]"), "[1,2]");
  EXPECT_EQ(shown_value("\"a\\u001b[31m\""), "\"a\\u001b[31m\"") << "escapes stay escaped, quoted";
  EXPECT_EQ(device_of("cpu[0].regs.rax"), "cpu[0]");
  EXPECT_EQ(device_of("pic.master.icw3"), "pic");
  EXPECT_EQ(device_of("memory"), "memory");
}

TEST(Report, RoundTripsAreExcusedOnlyWhereCoverageSaysSo) {
  const model::Machine a = model::power_on(2, 1 << 20);
  model::Machine b = a;
  b.rtc.index = 5;                                    // not carried by `lossy`
  b.cpu[1].fpu.st[2].significand = 1;                 // approximate
  EXPECT_TRUE(cptx::testing::unexcused_differences(a, b, lossy).empty());
  b.cpu[0].regs.rax = 1;                              // exact
  const auto d = cptx::testing::unexcused_differences(a, b, lossy);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "cpu[0].regs.rax");
}

TEST(Report, CompareListsEveryChangedFieldWithBothValuesAndFlagsTheUndeclared) {
  Report r({"src", "json", everything}, {"dst", "x", lossy});
  const model::Machine written = model::power_on(1, 1 << 20);
  model::Machine back = written;
  back.rtc.index = 5;         // the target declares the RTC not carried
  back.cpu[0].regs.rax = 1;   // the target declares it exact: a codec bug
  const auto undeclared = r.compare(written, back);
  ASSERT_EQ(undeclared.size(), 1u);
  EXPECT_EQ(undeclared[0].path, "cpu[0].regs.rax");
  ASSERT_EQ(r.changes().size(), 2u);
  EXPECT_EQ(r.carry_of("cpu[0].regs.rax"), Carry::approximated);  // now named by a finding
  EXPECT_GT(r.compared(), 400u);
  EXPECT_EQ(r.changed(Carry::none), 1u);
  EXPECT_EQ(r.changed(Carry::exact), 1u);

  const auto j = r.to_json();
  EXPECT_EQ(j["report_version"], 3);
  EXPECT_EQ(j["this_conversion"]["fields"], r.compared());
  EXPECT_EQ(j["this_conversion"]["unchanged"], r.compared() - 2);
  EXPECT_EQ(j["this_conversion"]["not_carried"], 1);
  EXPECT_EQ(j["this_conversion"]["undeclared"], 1);
  bool rtc = false;
  for (const auto& c : j["changes"])
    if (c["path"] == "rtc.index") {
      rtc = true;
      EXPECT_NE(c["source"], c["target"]);
      EXPECT_EQ(c["target"], "\"0x5\"");
      EXPECT_EQ(c["carry"], "not carried");
      EXPECT_EQ(c["note"], "x: no RTC state");
    }
  EXPECT_TRUE(rtc);

  const std::string text = r.summary();
  EXPECT_NE(text.find("this checkpoint: "), std::string::npos);
  EXPECT_NE(text.find("\n  rtc\n    not carried  index: 0x0 -> 0x5"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  cpu[0]\n    UNDECLARED   regs.rax: 0x0 -> 0x1"), std::string::npos) << text;
}

// Each status of the five reaches the rows, the counts, the changes and the summary; a field
// two formats hold differently takes the worse status.
TEST(Report, FiveStatusesFromExactToNotCarried) {
  constexpr CoverageRule source[] = {
      {"", Carry::exact, ""},
      {"cpu[].fpu.st", Carry::transformed, "80-bit to double, within one unit in the last place"},
      {"pit.channel[].count_latch", Carry::approximated, "only whether a latch is pending"},
  };
  constexpr CoverageRule target[] = {
      {"", Carry::exact, ""},
      {"pic.master.icw3", Carry::defaulted, "the slave is always on input 2"},
      {"pit.channel[].count_latch", Carry::transformed, "a flag"},
      {"rtc", Carry::none, "no RTC state"},
  };
  Report r({"src", "a", source}, {"dst", "b", target});
  EXPECT_EQ(row(r, "cpu[].fpu.st[].significand").carry, Carry::transformed);
  EXPECT_EQ(row(r, "pit.channel[].count_latch").carry, Carry::approximated);  // worse than transformed
  EXPECT_EQ(row(r, "pic.master.icw3").carry, Carry::defaulted);
  EXPECT_EQ(row(r, "rtc.index").carry, Carry::none);
  EXPECT_EQ(row(r, "cpu[].regs.rax").carry, Carry::exact);
  std::size_t total = 0;
  for (const Carry c : all_carries) total += r.count(c);
  EXPECT_EQ(total, leaves());

  const model::Machine written = model::power_on(1, 1 << 20);
  model::Machine back = written;
  back.pic.master.icw3 ^= 0x04;
  back.cpu[0].fpu.st[1].significand ^= 1;
  EXPECT_TRUE(r.compare(written, back).empty());
  EXPECT_EQ(r.changed(Carry::defaulted), 1u);
  EXPECT_EQ(r.changed(Carry::transformed), 1u);

  const auto j = r.to_json();
  const std::pair<const char*, Carry> keys[] = {{"exact", Carry::exact},
                                                 {"transformed", Carry::transformed},
                                                 {"approximated", Carry::approximated},
                                                 {"defaulted", Carry::defaulted},
                                                 {"not_carried", Carry::none}};
  for (const auto& [key, c] : keys) EXPECT_EQ(j["counts"][key], r.count(c)) << key;
  EXPECT_EQ(j["this_conversion"]["defaulted"], 1);
  EXPECT_EQ(j["this_conversion"]["transformed"], 1);
  EXPECT_EQ(j["this_conversion"]["approximated"], 0);
  for (const auto& c : j["changes"])
    EXPECT_EQ(c["carry"], c["path"] == "pic.master.icw3" ? "defaulted" : "transformed") << c["path"];

  const std::string text = r.summary();
  EXPECT_NE(text.find(" transformed, "), std::string::npos) << text;
  EXPECT_NE(text.find("this checkpoint: "), std::string::npos);
  EXPECT_NE(text.find("  pic\n    defaulted    master.icw3: 0x0 -> 0x4  (b: the slave is always on input 2)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    transformed  fpu.st[1].significand: "), std::string::npos) << text;
}

TEST(Report, SchemaPathDropsIndices) {
  EXPECT_EQ(schema_path("cpu[12].fpu.st[3]"), "cpu[].fpu.st[]");
  EXPECT_EQ(schema_path("pit.speaker_data"), "pit.speaker_data");
}

}  // namespace
}  // namespace cptx
