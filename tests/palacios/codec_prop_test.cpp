// Model → Palacios → model for random valid machines, in both stores: everything the codec declares
// it carries exactly comes back unless the translation reported losing it in particular state; the
// canonical form is a fixed point; the stores convert losslessly.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/codec.hpp"
#include "reports/report.hpp"
#include "tests/palacios/test_support.hpp"
#include "tests/support/arbitrary.hpp"
#include "tests/support/coverage_diff.hpp"

namespace cptx::palacios::test {
namespace {

namespace fs = std::filesystem;

// RAM is checked by its own tests (codec_bytes_test.cpp, raw_memory_cli_test.cpp); here one small zero region keeps each case fast.
model::Machine with_small_ram(model::Machine m) {
  m.memory.regions = {{0, 4 * model::page_size, std::nullopt}};
  model::derive(m);
  return m;
}

Target small_target(Store store) {
  Target t;
  t.store = store;
  t.region_size = 2 * model::page_size;
  t.devices = default_devices();
  return t;
}

void expect_round_trip(Store store) {
  const model::Machine m = with_small_ram(*rc::gen::arbitrary<model::Machine>());
  TempDir dir;
  Report report;  // what writing and reading found about particular state, such as a second pending event
  write_machine(m, dir / "ck", small_target(store), report);
  const model::Machine back = read_machine(dir / "ck", report);
  const auto diffs = cptx::testing::unexcused_differences(m, back, coverage(), report);
  if (!diffs.empty()) RC_FAIL(cptx::testing::describe(diffs));
}

RC_GTEST_PROP(PalaciosCodec, TextfileRoundTripKeepsEveryExactlyCarriedField, ()) { expect_round_trip(Store::textfile); }

RC_GTEST_PROP(PalaciosCodec, FileRoundTripKeepsEveryExactlyCarriedField, ()) { expect_round_trip(Store::file); }

std::map<std::string, Bytes> files(const fs::path& dir) {
  std::map<std::string, Bytes> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = read_file(e.path());
  return out;
}

// What the writer makes of what the reader made of the writer's output is that output, byte for byte.
RC_GTEST_PROP(PalaciosCodec, CanonicalCheckpointIsAFixedPointOfReadThenWrite, ()) {
  const model::Machine m = with_small_ram(*rc::gen::arbitrary<model::Machine>());
  const Store store = *rc::gen::element(Store::textfile, Store::file);
  TempDir dir;
  Report report;
  write_machine(m, dir / "a", small_target(store), report);
  write_machine(read_machine(dir / "a", report), dir / "b", small_target(store), report);
  RC_ASSERT(files(dir / "a") == files(dir / "b"));
}

// Converting the store changes nothing the model sees except where the RAM bytes are.
RC_GTEST_PROP(PalaciosCodec, TextfileAndFileStoresConvertLosslessly, ()) {
  const model::Machine m = with_small_ram(*rc::gen::arbitrary<model::Machine>());
  TempDir dir;
  Report report;
  write_machine(m, dir / "text", small_target(Store::textfile), report);
  convert_checkpoint(dir / "text", dir / "bin", Store::file, false);
  convert_checkpoint(dir / "bin", dir / "text2", Store::textfile, false);
  RC_ASSERT(files(dir / "text") == files(dir / "text2"));
  model::Machine a = read_machine(dir / "text", report), b = read_machine(dir / "bin", report);
  for (auto* x : {&a, &b}) {
    for (auto& region : x->memory.regions) region.backing.reset();
    x->platform.source_detail.clear();
  }
  RC_ASSERT(a == b);
}

}  // namespace
}  // namespace cptx::palacios::test
