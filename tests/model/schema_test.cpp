#include <gtest/gtest.h>

#include <set>

#include "model/power_on.hpp"
#include "model/schema.hpp"
#include "tests/support/leaves.hpp"

namespace cptx::model {
namespace {

// docs/model.md is checked against its generator, with the formats' mappings, in the codec tests.

// Every leaf of an instance appears in the field list under its `[]` form, and nothing else does.
TEST(ModelSchema, FieldListNamesEveryLeafOfAMachine) {
  Machine m = cptx::testing::machine_with_every_field(1);
  std::set<std::string> listed, seen;
  for (const auto& f : field_list())
    if (f.leaf) listed.insert(f.path);
  for (const auto& leaf : cptx::testing::leaves(m)) {
    std::string p;
    for (std::size_t i = 0; i < leaf.path.size(); ++i) {
      p += leaf.path[i];
      if (leaf.path[i] == '[')
        while (leaf.path[i + 1] != ']') ++i;
    }
    // a list of leaves (redirection[3]) is one field of the list
    if (!listed.count(p) && p.size() > 2 && p.substr(p.size() - 2) == "[]") p.resize(p.size() - 2);
    EXPECT_TRUE(listed.count(p)) << p;
    seen.insert(p);
  }
  for (const auto& p : listed) EXPECT_TRUE(seen.count(p)) << "listed but not in a machine: " << p;
}

TEST(ModelSchema, DocsGiveWidthsDomainsAndUnits) {
  const std::string md = markdown_reference();
  EXPECT_NE(md.find("| `cpu[].segments.{es,cs,ss,ds,fs,gs,ldtr,tr}.dpl` | u8 | 0..3 |"), std::string::npos);
  EXPECT_NE(md.find("| `pit.channel[].reload` | u16 |  | PIT clocks |"), std::string::npos);
  EXPECT_NE(md.find("| `memory.regions[].size` | u64 | 4096..2^64-1, multiple of 4096 | bytes |"), std::string::npos);
  EXPECT_NE(md.find("`cpu[].activity` | enum | one of `running` `halted` `wait_for_sipi`"), std::string::npos);
}

TEST(ModelSchema, JsonSchemaDescribesTheDocument) {
  const Json s = json_schema();
  EXPECT_EQ(s["properties"]["cptx_model"]["const"], schema_version);
  const Json& cpu = s["properties"]["machine"]["properties"]["cpu"];
  EXPECT_EQ(cpu["type"], "array");
  EXPECT_EQ(cpu["minItems"], 1);
  EXPECT_EQ(cpu["maxItems"], max_cpus);
  const Json& cpl = cpu["items"]["properties"]["cpl"];
  EXPECT_EQ(cpl["oneOf"][0]["maximum"], 3);
  const Json& seg = cpu["items"]["properties"]["segments"]["properties"]["cs"];
  EXPECT_EQ(seg["additionalProperties"], false);
  EXPECT_EQ(seg["required"].size(), 12u);
}

}  // namespace
}  // namespace cptx::model
