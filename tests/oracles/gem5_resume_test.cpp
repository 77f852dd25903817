// The other direction of the mission: real checkpoints taken by gem5 v24 (corpus/gem5/, the corpus Linux
// guest under fs.py), translated by cptx and resumed in QEMU. The guest must carry on from where gem5
// stopped it and print the same hash chain, line for line, as an uninterrupted run in QEMU.
#include <gtest/gtest.h>

#include <algorithm>

#include "oracles/chain.hpp"
#include "oracles/guest_records.hpp"
#include "oracles/judge.hpp"
#include "oracles/qemu_session.hpp"
#include "tests/support/run.hpp"

namespace cptx::oracle {
namespace {

using namespace std::chrono_literals;
using cptx::testing::TempDir;

const std::string corpus = CPTX_SOURCE_DIR "/corpus";

// The guest's lines in an uninterrupted QEMU run with the gem5 run's STEPS=300 EVERY=5 (corpus/README.md).
std::vector<std::string> reference() {
  return guest_records(cptx::testing::read_file(corpus + "/guests/linux-hashchain/steps300-every5.txt"));
}

struct Case {
  std::string checkpoint;              // under corpus/gem5/linux-hashchain-128M/
  std::string first_line_at_most;      // a line gem5 had not yet printed when it took the checkpoint
  std::vector<std::string> formats;    // passed through between gem5 and QEMU
};

std::ostream& operator<<(std::ostream& os, const Case& c) {
  os << c.checkpoint;
  for (const auto& f : c.formats) os << " → " << f;
  return os << " → qemu";
}

class Gem5ToQemu : public ::testing::TestWithParam<Case> {};

TEST_P(Gem5ToQemu, TheGuestCarriesOnWithTheUninterruptedRunsHashChain) {
  const Case& c = GetParam();
  TempDir dir;
  const Chain chain = translate_chain(CPTX_BINARY, "gem5:" + corpus + "/gem5/linux-hashchain-128M/" + c.checkpoint,
                                      c.formats, dir.path());
  // The kernel booted on gem5's CPU patched itself for the features gem5 announces (RDTSCP among them),
  // which QEMU's default CPU model lacks; the target machine must offer them (docs/qemu.md).
  QemuSession r({CPTX_SOURCE_DIR "/corpus/guests/linux-hashchain/bzImage", "", 128, dir.path(), "resumed",
                 chain.result, "max"});
  r.resume_incoming();
  // The guest halts after its last line, so that line is complete.
  ASSERT_TRUE(r.wait_for_serial("System halted", 60s)) << r.serial() << r.diagnostics();

  const std::vector<std::string> after = guest_records(r.serial()), expected = reference();
  ASSERT_FALSE(after.empty()) << r.serial();
  ASSERT_LE(after.size(), expected.size()) << r.serial();
  // gem5 printed the lines before the checkpoint; QEMU must print exactly the rest.
  const std::vector<std::string> rest(expected.end() - static_cast<std::ptrdiff_t>(after.size()), expected.end());
  EXPECT_EQ(after, rest) << r.serial();
  EXPECT_NE(std::find(after.begin(), after.end(), c.first_line_at_most), after.end())
      << "the guest resumed later than the checkpoint was taken:\n" << r.serial();
  const Verdict v = judge_hash_chain("", r.serial(), expected.back().substr(std::string("GUEST: done hash ").size()));
  EXPECT_TRUE(v.passed()) << v.explain();

  // The kernel measured its timers on gem5, whose APIC timer clock is an eighth of QEMU's; Linux's
  // clocksource watchdog notices on the console. A report on the way must have said so.
  const bool named = std::any_of(chain.hops.begin(), chain.hops.end(), [](const Hop& h) {
    const auto& f = h.report.at("findings");
    return std::any_of(f.begin(), f.end(), [](const auto& x) { return x.at("path") == "platform.time.lapic_timer_hz"; });
  });
  EXPECT_TRUE(named) << "no report names the APIC timer clock running at another rate";
}

INSTANTIATE_TEST_SUITE_P(
    RealCheckpoints, Gem5ToQemu,
    ::testing::Values(
        // 0.2 s: the kernel is booting; everything the workload prints comes after the restore.
        Case{"cpt.200000001500", "GUEST: boot complete", {}},
        // 0.5 s: mid-chain; corpus/gem5/README.md says step 45 follows about 0.05 s later.
        Case{"cpt.500000002000", "GUEST: step 45 hash e1c05e5902ef35c7", {}},
        Case{"cpt.500000002000", "GUEST: step 45 hash e1c05e5902ef35c7", {"palacios", "gem5-2011", "json"}}));

}  // namespace
}  // namespace cptx::oracle
