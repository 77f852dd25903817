#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model/diff.hpp"
#include "model/power_on.hpp"
#include "tests/support/arbitrary.hpp"
#include "tests/support/leaves.hpp"

namespace cptx::model {
namespace {

RC_GTEST_PROP(ModelDiff, ChangingOneFieldIsReportedAtExactlyThatPath, (const Machine& original)) {
  Machine changed = original;
  auto all = cptx::testing::leaves(changed);
  const auto& leaf = all[*rc::gen::inRange<std::size_t>(0, all.size())];
  RC_PRE(leaf.change());
  const auto d = diff(original, changed);
  RC_ASSERT(d.size() == 1u);
  RC_ASSERT(d[0].path == leaf.path);
}

RC_GTEST_PROP(ModelDiff, AMachineEqualsItself, (const Machine& m)) { RC_ASSERT(diff(m, m).empty()); }

TEST(ModelDiff, EveryFieldOfAMachineIsCoveredByDiff) {
  const Machine base = cptx::testing::machine_with_every_field(2);
  std::size_t n = 0;
  for (std::size_t i = 0;; ++i) {
    Machine changed = base;
    auto all = cptx::testing::leaves(changed);
    if (i == all.size()) break;
    if (!all[i].change()) continue;
    const auto d = diff(base, changed);
    ASSERT_EQ(d.size(), 1u) << all[i].path;
    EXPECT_EQ(d[0].path, all[i].path);
    ++n;
  }
  EXPECT_GT(n, 600u);
}

TEST(ModelDiff, NamesValuesInTheirJsonForm) {
  Machine a = power_on(1, 1 << 20), b = a;
  b.cpu[0].segments.cs.base = 0x1000;
  b.pic.master.init = PicInit::icw3;
  const auto d = diff(a, b);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].path, "cpu[0].segments.cs.base");
  EXPECT_EQ(d[0].a, "\"0xffff0000\"");
  EXPECT_EQ(d[0].b, "\"0x1000\"");
  EXPECT_EQ(d[1].path, "pic.master.init");
  EXPECT_EQ(d[1].b, "\"icw3\"");
}

TEST(ModelDiff, ListsOfDifferentLengthAreReportedAtTheList) {
  Machine a = power_on(1, 1 << 20), b = power_on(2, 1 << 20);
  const auto d = diff(a, b);
  ASSERT_FALSE(d.empty());
  EXPECT_EQ(d[0].path, "platform.cpu_count");
  bool list = false;
  for (const auto& x : d) list = list || (x.path == "cpu" && x.a == "1 entries" && x.b == "2 entries");
  EXPECT_TRUE(list);
}

}  // namespace
}  // namespace cptx::model
