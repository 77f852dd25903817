#include <gtest/gtest.h>

#include "oracles/judge.hpp"

namespace cptx::oracle {
namespace {

const std::string reference =
    "guest: selfcheck steps=3\n"
    "guest: checks uart[0].scr rtc.cmos ~pit.channel[0].reload cpu[0].lapic.svr\n"
    "step 1 sum 1111111111111111 ok\n"
    "step 2 sum 2222222222222222 ok\n"
    "step 3 sum 3333333333333333 ok\n"
    "done sum 3333333333333333\n";

// Split the reference after `lines` complete lines and `partial` more characters.
std::pair<std::string, std::string> cut(const std::string& text, int lines, std::size_t partial = 0) {
  std::size_t at = 0;
  for (int i = 0; i < lines; ++i) at = text.find('\n', at) + 1;
  at += partial;
  return {text.substr(0, at), text.substr(at)};
}

nlohmann::json report(std::initializer_list<std::pair<const char*, const char*>> lossy) {
  nlohmann::json fields = nlohmann::json::array({{{"path", "cpu[].regs.rax"}, {"carry", "exact"}}});
  for (const auto& [path, carry] : lossy) fields.push_back({{"path", path}, {"carry", carry}});
  return {{"fields", fields}};
}

TEST(Judge, AnExactContinuationPasses) {
  const auto [before, after] = cut(reference, 3, 7);
  EXPECT_TRUE(judge_selfcheck(reference, before, after, {report({})}).passed());
}

TEST(Judge, ARestartOrALostLineFails) {
  const auto [before, after] = cut(reference, 3);
  auto v = judge_selfcheck(reference, before, reference, {report({})});
  EXPECT_FALSE(v.passed());
  v = judge_selfcheck(reference, before, after.substr(after.find('\n') + 1), {report({})});
  EXPECT_FALSE(v.passed());
  EXPECT_NE(v.explain().find("did not carry on"), std::string::npos) << v.explain();
}

TEST(Judge, AFailureOfStateCarriedExactlyFails) {
  const auto [before, after] = cut(reference, 3);
  std::string bad = after;
  bad.replace(bad.find(" ok"), 3, " FAIL uart[0].scr = 0x00000000, want 0x0000005a");
  const auto v = judge_selfcheck(reference, before, bad, {report({})});
  ASSERT_FALSE(v.passed());
  EXPECT_NE(v.explain().find("uart[0].scr failed, but every report says its state was carried exactly"),
            std::string::npos);
}

TEST(Judge, StateAReportSaysWasLostMustBeFlaggedOnEveryLineAfterTheRestore) {
  const auto [before, after] = cut(reference, 3);
  const auto lost = report({{"rtc.cmos", "not carried"}});
  std::string flagged = after;
  for (std::size_t at; (at = flagged.find(" ok")) != std::string::npos;)
    flagged.replace(at, 3, " FAIL rtc.cmos = 0x00000000, want 0x000000a0");
  EXPECT_TRUE(judge_selfcheck(reference, before, flagged, {lost}).passed());
  const auto v = judge_selfcheck(reference, before, after, {lost});
  ASSERT_FALSE(v.passed());
  EXPECT_NE(v.explain().find("a report says rtc.cmos was not carried, but the guest did not flag it"),
            std::string::npos);
}

// Under platform=gem5 the guest leaves out what gem5 does not model (guests/README.md), so a report
// that such state was lost asks nothing of it.
TEST(Judge, StateTheGuestDoesNotAnnounceNeedNotBeFlagged) {
  std::string gem5_reference = reference;
  gem5_reference.replace(gem5_reference.find("uart[0].scr "), 12, "");
  const auto lost = report({{"uart[].scr", "not carried"}});
  const auto [gem5_before, gem5_after] = cut(gem5_reference, 3);
  EXPECT_TRUE(judge_selfcheck(gem5_reference, gem5_before, gem5_after, {lost}).passed());
  const auto [before, after] = cut(reference, 3);
  EXPECT_FALSE(judge_selfcheck(reference, before, after, {lost}).passed());
}

TEST(Judge, ApproximateStateAndUncertainChecksMayFailOrNot) {
  const auto [before, after] = cut(reference, 3);
  const auto approx = report({{"cpu[].lapic.svr", "approximated"}, {"pit.channel[].reload", "not carried"}});
  EXPECT_TRUE(judge_selfcheck(reference, before, after, {approx}).passed());
  std::string flagged = after;
  flagged.replace(flagged.find(" ok"), 3, " FAIL cpu[0].lapic.svr = 0x000000ff, want 0x000001ff FAIL pit.channel[0] interrupts stopped");
  EXPECT_TRUE(judge_selfcheck(reference, before, flagged, {approx}).passed());
}

TEST(Judge, ReportsOfEveryHopCount) {
  const auto [before, after] = cut(reference, 3);
  std::string flagged = after;
  flagged.replace(flagged.find(" ok"), 3, " FAIL cpu[0].lapic.svr = 0x000000ff, want 0x000001ff");
  EXPECT_FALSE(judge_selfcheck(reference, before, flagged, {report({})}).passed());
  EXPECT_TRUE(judge_selfcheck(reference, before, flagged, {report({}), report({{"cpu[].lapic", "approximated"}})})
                  .passed());
}

TEST(Judge, FindingsConcernOnlyTheStateTheyName) {
  const auto [before, after] = cut(reference, 3);
  nlohmann::json r = report({{"uart[].scr", "approximated"}});
  r["findings"] = {{{"path", "uart[1]"}, {"carry", "not carried"}, {"note", "no COM2"}}};
  EXPECT_TRUE(judge_selfcheck(reference, before, after, {r}).passed());  // uart[0] was carried
  r["findings"] = {{{"path", "uart[0].scr"}, {"carry", "not carried"}, {"note", "lost"}}};
  EXPECT_FALSE(judge_selfcheck(reference, before, after, {r}).passed());
}

TEST(Judge, LinesBeforeTheSaveMustBeUntouched) {
  const auto [before, after] = cut(reference, 3);
  std::string b = before;
  b.replace(b.find(" ok"), 3, " FAIL rtc.cmos = 0x0, want 0x1");
  EXPECT_FALSE(judge_selfcheck(reference, b, after, {report({{"rtc.cmos", "not carried"}})}).passed());
}

TEST(Judge, TheHashChainMustCarryOnToItsFinalHash) {
  const std::string h1 = "00000000000000aa", h2 = "00000000000000bb", h3 = "00000000000000cc";
  const std::string before = "GUEST: boot complete\r\nGUEST: step 1 hash " + h1 + "\r\n";
  const std::string step2 = "GUEST: step 2 hash " + h2 + "\r\n";
  EXPECT_TRUE(judge_hash_chain(before, step2 + "GUEST: done hash " + h2 + "\r\n", h2).passed());
  EXPECT_FALSE(judge_hash_chain(before, step2 + "GUEST: done hash " + h2 + "\r\n", h3).passed());
  EXPECT_FALSE(judge_hash_chain(before, "GUEST: step 1 hash " + h1 + "\r\nGUEST: done hash " + h2 + "\r\n", h2).passed());
  EXPECT_FALSE(judge_hash_chain(before, step2, h2).passed());
}

}  // namespace
}  // namespace cptx::oracle
