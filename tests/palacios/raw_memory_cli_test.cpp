// Raw memory dumps on the command line: the original tools' workflow of `v3_save ... 1` (skip memory)
// plus `v3_guest_mem_access ... read 0 SIZE > mem.raw`, and back with `... write 0 SIZE < mem.raw` plus
// `v3_load ... 1` (spec §4, "Relation to raw dumps").
#include <gtest/gtest.h>

#include "codecs/json/codec.hpp"
#include "codecs/palacios/codec.hpp"
#include "model/json.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/palacios/test_support.hpp"
#include "tests/support/coverage_diff.hpp"

namespace cptx::palacios::test {
namespace {

namespace fs = std::filesystem;
using cptx::testing::run_cptx;

constexpr std::uint64_t kPages = 5;

// A model whose RAM is `kPages` pages of a recognisable pattern, as JSON next to its bytes.
struct Source {
  model::Machine m;
  Bytes ram;
  fs::path json;
};

Source source(const TempDir& dir) {
  Source s;
  s.ram.resize(kPages * model::page_size);
  for (std::size_t k = 0; k < s.ram.size(); ++k) s.ram[k] = static_cast<std::uint8_t>(k * 7 + k / 4096);
  write_file(dir / "ram.bin", s.ram);
  s.m = model::power_on(2, 0);
  s.m.cpu[0].regs.rax = 0xfeed;
  s.m.memory.regions = {{0, s.ram.size(), model::FileBacking{(dir / "ram.bin").string(), 0, model::Encoding::raw}}};
  model::derive(s.m);
  s.json = dir / "m.json";
  Report report;
  json_codec.write(s.m, s.json, {}, report);
  return s;
}

// `src` as the original tools save it: checkpoint `ck` with option 1, its RAM in the dump `mem.raw`.
void save_with_dump(const TempDir& dir, const Source& src) {
  const auto r = run_cptx({"encode", src.json.string(), "palacios:" + (dir / "ck").string(), "--output-raw-memory",
                           (dir / "mem.raw").string()});
  ASSERT_EQ(r.status, 0) << r.err;
}

TEST(PalaciosRawMemory, EncodeWritesRamToTheDumpAndTheCheckpointWithoutMemoryImg) {
  TempDir dir;
  const Source src = source(dir);
  const auto r = run_cptx({"encode", src.json.string(), "palacios:" + (dir / "ck").string(), "--output-raw-memory",
                           (dir / "mem.raw").string(), "--report-json", (dir / "report.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "ck" / "guest_info0"));
  EXPECT_FALSE(fs::exists(dir / "ck" / "memory_img"));
  EXPECT_EQ(read_file(dir / "mem.raw"), src.ram);
  // The user is told where RAM went and how to load the result, on the terminal and in the report.
  EXPECT_NE(r.err.find("load the checkpoint with option 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find((dir / "mem.raw").string()), std::string::npos) << r.err;
  EXPECT_NE(text(read_file(dir / "report.json")).find("option 1"), std::string::npos);
  // Only the checkpoint and the dump appear: no temporary is left behind.
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"ck", "m.json", "mem.raw", "ram.bin", "report.json"}));
}

TEST(PalaciosRawMemory, CheckpointAndDumpReadBackAsTheSourceModel) {
  TempDir dir;
  const Source src = source(dir);
  ASSERT_NO_FATAL_FAILURE(save_with_dump(dir, src));
  Report report;
  const model::Machine back = palacios_codec.read(dir / "ck", report, {.raw_memory = dir / "mem.raw", .config = {}, .state_only = false});
  const auto diffs = cptx::testing::unexcused_differences(src.m, back, coverage(), report);
  EXPECT_TRUE(diffs.empty()) << cptx::testing::describe(diffs);
  ASSERT_EQ(back.memory.regions.size(), 1u);
  EXPECT_EQ(back.memory.regions[0].size, src.ram.size());
  ASSERT_TRUE(back.memory.regions[0].backing);
  EXPECT_EQ(fs::path(back.memory.regions[0].backing->path), fs::absolute(dir / "mem.raw"));

  // Through the command line: RAM compares equal page by page; decode and convert take the dump too.
  auto r = run_cptx({"diff", src.json.string(), "palacios:" + (dir / "ck").string(), "--b-raw-memory",
                     (dir / "mem.raw").string()});
  EXPECT_EQ(r.out.find("memory"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("pages"), std::string::npos) << r.out;
  r = run_cptx({"decode", (dir / "ck").string(), "--input-raw-memory", (dir / "mem.raw").string(), "-o",
                (dir / "back.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("RAM read from the raw dump"), std::string::npos) << r.err;
  r = run_cptx({"convert", (dir / "ck").string(), "palacios:" + (dir / "ck2").string(), "--input-raw-memory",
                (dir / "mem.raw").string(), "--output-raw-memory", (dir / "mem2.raw").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir / "mem2.raw"), src.ram);
  EXPECT_EQ(run_cptx({"diff", "palacios:" + (dir / "ck").string(), "palacios:" + (dir / "ck2").string(),
                      "--a-raw-memory", (dir / "mem.raw").string(), "--b-raw-memory", (dir / "mem2.raw").string()})
                .status,
            0);
}

// The dump reaches the end of the last RAM region, or the target VM's <memory> if that is more; holes
// are zeros and reported.
TEST(PalaciosRawMemory, DumpCoversTheTargetsMemoryAndFillsHolesWithZeros) {
  TempDir dir;
  Source src = source(dir);
  src.m.memory.regions = {{0, 2 * model::page_size, src.m.memory.regions[0].backing},
                          {4 * model::page_size, model::page_size,
                           model::FileBacking{(dir / "ram.bin").string(), 2 * model::page_size, model::Encoding::raw}}};
  model::derive(src.m);
  Report report;
  json_codec.write(src.m, dir / "holes.json", {}, report);
  cptx::testing::write_file(dir / "vm.xml", R"(<vm class="PC"><memory>1</memory><cores count="2"><core/><core/></cores><devices>
    <device class="8259A" id="PIC"/></devices></vm>)");
  // A VM of more RAM than the model's, and only a PIC: refused unless --force-platform (docs/pairs.md).
  const auto r = run_cptx({"encode", (dir / "holes.json").string(), "palacios:" + (dir / "ck").string(),
                           "--target-config", (dir / "vm.xml").string(), "--output-raw-memory",
                           (dir / "mem.raw").string(), "--force-platform"});
  ASSERT_EQ(r.status, 0) << r.err;
  Bytes expected(1 << 20, 0);
  std::copy_n(src.ram.begin(), 2 * model::page_size, expected.begin());
  std::copy_n(src.ram.begin() + 2 * model::page_size, model::page_size, expected.begin() + 4 * model::page_size);
  EXPECT_EQ(read_file(dir / "mem.raw"), expected);
  EXPECT_NE(r.err.find("the hole [0x2000, 0x4000)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("padded"), std::string::npos) << r.err;
}

TEST(PalaciosRawMemory, CheckpointWithoutMemoryNeedsADump) {
  TempDir dir;
  const Source src = source(dir);
  ASSERT_NO_FATAL_FAILURE(save_with_dump(dir, src));
  for (const std::string verb : {"decode", "convert"}) {
    SCOPED_TRACE(verb);
    const auto r = verb == "decode" ? run_cptx({"decode", (dir / "ck").string(), "-o", (dir / "out.json").string()})
                                    : run_cptx({"convert", (dir / "ck").string(), (dir / "out.json").string()});
    expect_error(r, {(dir / "ck").string(), "memory_img", "option 1", "--input-raw-memory"});
    EXPECT_FALSE(fs::exists(dir / "out.json"));
  }
  // Without --no-memory diff needs RAM as well; with it the state is compared alone.
  expect_error(run_cptx({"diff", src.json.string(), (dir / "ck").string()}), {"memory_img", "option 1"});
  const auto r = run_cptx({"diff", "--no-memory", src.json.string(), (dir / "ck").string()});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out.find("cpu[0].regs"), std::string::npos) << r.out;  // the state was compared, and is equal
  EXPECT_EQ(r.out.find("pages differ"), std::string::npos) << r.out;
  // info shows the state, and says where the RAM is.
  const auto info = run_cptx({"info", (dir / "ck").string()});
  ASSERT_EQ(info.status, 0) << info.err;
  EXPECT_NE(info.out.find("option 1"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("--input-raw-memory"), std::string::npos) << info.out;
  const auto with_dump = run_cptx({"info", (dir / "ck").string(), "--input-raw-memory", (dir / "mem.raw").string()});
  ASSERT_EQ(with_dump.status, 0) << with_dump.err;
  EXPECT_NE(with_dump.out.find("20 KiB in 1 region"), std::string::npos) << with_dump.out;
}

TEST(PalaciosRawMemory, BadDumpsAndAmbiguousRamAreRefusedWithNothingWritten) {
  TempDir dir;
  const Source src = source(dir);
  ASSERT_NO_FATAL_FAILURE(save_with_dump(dir, src));
  ASSERT_EQ(run_cptx({"encode", src.json.string(), "palacios:" + (dir / "full").string()}).status, 0);
  auto convert = [&](const fs::path& ck, const fs::path& dump) {
    return run_cptx({"convert", ck.string(), (dir / "out.json").string(), "--input-raw-memory", dump.string()});
  };
  // A checkpoint with memory_img has its RAM: a dump as well would be a second source.
  expect_error(convert(dir / "full", dir / "mem.raw"), {(dir / "full").string(), "memory_img", "second source"});
  // Not a whole number of pages, empty, missing.
  Bytes odd = src.ram;
  odd.resize(odd.size() - 100);
  write_file(dir / "odd.raw", odd);
  expect_error(convert(dir / "ck", dir / "odd.raw"), {(dir / "odd.raw").string(), std::to_string(odd.size())});
  write_file(dir / "empty.raw", Bytes{});
  expect_error(convert(dir / "ck", dir / "empty.raw"), {(dir / "empty.raw").string(), "empty"});
  expect_error(convert(dir / "ck", dir / "none.raw"), {(dir / "none.raw").string()});
  EXPECT_FALSE(fs::exists(dir / "out.json"));

  // An existing dump is refused unless --force, before anything is written.
  write_file(dir / "taken.raw", bytes("keep"));
  expect_error(run_cptx({"encode", src.json.string(), "palacios:" + (dir / "ck3").string(), "--output-raw-memory",
                         (dir / "taken.raw").string()}),
               {(dir / "taken.raw").string()});
  EXPECT_EQ(read_file(dir / "taken.raw"), bytes("keep"));
  EXPECT_FALSE(fs::exists(dir / "ck3"));
  // An existing checkpoint likewise leaves the dump unwritten.
  expect_error(run_cptx({"encode", src.json.string(), "palacios:" + (dir / "ck").string(), "--output-raw-memory",
                         (dir / "new.raw").string()}),
               {(dir / "ck").string()});
  EXPECT_FALSE(fs::exists(dir / "new.raw"));
  const auto forced = run_cptx({"encode", src.json.string(), "palacios:" + (dir / "ck3").string(),
                                "--output-raw-memory", (dir / "taken.raw").string(), "--force"});
  ASSERT_EQ(forced.status, 0) << forced.err;
  EXPECT_EQ(read_file(dir / "taken.raw"), src.ram);
  for (const auto& name : dir.names()) EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
}

// The checkpoint records no RAM size; the VM's configuration does, and a dump must cover it.
TEST(PalaciosRawMemory, DumpShorterThanTheConfiguredRamIsAnError) {
  TempDir dir;
  const Source src = source(dir);  // 20 KiB of RAM, 2 cores
  ASSERT_NO_FATAL_FAILURE(save_with_dump(dir, src));
  cptx::testing::write_file(dir / "vm.xml", R"(<vm class="PC"><memory>1</memory><cores count="2"/></vm>)");
  cptx::testing::write_file(dir / "vm3.xml", R"(<vm class="PC"><memory>1</memory><cores count="3"/></vm>)");
  auto r = run_cptx({"convert", (dir / "ck").string(), (dir / "out.json").string(), "--input-raw-memory",
                     (dir / "mem.raw").string(), "--input-config", (dir / "vm.xml").string()});
  expect_error(r, {(dir / "mem.raw").string(), std::to_string(src.ram.size()), std::to_string(1 << 20),
                   (dir / "vm.xml").string()});
  r = run_cptx({"diff", src.json.string(), (dir / "ck").string(), "--b-raw-memory", (dir / "mem.raw").string(),
                "--b-config", (dir / "vm3.xml").string()});
  expect_error(r, {(dir / "vm3.xml").string(), "vm/cores/count", "3 cores", "has 2"});
  EXPECT_FALSE(fs::exists(dir / "out.json"));

  // A dump that covers the configured RAM reads.
  Bytes whole = src.ram;
  whole.resize(1 << 20, 0);
  write_file(dir / "whole.raw", whole);
  r = run_cptx({"decode", (dir / "ck").string(), "--input-raw-memory", (dir / "whole.raw").string(),
                "--input-config", (dir / "vm.xml").string(), "-o", (dir / "out.json").string()});
  EXPECT_EQ(r.status, 0) << r.err;
}

// memory_img holds whole regions of region_size and no RAM size (spec §4, P9): the VM's <memory> says
// where its RAM ends; without the XML the size read is the regions' and the report says so.
TEST(PalaciosRawMemory, TheConfiguredRamSizeEndsTheRegionsOfMemoryImg) {
  TempDir dir;
  const Source src = source(dir);  // 20 KiB of RAM
  ASSERT_EQ(run_cptx({"encode", src.json.string(), "palacios:" + (dir / "ck").string()}).status, 0);
  auto ram_size = [&](const fs::path& json) {
    return model::Json::parse(text(read_file(json)))["machine"]["platform"]["ram_size"].get<std::uint64_t>();
  };
  auto r = run_cptx({"decode", (dir / "ck").string(), "-o", (dir / "whole.json").string(), "--report-json",
                     (dir / "report.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(ram_size(dir / "whole.json"), 128u << 20);  // one region of the default 128 MiB
  EXPECT_NE(text(read_file(dir / "report.json")).find("--input-config"), std::string::npos);

  cptx::testing::write_file(dir / "vm.xml", R"(<vm class="PC"><memory>1</memory><cores count="2"/></vm>)");
  r = run_cptx({"decode", (dir / "ck").string(), "--input-config", (dir / "vm.xml").string(), "-o",
                (dir / "vm.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(ram_size(dir / "vm.json"), 1u << 20);
  r = run_cptx({"diff", src.json.string(), "palacios:" + (dir / "ck").string(), "--b-config",
                (dir / "vm.xml").string()});
  EXPECT_EQ(r.out.find("page"), std::string::npos) << r.out;  // the guest's bytes are all there

  // More RAM than the regions hold is a checkpoint of another VM.
  cptx::testing::write_file(dir / "big.xml", R"(<vm class="PC"><memory>256</memory><cores count="2"/></vm>)");
  r = run_cptx({"decode", (dir / "ck").string(), "--input-config", (dir / "big.xml").string(), "-o",
                (dir / "big.json").string()});
  expect_error(r, {"memory_img", "region_size", (dir / "big.xml").string(), std::to_string(256u << 20)});
  EXPECT_FALSE(fs::exists(dir / "big.json"));
}

TEST(PalaciosRawMemory, OtherFormatsRefuseTheOptions) {
  TempDir dir;
  const Source src = source(dir);
  expect_error(run_cptx({"encode", src.json.string(), (dir / "out.json").string(), "--output-raw-memory",
                         (dir / "mem.raw").string()}),
               {"--output-raw-memory does not apply to json output"});
  expect_error(run_cptx({"encode", src.json.string(), "gem5:" + (dir / "g").string(), "--output-raw-memory",
                         (dir / "mem.raw").string()}),
               {"--output-raw-memory does not apply to gem5 output"});
  expect_error(run_cptx({"decode", src.json.string(), "--input-raw-memory", (dir / "ram.bin").string()}),
               {"--input-raw-memory does not apply to json input"});
  expect_error(run_cptx({"info", src.json.string(), "--input-raw-memory", (dir / "ram.bin").string()}),
               {"--input-raw-memory does not apply to json input"});
  expect_error(run_cptx({"diff", src.json.string(), src.json.string(), "--b-raw-memory", (dir / "ram.bin").string()}),
               {"--b-raw-memory does not apply to json input"});
  expect_error(run_cptx({"convert", src.json.string(), (dir / "o.json").string(), "--input-config", "vm.xml"}),
               {"--input-config does not apply to json input"});
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"m.json", "ram.bin"}));
}

}  // namespace
}  // namespace cptx::palacios::test
