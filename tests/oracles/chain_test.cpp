// The live oracle through every format: a guest checkpointed in QEMU, translated QEMU → model JSON →
// Palacios → gem5 → gem5 2011 → QEMU by the cptx command, and resumed. It must carry on where it
// stopped, reach the uninterrupted run's result, and flag exactly the state the reports say was lost.
#include <gtest/gtest.h>

#include <fstream>

#include "oracles/chain.hpp"
#include "oracles/judge.hpp"
#include "oracles/qemu_session.hpp"
#include "tests/support/run.hpp"

namespace cptx::oracle {
namespace {

using namespace std::chrono_literals;
using cptx::testing::run_cptx;
using cptx::testing::TempDir;

const std::vector<std::string> every_format = {"json", "palacios", "gem5", "gem5-2011"};

struct Guest {
  std::string kernel, command_line, stop_marker;
};
const Guest selfcheck{CPTX_SELFCHECK_GUEST, "steps=40", "step "};
const Guest hash_chain{std::string(CPTX_SOURCE_DIR) + "/corpus/guests/linux-hashchain/bzImage",
                       "console=ttyS0 STEPS=30 EVERY=1 SLEEP=20000", "GUEST: step "};
constexpr const char* hash_chain_final = "c27ee873c3504ffc";  // corpus/README.md, STEPS=30

// The selfcheck guest's output when nothing interrupts it.
std::string uninterrupted_selfcheck(const TempDir& dir) {
  QemuSession q({selfcheck.kernel, selfcheck.command_line, 128, dir.path(), "reference"});
  EXPECT_TRUE(q.wait_for_serial("done sum", 60s)) << q.diagnostics();
  return q.serial();
}

QemuConfig session(const Guest& g, const TempDir& dir, const char* name, unsigned cpus,
                   const std::filesystem::path& incoming = {}) {
  QemuConfig c{g.kernel, g.command_line, 128, dir.path(), name, incoming};
  c.cpus = cpus;
  return c;
}

// Boots on `cpus` processors, stops after `step`, saves; returns what the guest printed until then.
std::string checkpoint(const Guest& g, int step, const TempDir& dir, const std::filesystem::path& stream,
                       unsigned cpus = 1) {
  QemuSession q(session(g, dir, "source", cpus));
  EXPECT_TRUE(q.wait_for_serial(g.stop_marker + std::to_string(step) + " ", 60s)) << q.diagnostics();
  q.save(stream);
  return q.serial();
}

std::string resume(const Guest& g, const std::filesystem::path& stream, const TempDir& dir, const char* done,
                   unsigned cpus = 1) {
  QemuSession r(session(g, dir, "resumed", cpus, stream));
  r.resume_incoming();
  EXPECT_TRUE(r.wait_for_serial(done, 60s)) << r.serial() << r.diagnostics();
  return r.serial();
}

class SelfcheckThroughEveryFormat : public ::testing::TestWithParam<int> {};

TEST_P(SelfcheckThroughEveryFormat, CarriesOnAndFlagsExactlyWhatTheReportsSayWasLost) {
  TempDir dir;
  const std::string reference = uninterrupted_selfcheck(dir);
  const std::string before = checkpoint(selfcheck, GetParam(), dir, dir / "saved.qemu");
  const Chain chain = translate_chain(CPTX_BINARY, "qemu:" + (dir / "saved.qemu").string(), every_format, dir.path());
  const std::string after = resume(selfcheck, chain.result, dir, "done sum");
  const Verdict v = judge_selfcheck(reference, before, after, chain.reports());
  EXPECT_TRUE(v.passed()) << v.explain() << "--- after the restore ---\n" << after;
}

INSTANTIATE_TEST_SUITE_P(StopPoints, SelfcheckThroughEveryFormat, ::testing::Values(4, 19, 33));

class LinuxThroughEveryFormat : public ::testing::TestWithParam<int> {};

TEST_P(LinuxThroughEveryFormat, ReachesTheDocumentedFinalHash) {
  TempDir dir;
  const std::string before = checkpoint(hash_chain, GetParam(), dir, dir / "saved.qemu");
  const Chain chain = translate_chain(CPTX_BINARY, "qemu:" + (dir / "saved.qemu").string(), every_format, dir.path());
  const std::string after = resume(hash_chain, chain.result, dir, "GUEST: done hash");
  const Verdict v = judge_hash_chain(before, after, hash_chain_final);
  EXPECT_TRUE(v.passed()) << v.explain() << "--- after the restore ---\n" << after;
}

INSTANTIATE_TEST_SUITE_P(StopPoints, LinuxThroughEveryFormat, ::testing::Values(3, 14, 25));

// A guest on several processors: QEMU `-smp N`, translated through one format and back. The corpus
// kernel is built without SMP, so the APs stay where the firmware left them, halted in its loop after
// it counted them; every one must come back as it was, with its APIC id and in its place, and the BSP
// must finish the chain. Palacios saves a halted core as running (docs/palacios.md): the AP then
// runs the firmware's halt loop, which only a QEMU stream written over the original as skeleton
// holds (docs/qemu.md), and halts again; so does the BSP if it was halted, in the kernel's idle loop.
struct SmpCase {
  unsigned cpus;
  std::string format;
  int stop_after;
  std::string halted_after;  // the run state a halted processor has in the translated checkpoint
  bool skeleton = false;
};

std::ostream& operator<<(std::ostream& os, const SmpCase& c) {
  return os << c.cpus << " CPUs through " << c.format << (c.skeleton ? " onto the original as skeleton" : "")
            << ", stopped after step " << c.stop_after;
}

// Each processor's APIC id and run state, in model order.
std::vector<std::pair<int, std::string>> processors(const std::string& checkpoint) {
  const auto r = run_cptx({"decode", checkpoint});
  EXPECT_EQ(r.status, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  std::vector<std::pair<int, std::string>> out;
  for (const auto& c : doc.at("machine").at("cpu")) out.emplace_back(c.at("lapic").at("id"), c.at("activity"));
  return out;
}

class LinuxOnSeveralCpus : public ::testing::TestWithParam<SmpCase> {};

TEST_P(LinuxOnSeveralCpus, EveryProcessorComesBackAndTheGuestReachesTheDocumentedFinalHash) {
  const SmpCase& c = GetParam();
  TempDir dir;
  const auto saved = dir / "saved.qemu";
  const std::string before = checkpoint(hash_chain, c.stop_after, dir, saved, c.cpus);
  std::vector<std::string> final_args;
  if (c.skeleton) final_args = {"--skeleton", saved.string()};
  const Chain chain = translate_chain(CPTX_BINARY, "qemu:" + saved.string(), {c.format}, dir.path(), final_args);

  // The BSP runs or halts between steps; the APs sit in the firmware's halt loop.
  const auto saved_cpus = processors("qemu:" + saved.string());
  ASSERT_EQ(saved_cpus.size(), c.cpus);
  for (unsigned i = 0; i < c.cpus; ++i) EXPECT_EQ(saved_cpus[i].first, static_cast<int>(i));
  for (unsigned i = 1; i < c.cpus; ++i) EXPECT_EQ(saved_cpus[i].second, "halted");
  auto expected = saved_cpus;
  for (auto& [id, activity] : expected)
    if (activity == "halted") activity = c.halted_after;
  EXPECT_EQ(processors("qemu:" + chain.result.string()), expected);

  const std::string after = resume(hash_chain, chain.result, dir, "GUEST: done hash", c.cpus);
  const Verdict v = judge_hash_chain(before, after, hash_chain_final);
  EXPECT_TRUE(v.passed()) << v.explain() << "--- after the restore ---\n" << after;
}

INSTANTIATE_TEST_SUITE_P(Formats, LinuxOnSeveralCpus,
                         ::testing::Values(SmpCase{2, "palacios", 9, "running", true}, SmpCase{2, "gem5", 4, "halted"},
                                           SmpCase{2, "gem5-2011", 14, "halted"}, SmpCase{4, "gem5", 25, "halted"}));

// A broken mapping — here the IOAPIC routes dropped behind the report's back — must make the oracle
// fail, naming the device.
TEST(OracleFaultInjection, ADroppedIoapicRouteIsCaughtAndNamed) {
  TempDir dir;
  const std::string reference = uninterrupted_selfcheck(dir);
  const std::string before = checkpoint(selfcheck, 10, dir, dir / "saved.qemu");
  const Chain decoded = translate_chain(CPTX_BINARY, "qemu:" + (dir / "saved.qemu").string(), {}, dir.path());  // QEMU → QEMU
  auto r = run_cptx({"decode", "qemu:" + (dir / "saved.qemu").string(), "-o", (dir / "m.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  nlohmann::json doc;
  std::ifstream(dir / "m.json") >> doc;
  for (auto& entry : doc["machine"]["ioapic"]["redirection"]) entry = "0x10000";  // every route masked
  std::ofstream(dir / "broken.json") << doc.dump();
  r = run_cptx({"encode", (dir / "broken.json").string(), "qemu:" + (dir / "broken.qemu").string(),
                "--report-json", (dir / "broken.report.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  nlohmann::json report;
  std::ifstream(dir / "broken.report.json") >> report;
  const std::string after = resume(selfcheck, dir / "broken.qemu", dir, "done sum");
  const Verdict v = judge_selfcheck(reference, before, after, {decoded.hops.front().report, report});
  ASSERT_FALSE(v.passed());
  EXPECT_NE(v.explain().find("ioapic.redirection[8] failed, but every report says its state was carried exactly"),
            std::string::npos)
      << v.explain();
}

}  // namespace
}  // namespace cptx::oracle
