// The self-checking guest under QEMU, and QEMU's own save/restore as the baseline every translated
// checkpoint is held to: after a restore the guest's output carries on exactly where it stopped.
#include <gtest/gtest.h>

#include "oracles/guest_records.hpp"
#include "oracles/judge.hpp"
#include "oracles/qemu_session.hpp"
#include "tests/support/run.hpp"

namespace cptx::oracle {
namespace {

using namespace std::chrono_literals;
using cptx::testing::TempDir;

constexpr const char* guest = CPTX_SELFCHECK_GUEST;
constexpr int steps = 40;
const std::string command_line = "steps=" + std::to_string(steps);

// Boots the guest and runs it to the end.
std::string uninterrupted_run(const TempDir& dir) {
  QemuSession q({guest, command_line, 32, dir.path(), "reference"});
  EXPECT_TRUE(q.wait_for_serial("done sum", 60s)) << q.serial() << q.diagnostics();
  return q.serial();
}

TEST(SelfcheckGuest, AnUninterruptedRunChecksOutAtEveryStep) {
  TempDir dir;
  const auto out = split_lines(uninterrupted_run(dir));
  ASSERT_EQ(out.size(), steps + 3u);
  EXPECT_EQ(out[0], "guest: selfcheck steps=40");
  EXPECT_EQ(out[1].rfind("guest: checks pic.master.imr ", 0), 0u);
  for (int i = 1; i <= steps; ++i) {
    const std::string& l = out[static_cast<std::size_t>(i) + 1];
    EXPECT_EQ(l.rfind("step " + std::to_string(i) + " sum ", 0), 0u) << l;
    EXPECT_EQ(l.substr(l.size() - 3), " ok") << l;
  }
  EXPECT_EQ(out.back(), "done sum " + out[steps + 1].substr(out[steps + 1].find("sum ") + 4, 16));
}

TEST(SelfcheckGuest, ItsSumsDoNotDependOnTheMachinesSpeed) {
  TempDir dir;
  EXPECT_EQ(uninterrupted_run(dir), uninterrupted_run(dir));
}

// Registers changed behind the guest's back are named, each by its model path, in its next line.
TEST(SelfcheckGuest, FlagsEveryDeviceRegisterThatChanged) {
  TempDir dir;
  QemuSession q({guest, "steps=400", 32, dir.path(), "poke"});
  ASSERT_TRUE(q.wait_for_serial("step 3 ", 30s)) << q.diagnostics();
  q.command("stop");
  q.monitor("o /b 0x3ff 0x00");  // COM1 scratch register
  q.monitor("o /b 0x70 0x47");   // CMOS byte 0x47
  q.monitor("o /b 0x71 0x00");
  q.command("cont");
  ASSERT_TRUE(q.wait_for_serial("FAIL", 30s)) << q.serial();
  const std::string out = q.serial();
  const std::size_t start = out.rfind('\n', out.find("FAIL")) + 1;
  const std::string line = out.substr(start, out.find('\n', start) - start);
  EXPECT_NE(line.find(" sum "), std::string::npos);
  EXPECT_EQ(line.substr(line.find(" FAIL")),
            " FAIL uart[0].scr = 0x00000000, want 0x0000005a FAIL rtc.cmos = 0x00000000, want 0x000000a7");
}

class QemuResume : public ::testing::TestWithParam<int> {};

TEST_P(QemuResume, ARestoredGuestCarriesOnExactlyWhereItStopped) {
  TempDir dir;
  const std::string reference = uninterrupted_run(dir);
  const auto stream = dir / "saved.qemu";
  std::string before;
  {
    QemuSession q({guest, command_line, 32, dir.path(), "source"});
    ASSERT_TRUE(q.wait_for_serial("step " + std::to_string(GetParam()) + " ", 30s)) << q.diagnostics();
    q.save(stream);
    before = q.serial();
  }
  QemuSession r({guest, command_line, 32, dir.path(), "restored", stream});
  r.resume_incoming();
  ASSERT_TRUE(r.wait_for_serial("done sum", 60s)) << before << "\n--- after restore ---\n"
                                                  << r.serial() << r.diagnostics();
  EXPECT_EQ(before + r.serial(), reference) << "--- before ---\n" << before << "--- after ---\n" << r.serial();
  const Verdict v = judge_selfcheck(reference, before, r.serial(), {});
  EXPECT_TRUE(v.passed()) << v.explain();
}

INSTANTIATE_TEST_SUITE_P(StopPoints, QemuResume, ::testing::Values(2, 15, 33));

// The corpus Linux guest: its hash chain must reach the final hash its README documents for STEPS=30,
// with its timers in use (it sleeps between steps), across a save and restore at several points.
const std::string linux_kernel = std::string(CPTX_SOURCE_DIR) + "/corpus/guests/linux-hashchain/bzImage";
const std::string linux_command_line = "console=ttyS0 STEPS=30 EVERY=1 SLEEP=20000";
constexpr const char* linux_final_hash = "c27ee873c3504ffc";

std::string guest_lines(const std::string& serial) {
  std::string out;
  for (const auto& l : guest_records(serial)) out += l + "\n";
  return out;
}

class LinuxResume : public ::testing::TestWithParam<int> {};

TEST_P(LinuxResume, TheHashChainCarriesOnToTheDocumentedFinalHash) {
  TempDir dir;
  const auto stream = dir / "saved.qemu";
  std::string before;
  {
    QemuSession q({linux_kernel, linux_command_line, 128, dir.path(), "source"});
    ASSERT_TRUE(q.wait_for_serial("GUEST: step " + std::to_string(GetParam()) + " ", 60s))
        << q.serial() << q.diagnostics();
    q.save(stream);
    before = q.serial();
  }
  QemuSession r({linux_kernel, linux_command_line, 128, dir.path(), "restored", stream});
  r.resume_incoming();
  ASSERT_TRUE(r.wait_for_serial("GUEST: done hash", 60s)) << guest_lines(before) << "--- after restore ---\n"
                                                   << r.serial() << r.diagnostics();
  const Verdict v = judge_hash_chain(before, r.serial(), linux_final_hash);
  EXPECT_TRUE(v.passed()) << v.explain() << guest_lines(before + r.serial());
}

INSTANTIATE_TEST_SUITE_P(StopPoints, LinuxResume, ::testing::Values(3, 12, 26));

}  // namespace
}  // namespace cptx::oracle
