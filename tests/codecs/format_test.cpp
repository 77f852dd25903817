#include <gtest/gtest.h>

#include "codecs/format.hpp"
#include "codecs/io/error.hpp"
#include "model/schema.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

using cptx::testing::TempDir;
using cptx::testing::write_file;

TEST(Formats, EveryFormatOfTheCommandLineIsNamed) {
  for (const char* name : {"json", "palacios", "gem5", "gem5-2011", "qemu"}) EXPECT_NE(find_codec(name), nullptr) << name;
  EXPECT_EQ(find_codec("vmware"), nullptr);
}

// Every codec must say, for every model field, how it carries it.
TEST(Formats, EveryCodecDeclaresCoverageOfEveryModelField) {
  for (const Codec* c : all_codecs()) {
    for (const auto& f : model::field_list())
      if (f.leaf) {
        EXPECT_NE(coverage_of(c->coverage, f.path), nullptr) << c->name << " says nothing of " << f.path;
      }
  }
}

TEST(Formats, PrefixNamesTheFormat) {
  TempDir dir;
  write_file(dir / "m.json", "{}");
  const Endpoint e = parse_input("json:" + (dir / "m.json").string());
  EXPECT_EQ(e.codec->name, "json");
  EXPECT_EQ(e.path, dir / "m.json");
}

TEST(Formats, InputFormatIsDetectedWithoutPrefix) {
  TempDir dir;
  write_file(dir / "a:b", "  \n{\"cptx_model\": 1}");
  EXPECT_EQ(parse_input((dir / "a:b").string()).codec->name, "json");
  write_file(dir / "junk", "hello");
  EXPECT_THROW(parse_input((dir / "junk").string()), UsageError);
}

TEST(Formats, OutputNeedsAFormatUnlessItIsJson) {
  EXPECT_EQ(parse_output("out.json").codec->name, "json");
  EXPECT_THROW(parse_output("out"), UsageError);
  EXPECT_THROW(parse_output("json:"), UsageError);
}

// A raw memory dump and the saving VM's configuration are Palacios notions: only the Palacios codec
// takes them, and the refusal names the flag as the user wrote it.
TEST(Formats, RawMemoryAndConfigInputOptionsAreTakenByPalaciosAlone) {
  const ReadOptions read{.raw_memory = "mem.raw", .config = {}, .state_only = false};
  const ReadOptions config{.raw_memory = {}, .config = "vm.xml", .state_only = false};
  WriteOptions write;
  write.raw_memory = "mem.raw";
  for (const Codec* c : all_codecs()) {
    SCOPED_TRACE(c->name);
    if (c->name == "palacios") {
      EXPECT_NO_THROW(check_read_options(*c, read, "input"));
      EXPECT_NO_THROW(check_read_options(*c, config, "input"));
      EXPECT_NO_THROW(check_write_options(*c, write));
      continue;
    }
    try {
      check_read_options(*c, read, "b");
      ADD_FAILURE() << "accepted";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), "--b-raw-memory does not apply to " + std::string(c->name) + " input");
    }
    EXPECT_THROW(check_read_options(*c, config, "input"), UsageError);
    EXPECT_THROW(check_write_options(*c, write), UsageError);
    EXPECT_NO_THROW(check_read_options(*c, ReadOptions{.raw_memory = {}, .config = {}, .state_only = true}, "input"));
  }
}

}  // namespace
}  // namespace cptx
