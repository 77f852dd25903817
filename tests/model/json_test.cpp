#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model/diff.hpp"
#include "model/json.hpp"
#include "model/power_on.hpp"
#include "model/validate.hpp"
#include "tests/support/arbitrary.hpp"
#include "tests/support/leaves.hpp"

namespace cptx::model {
namespace {

RC_GTEST_PROP(ModelJson, EncodeThenDecodeIsTheIdentity, (const Machine& m)) {
  const Machine back = from_json(Json::parse(to_json(m).dump()));
  RC_ASSERT(diff(m, back).empty());
  RC_ASSERT(m == back);
}

RC_GTEST_PROP(ModelJson, GeneratedMachinesAreValid, (const Machine& m)) {
  const auto problems = validate(m);
  RC_ASSERT(problems.empty());
}

RC_GTEST_PROP(ModelJson, AnOutOfDomainValueInAnyFieldIsRejectedNamingThatField, (Machine m)) {
  auto all = cptx::testing::leaves(m);
  const auto& leaf = all[*rc::gen::inRange<std::size_t>(0, all.size())];
  const auto& bad = leaf.rejected_json[*rc::gen::inRange<std::size_t>(0, leaf.rejected_json.size())];
  Json doc = to_json(m);
  doc[Json::json_pointer(leaf.pointer)] = bad;
  try {
    from_json(doc);
    RC_FAIL("accepted " + bad.dump() + " at " + leaf.path);
  } catch (const FieldError& e) {
    RC_ASSERT(e.path() == leaf.path);
  }
}

TEST(ModelJson, EveryFieldRejectsEveryOutOfDomainValueNamingIt) {
  // Exhaustive over the fields of one machine with every optional engaged.
  Machine m = cptx::testing::machine_with_every_field(2);
  const Json original = to_json(m);
  std::size_t checked = 0;
  for (const auto& leaf : cptx::testing::leaves(m)) {
    for (const auto& bad : leaf.rejected_json) {
      Json doc = original;
      doc[Json::json_pointer(leaf.pointer)] = bad;
      try {
        from_json(doc);
        ADD_FAILURE() << leaf.path << " accepted " << bad.dump();
      } catch (const FieldError& e) {
        EXPECT_EQ(e.path(), leaf.path) << "for " << bad.dump() << ": " << e.what();
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 2000u);
}

TEST(ModelJson, MissingAndUnknownKeysAreRejectedWithTheirPath) {
  const Json original = to_json(power_on(1, 1 << 20));
  Json doc = original;
  doc["machine"]["cpu"][0]["segments"]["cs"].erase("base");
  try {
    from_json(doc);
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.path(), "cpu[0].segments.cs.base");
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
  }
  doc = original;
  doc["machine"]["pit"]["channel"][1]["reload_value"] = 5;
  try {
    from_json(doc);
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.path(), "pit.channel[1].reload_value");
    EXPECT_NE(std::string(e.what()).find("unknown field"), std::string::npos);
  }
}

TEST(ModelJson, TheDocumentCarriesItsSchemaVersion) {
  Json doc = to_json(power_on(1, 1 << 20));
  EXPECT_EQ(doc["cptx_model"], schema_version);
  doc["cptx_model"] = schema_version + 1;
  EXPECT_THROW(from_json(doc), FieldError);
  doc.erase("cptx_model");
  EXPECT_THROW(from_json(doc), FieldError);
}

TEST(ModelJson, HexFieldsAreWrittenAsHexStringsAndReadInEitherForm) {
  Machine m = power_on(1, 1 << 20);
  m.cpu[0].rip = 0xffffffff81000000;
  Json doc = to_json(m);
  EXPECT_EQ(doc["machine"]["cpu"][0]["rip"], "0xffffffff81000000");
  EXPECT_EQ(doc["machine"]["cpu"][0]["cpl"], 0);
  doc["machine"]["cpu"][0]["rip"] = 0xffffffff81000000ull;
  doc["machine"]["cpu"][0]["cpl"] = "0x3";
  const Machine back = from_json(doc);
  EXPECT_EQ(back.cpu[0].rip, 0xffffffff81000000ull);
  EXPECT_EQ(back.cpu[0].cpl, 3);
}

TEST(ModelJson, VectorSetsAreListsOfVectors) {
  Machine m = power_on(1, 1 << 20);
  m.cpu[0].lapic.irr.set(0xec, true);
  m.cpu[0].lapic.irr.set(0x30, true);
  const Json doc = to_json(m);
  EXPECT_EQ(doc["machine"]["cpu"][0]["lapic"]["irr"], Json::array({0x30, 0xec}));
}

}  // namespace
}  // namespace cptx::model
