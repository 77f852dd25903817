// A gem5 checkpoint's tick survives translation to the picosecond: fs.py restores `cpt.<tick>` at the
// tick its name says, so a checkpoint written back must hold the tick it was read at.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "model/json.hpp"
#include "model/power_on.hpp"
#include "tests/support/corpus.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// curTick as m5.cpt holds it, read as text, not through the codec under test.
std::string cur_tick(const fs::path& checkpoint) {
  const std::string text = testing::read_file(checkpoint / "m5.cpt");
  const std::string key = "\ncurTick=";
  const auto at = text.find(key);
  if (at == std::string::npos) return "(no curTick)";
  return text.substr(at + key.size(), text.find('\n', at + key.size()) - at - key.size());
}

void convert(const std::string& from, const std::string& to) {
  const auto r = testing::run_cptx({"convert", "-q", from, to});
  ASSERT_EQ(r.status, 0) << from << " -> " << to << ": " << r.err;
}

TEST(Gem5Time, RealCheckpointsAreWrittenBackAtTheirExactTick) {
  const fs::path selfcheck = testing::gem5_linux_corpus.parent_path() / "selfcheck-32M";
  for (const fs::path& src : {testing::gem5_linux_corpus / "cpt.200000001500", selfcheck / "cpt.80000000500"}) {
    SCOPED_TRACE(src.string());
    const std::string tick = src.filename().string().substr(4);
    ASSERT_EQ(cur_tick(src), tick);
    TempDir dir;
    convert(src.string(), "gem5:" + (dir / "v24").string());
    EXPECT_EQ(cur_tick(dir / "v24"), tick);
    // And through the model document and the 2011 era.
    convert(src.string(), "json:" + (dir / "m.json").string());
    convert((dir / "m.json").string(), "gem5-2011:" + (dir / "old").string());
    convert("gem5-2011:" + (dir / "old").string(), "gem5:" + (dir / "again").string());
    EXPECT_EQ(cur_tick(dir / "again"), tick);
  }
}

// From a VMM's checkpoint, gem5 → gem5 keeps the tick the first conversion chose.
TEST(Gem5Time, QemuToGem5ToGem5KeepsTheTick) {
  TempDir dir;
  convert("qemu:" + std::string(CPTX_SOURCE_DIR) + "/corpus/pairs/selfcheck/step5.qemu",
          "gem5:" + (dir / "a").string());
  convert("gem5:" + (dir / "a").string(), "gem5:" + (dir / "b").string());
  EXPECT_NE(cur_tick(dir / "a"), "0");
  EXPECT_EQ(cur_tick(dir / "b"), cur_tick(dir / "a"));
}

// Time with a sub-nanosecond part, from a model document, reaches gem5 and comes back at the same
// tick; Palacios, which saves no time, reports it lost.
TEST(Gem5Time, SubNanosecondTimeIsCarriedOrReportedLost) {
  TempDir dir;
  model::Machine m = model::power_on(1, 1 << 20);
  m.platform.time.guest_ns = 80'000'000;
  m.platform.time.guest_sub_ns = 500;
  testing::write_file(dir / "m.json", model::to_json(m).dump());
  convert((dir / "m.json").string(), "gem5:" + (dir / "a").string());
  EXPECT_EQ(cur_tick(dir / "a"), "80000000500");
  convert("gem5:" + (dir / "a").string(), "gem5:" + (dir / "b").string());
  EXPECT_EQ(cur_tick(dir / "b"), "80000000500");
  const auto r = testing::run_cptx({"convert", (dir / "m.json").string(), "palacios:" + (dir / "p").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("time.guest_sub_ns: 500 -> 0"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cptx
