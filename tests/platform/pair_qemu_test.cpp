// A generated qemu.sh runs the corpus guests under TCG, and its --save and --restore move a running
// guest through a file cptx reads: the guest carries on to its known result. Labelled `live`.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "oracles/process.hpp"
#include "tests/corpus/pairs.hpp"
#include "tests/support/run.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;
using CliRun = cptx::testing::Run;  // not testing::Test::Run
using namespace std::chrono_literals;

const fs::path source = CPTX_SOURCE_DIR;
const fs::path linux_kernel = source / "corpus/guests/linux-hashchain/bzImage";

fs::path make_pair(const TempDir& dir, const fs::path& kernel, const std::string& memory, const std::string& cmdline) {
  const CliRun r = run_cptx({"pair", "create", "--kernel", kernel.string(), "--memory", memory, "--cmdline", cmdline,
                          (dir / "pair").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  return dir / "pair";
}

// Runs `qemu.sh ARGS` in the background until its COM1 file holds `until` (at most two minutes),
// then ends it; a `then` command runs before the end. Returns the shell's status.
int run_until(const fs::path& pair, const std::string& args, const fs::path& serial, const std::string& until,
              const std::string& then = "") {
  const std::string script = fmt::format(
      "cd '{}' || exit 9\n"
      "timeout 150 ./qemu.sh --serial '{}' {} >qemu.out 2>&1 &\n"
      "pid=$!\n"
      "i=0\n"
      "until grep -aq '{}' '{}' 2>/dev/null; do i=$((i+1)); [ $i -gt 1200 ] && {{ kill $pid; exit 8; }}; sleep 0.1; done\n"
      "{}\n"
      "status=$?\n"
      "kill $pid 2>/dev/null\n"
      "wait $pid 2>/dev/null\n"
      "exit $status\n",
      pair.string(), serial.string(), args, until, serial.string(), then);
  return oracle::run_process({"/bin/sh", "-c", script}, 180s).status;
}

TEST(PairQemuScript, BootsTheSelfCheckingGuest) {
  TempDir dir;
  const fs::path pair = make_pair(dir, CPTX_SELFCHECK_GUEST, "32M", "steps=40");
  const std::string reference = read_file(pair_dir("selfcheck") / "uninterrupted.serial");
  const std::string done = reference.substr(reference.rfind("done sum"));
  ASSERT_EQ(run_until(pair, "", dir / "com1.txt", done.substr(0, done.find('\n'))), 0) << read_file(pair / "qemu.out");
  const std::string out = read_file(dir / "com1.txt");
  for (const char* step : {"step 1 sum", "step 20 sum", "step 40 sum"}) EXPECT_NE(out.find(step), std::string::npos) << step;
  EXPECT_EQ(out.find("FAIL"), std::string::npos) << out;
}

TEST(PairQemuScript, BootsTheLinuxGuest) {
  TempDir dir;
  const fs::path pair = make_pair(dir, linux_kernel, "128M", "console=ttyS0 STEPS=30 EVERY=1 SLEEP=20000");
  ASSERT_EQ(run_until(pair, "", dir / "com1.txt", "GUEST: done hash c27ee873c3504ffc"), 0)
      << read_file(pair / "qemu.out");
  EXPECT_NE(read_file(dir / "com1.txt").find("GUEST: boot complete"), std::string::npos);
}

// The GUEST: step lines of a serial log.
std::vector<std::string> steps(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("GUEST: step ")) out.push_back(line);
  }
  return out;
}

TEST(PairQemuScript, SavesAStreamCptxReadsAndRestoresIt) {
  TempDir dir;
  const fs::path pair = make_pair(dir, linux_kernel, "128M", "console=ttyS0 STEPS=30 EVERY=1 SLEEP=100000");
  const fs::path saved = dir / "saved.qemu";
  ASSERT_EQ(run_until(pair, "--qmp '" + (dir / "qmp.sock").string() + "'", dir / "before.txt", "GUEST: step 5 ",
                      "./qemu.sh --save '" + (dir / "qmp.sock").string() + "' '" + saved.string() + "'"),
            0)
      << read_file(pair / "qemu.out");
  const auto before = steps(read_file(dir / "before.txt"));
  ASSERT_FALSE(before.empty());

  // cptx reads the stream, finds it fits the pair, and carries it through gem5 and back.
  CliRun r = run_cptx({"pair", "check", "qemu:" + saved.string(), pair.string()});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  r = run_cptx({"convert", "qemu:" + saved.string(), "gem5:" + (dir / "gem5").string(), "--target", pair.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run_cptx({"convert", "gem5:" + (dir / "gem5").string(), "qemu:" + (dir / "back.qemu").string(), "--target",
                (pair / "qemu.sh").string()});
  ASSERT_EQ(r.status, 0) << r.err;

  for (const char* stream : {"saved.qemu", "back.qemu"}) {
    SCOPED_TRACE(stream);
    const fs::path after = dir / (std::string(stream) + ".txt");
    ASSERT_EQ(run_until(pair, "--restore '" + (dir / stream).string() + "'", after, "GUEST: done hash"), 0)
        << read_file(pair / "qemu.out");
    const std::string out = read_file(after);
    EXPECT_NE(out.find("GUEST: done hash c27ee873c3504ffc"), std::string::npos) << out;
    // The restored guest carries on from the step after the last one it printed before the save.
    const auto resumed = steps(out);
    ASSERT_FALSE(resumed.empty());
    const int last = std::stoi(before.back().substr(12)), first = std::stoi(resumed.front().substr(12));
    EXPECT_EQ(first, last + 1) << before.back() << " then " << resumed.front();
  }
}

}  // namespace
}  // namespace cptx::testing
