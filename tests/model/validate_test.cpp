#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model/power_on.hpp"
#include "model/validate.hpp"
#include "tests/support/arbitrary.hpp"
#include "tests/support/leaves.hpp"

namespace cptx::model {
namespace {

RC_GTEST_PROP(ModelValidate, AnOutOfDomainValueInAFieldIsNamedByValidation, (Machine m)) {
  std::vector<cptx::testing::Leaf> breakable;
  for (auto& leaf : cptx::testing::leaves(m))
    if (leaf.break_in_memory) breakable.push_back(std::move(leaf));
  const auto& leaf = breakable[*rc::gen::inRange<std::size_t>(0, breakable.size())];
  leaf.break_in_memory();
  const auto problems = validate(m);
  RC_ASSERT(!problems.empty());
  RC_ASSERT(problems.front().path == leaf.path);
}

TEST(ModelValidate, EveryFieldThatCanHoldABadValueIsChecked) {
  std::size_t n = 0;
  for (std::size_t i = 0;; ++i) {
    Machine m = power_on(2, 64 << 20);
    auto all = cptx::testing::leaves(m);
    if (i == all.size()) break;
    if (!all[i].break_in_memory) continue;
    all[i].break_in_memory();
    const auto problems = validate(m);
    ASSERT_FALSE(problems.empty()) << all[i].path;
    EXPECT_EQ(problems.front().path, all[i].path);
    ++n;
  }
  EXPECT_GT(n, 100u);
}

TEST(ModelValidate, PowerOnMachinesAreValid) {
  for (std::size_t cpus : {1u, 2u, 64u}) EXPECT_TRUE(validate(power_on(cpus, 8ull << 30)).empty());
}

TEST(ModelValidate, DerivedFieldsMustAgreeWithTheState) {
  Machine m = power_on(2, 64 << 20);
  m.platform.cpu_count = 3;
  auto p = validate(m);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].path, "platform.cpu_count");
  m = power_on(2, 64 << 20);
  m.platform.ram_size += 4096;
  p = validate(m);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].path, "platform.ram_size");
}

TEST(ModelValidate, RegionsMustBeInOrderWithoutOverlap) {
  Machine m = power_on(1, 8ull << 30);
  ASSERT_EQ(m.memory.regions.size(), 2u);
  m.memory.regions[1].gpa = m.memory.regions[0].size - 4096;
  const auto p = validate(m);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].path, "memory.regions[1].gpa");
}

TEST(ModelValidate, ApicIdsMustBeDistinct) {
  Machine m = power_on(3, 1 << 20);
  m.cpu[2].lapic.id = 0;
  const auto p = validate(m);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].path, "cpu[2].lapic.id");
}

TEST(ModelValidate, MasksAndAlignmentAreDomains) {
  Machine m = power_on(1, 1 << 20);
  m.cpu[0].lapic.timer.divide = 0x4;  // bit 2 is not part of the divide configuration
  m.pic.slave.vector_base = 0x71;     // ICW2 vectors are multiples of 8
  m.memory.regions[0].size = 100;
  const auto p = validate(m);
  ASSERT_EQ(p.size(), 4u);  // the bad size also breaks ram_size
  EXPECT_EQ(p[0].path, "cpu[0].lapic.timer.divide");
  EXPECT_EQ(p[1].path, "pic.slave.vector_base");
  EXPECT_EQ(p[2].path, "memory.regions[0].size");
  EXPECT_NE(p[2].message.find("multiple of 4096"), std::string::npos);
}

}  // namespace
}  // namespace cptx::model
