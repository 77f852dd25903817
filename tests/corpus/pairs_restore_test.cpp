// Every snapshot of the pairs restores in QEMU with its pair's command line, and the guest carries on:
// the self-checking guest prints exactly the rest of an uninterrupted run, every step `ok`; the Linux
// guest's hash chain reaches its documented final hash. Labelled `long`: each boots QEMU.
#include <gtest/gtest.h>

#include "oracles/judge.hpp"
#include "oracles/qemu_session.hpp"
#include "tests/corpus/pairs.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The session the pair's qemu.cmdline describes (pairs_test.cpp checks that it holds nothing else).
oracle::QemuConfig restore_config(const Snapshot& s, const TempDir& dir, const fs::path& stream) {
  const auto args = command_line(pair_dir(s.pair) / "qemu.cmdline");
  const fs::path kernel = s.pair == "selfcheck" ? fs::path(CPTX_SELFCHECK_GUEST)
                                                : pair_dir(s.pair) / "../../guests/linux-hashchain" / option_value(args, "-kernel");
  EXPECT_EQ(kernel.filename(), option_value(args, "-kernel"));
  return {kernel, option_value(args, "-append"), static_cast<unsigned>(std::stoul(option_value(args, "-m"))), dir.path(),
          "restored", stream};
}

class PairRestore : public ::testing::TestWithParam<Snapshot> {};

TEST_P(PairRestore, TheGuestCarriesOnWhereItWasSaved) {
  const Snapshot& s = GetParam();
  TempDir dir;
  const std::string before = read_file(pair_dir(s.pair) / (s.name + ".serial"));
  oracle::QemuSession q(restore_config(s, dir, plain_stream(s, dir)));
  q.resume_incoming();
  const bool selfcheck = s.pair == "selfcheck";
  ASSERT_TRUE(q.wait_for_serial(selfcheck ? "done sum" : "GUEST: done hash", 50s)) << q.serial() << q.diagnostics();
  if (selfcheck) {
    const std::string reference = read_file(pair_dir(s.pair) / "uninterrupted.serial");
    const oracle::Verdict v = oracle::judge_selfcheck(reference, before, q.serial(), {});
    EXPECT_TRUE(v.passed()) << v.explain();
    EXPECT_EQ(before + q.serial(), reference);
  } else {
    // The final hash of STEPS=30 (corpus/README.md).
    const oracle::Verdict v = oracle::judge_hash_chain(before, q.serial(), "c27ee873c3504ffc");
    EXPECT_TRUE(v.passed()) << v.explain();
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, PairRestore, ::testing::ValuesIn(pair_snapshots()),
                         [](const auto& p) { return test_name(p.param); });

}  // namespace
}  // namespace cptx::testing
