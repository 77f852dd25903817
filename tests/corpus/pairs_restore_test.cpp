// Every snapshot of the pairs restores in QEMU with its pair's command line, and the guest carries on:
// the self-checking guest prints exactly the rest of an uninterrupted run, every step `ok`; the Linux
// guest's hash chain reaches its documented final hash; and so does a snapshot taken straight through
// every other format and back into QEMU. Labelled `live`: each boots QEMU.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "oracles/judge.hpp"
#include "oracles/qemu_session.hpp"
#include "tests/corpus/pairs.hpp"
#include "tests/support/run.hpp"

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

// Restores `stream` with the pair's command line and judges the guest against the uninterrupted run:
// the self-checking guest may find lost only what one of `reports` says was not carried.
void expect_carries_on(const Snapshot& s, const TempDir& dir, const fs::path& stream,
                       const std::vector<nlohmann::json>& reports = {}) {
  const std::string before = read_file(pair_dir(s.pair) / (s.name + ".serial"));
  oracle::QemuSession q(restore_config(s, dir, stream));
  q.resume_incoming();
  const bool selfcheck = s.pair == "selfcheck";
  ASSERT_TRUE(q.wait_for_serial(selfcheck ? "done sum" : "GUEST: done hash", 50s)) << q.serial() << q.diagnostics();
  if (selfcheck) {
    const std::string reference = read_file(pair_dir(s.pair) / "uninterrupted.serial");
    const oracle::Verdict v = oracle::judge_selfcheck(reference, before, q.serial(), reports);
    EXPECT_TRUE(v.passed()) << v.explain();
    if (reports.empty()) {
      EXPECT_EQ(before + q.serial(), reference);
    }
  } else {
    // The final hash of STEPS=30 (corpus/README.md).
    const oracle::Verdict v = oracle::judge_hash_chain(before, q.serial(), "c27ee873c3504ffc");
    EXPECT_TRUE(v.passed()) << v.explain();
  }
}

TEST_P(PairRestore, TheGuestCarriesOnWhereItWasSaved) {
  const Snapshot& s = GetParam();
  TempDir dir;
  expect_carries_on(s, dir, plain_stream(s, dir));
}

INSTANTIATE_TEST_SUITE_P(Corpus, PairRestore, ::testing::ValuesIn(pair_snapshots()),
                         [](const auto& p) { return test_name(p.param); });

// QEMU → FORMAT → QEMU, one direct pair into QEMU per format ("palacios:file": the file store), with
// the pair's platform: the VM's XML for Palacios, QEMU's command line for the restore.
struct Direct {
  Snapshot snapshot;
  std::string via;
};
std::ostream& operator<<(std::ostream& os, const Direct& d) { return os << d.snapshot << " via " << d.via; }

std::vector<Direct> direct_routes() {
  std::vector<Direct> out;
  for (const Snapshot& s : {Snapshot{"selfcheck", "step15"}, Snapshot{"linux-hashchain", "step3"}})
    for (const char* via : {"json", "palacios", "palacios:file", "gem5", "gem5-2011"}) out.push_back({s, via});
  return out;
}

nlohmann::json convert(const std::string& from, const std::string& to, std::vector<std::string> args, const fs::path& report) {
  args.insert(args.begin(), {"convert", from, to, "--report-json", report.string()});
  const Run r = run_cptx(args);
  EXPECT_EQ(r.status, 0) << from << " -> " << to << ": " << r.err;
  return nlohmann::json::parse(read_file(report));
}

// The findings of `report` about `path` that say it was not carried.
std::size_t not_carried(const nlohmann::json& report, const std::string& path) {
  std::size_t n = 0;
  for (const auto& f : report["findings"]) n += f["path"] == path && f["carry"] == "not carried";
  return n;
}

class DirectIntoQemu : public ::testing::TestWithParam<Direct> {};

TEST_P(DirectIntoQemu, TheGuestCarriesOnAndWhatQemuLacksIsNamed) {
  const auto& [s, via] = GetParam();
  TempDir dir;
  const std::string format = via.substr(0, via.find(':'));
  const bool palacios = format == "palacios";
  std::vector<std::string> there, back;
  if (palacios) {
    const std::string xml = (pair_dir(s.pair) / "palacios.xml").string();
    there = {"--target-config", xml};
    back = {"--input-config", xml};
    if (via == "palacios:file") there.insert(there.end(), {"--store", "file"});
  }
  const std::string middle = format + ":" + (dir / (format == "json" ? "m.json" : "middle")).string();
  const std::string result = (dir / "back.qemu").string();
  const nlohmann::json r1 = convert("qemu:" + plain_stream(s, dir).string(), middle, there, dir / "there.json");
  const nlohmann::json r2 = convert(middle, "qemu:" + result, back, dir / "back.json");
  // Palacios's SERIAL device always has four ports; the pair's QEMU has COM1 only.
  for (const char* port : {"uart[1]", "uart[2]", "uart[3]"})
    EXPECT_EQ(not_carried(r2, port), palacios ? 1u : 0u) << port << "\n" << r2.dump(1);
  expect_carries_on(s, dir, result, {r1, r2});
}

INSTANTIATE_TEST_SUITE_P(Corpus, DirectIntoQemu, ::testing::ValuesIn(direct_routes()), [](const auto& p) {
  return test_name(p.param.snapshot) + "_via_" + test_name(p.param.via);
});

}  // namespace
}  // namespace cptx::testing
