#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "codecs/io/error.hpp"
#include "codecs/json/codec.hpp"
#include "model/json.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/support/arbitrary.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using cptx::testing::read_file;
using cptx::testing::TempDir;
using cptx::testing::write_file;

RC_GTEST_PROP(JsonCodec, WriteThenReadIsTheIdentity, (model::Machine m)) {
  TempDir dir;
  // Backing paths in normal form: the codec stores them relative to the document, so spellings of one
  // file ("/a/../b", "//b") come back as that file's normal spelling. POSIX lets a path start with
  // two slashes; on Linux it is the root, which lexically_normal leaves alone.
  for (auto& r : m.memory.regions)
    if (r.backing) {
      std::string p = (dir.path() / r.backing->path).lexically_normal().string();
      while (p.starts_with("//")) p.erase(0, 1);
      r.backing->path = p;
    }
  Report report;
  json_codec.write(m, dir / "m.json", {}, report);
  RC_ASSERT(json_codec.read(dir / "m.json", report) == m);
}

TEST(JsonCodec, BackingPathsAreRelativeToTheDocument) {
  TempDir dir;
  fs::create_directories(dir / "a" / "b");
  model::Machine m = model::power_on(1, 1 << 20);
  m.memory.regions[0].backing = model::FileBacking{(dir / "a" / "ram.bin").string(), 0, model::Encoding::raw};
  Report report;
  json_codec.write(m, dir / "a" / "b" / "m.json", {}, report);
  const auto doc = model::Json::parse(read_file(dir / "a" / "b" / "m.json"));
  EXPECT_EQ(doc["machine"]["memory"]["regions"][0]["backing"]["path"], "../ram.bin");
  EXPECT_EQ(json_codec.read(dir / "a" / "b" / "m.json", report).memory.regions[0].backing->path,
            (dir / "a" / "ram.bin").string());
}

TEST(JsonCodec, ErrorsNameFileOffsetAndPath) {
  TempDir dir;
  const std::string text = model::to_json(model::power_on(1, 1 << 20)).dump(2);
  Report report;
  write_file(dir / "t.json", text.substr(0, text.find("\"rflags\"") + 12));
  try {
    json_codec.read(dir / "t.json", report);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, (dir / "t.json").string());
    EXPECT_TRUE(e.where().offset.has_value());
    EXPECT_EQ(e.where().key, "cpu[0].rflags");
  }
  std::string big = text;
  big.replace(big.find("\"cpl\": 0"), 8, "\"cpl\": 1e400");
  write_file(dir / "b.json", big);
  try {
    json_codec.read(dir / "b.json", report);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().key, "cpu[0].cpl");
  }
}

TEST(JsonCodec, OversizedDocumentsAreRefusedBeforeParsing) {
  TempDir dir;
  fs::resize_file((write_file(dir / "huge.json", "{"), dir / "huge.json"), max_model_json_bytes + 1);
  Report report;
  EXPECT_THROW(json_codec.read(dir / "huge.json", report), InputError);
}

TEST(JsonCodec, DeeplyNestedInputIsAnErrorNotACrash) {
  TempDir dir;
  write_file(dir / "deep.json", std::string(200000, '[') + std::string(200000, ']'));
  Report report;
  EXPECT_THROW(json_codec.read(dir / "deep.json", report), InputError);
}

}  // namespace
}  // namespace cptx
