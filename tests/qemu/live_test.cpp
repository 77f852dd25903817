// A translated stream must resume in QEMU: the self-checking guest is saved part-way, its stream
// goes through cptx (QEMU → model → QEMU), and the restored guest must print exactly the lines of
// an uninterrupted run, every one of them `ok` (its timers fired and its devices read back).
#include <gtest/gtest.h>

#include "oracles/qemu_session.hpp"
#include "tests/support/run.hpp"

namespace cptx::qemu {
namespace {

using namespace std::chrono_literals;
using cptx::oracle::QemuSession;
using cptx::testing::run_cptx;
using cptx::testing::TempDir;

constexpr const char* guest = CPTX_SELFCHECK_GUEST;
const std::string command_line = "steps=40";

std::string uninterrupted_run(const TempDir& dir) {
  QemuSession q({guest, command_line, 32, dir.path(), "reference"});
  EXPECT_TRUE(q.wait_for_serial("done sum", 60s)) << q.serial() << q.diagnostics();
  return q.serial();
}

// Saves the guest at the start of step `step`; returns its output so far.
std::string save_at(const TempDir& dir, int step, const std::filesystem::path& stream) {
  QemuSession q({guest, command_line, 32, dir.path(), "source"});
  EXPECT_TRUE(q.wait_for_serial("step " + std::to_string(step) + " ", 30s)) << q.diagnostics();
  q.save(stream);
  return q.serial();
}

void expect_resumes(const TempDir& dir, const std::filesystem::path& stream, const std::string& before,
                    const std::string& reference) {
  QemuSession r({guest, command_line, 32, dir.path(), "restored", stream});
  r.resume_incoming();
  ASSERT_TRUE(r.wait_for_serial("done sum", 60s)) << before << "\n--- after restore ---\n" << r.serial() << r.diagnostics();
  EXPECT_EQ(before + r.serial(), reference) << "--- before ---\n" << before << "--- after ---\n" << r.serial();
  EXPECT_EQ(r.serial().find("FAIL"), std::string::npos) << r.serial();
}

class QemuTranslated : public ::testing::TestWithParam<int> {};

TEST_P(QemuTranslated, AGuestResumesFromItsTranslatedStream) {
  TempDir dir;
  const std::string reference = uninterrupted_run(dir);
  const std::string before = save_at(dir, GetParam(), dir / "saved.qemu");
  const auto r = run_cptx({"convert", "qemu:" + (dir / "saved.qemu").string(), "qemu:" + (dir / "out.qemu").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_resumes(dir, dir / "out.qemu", before, reference);
}

INSTANTIATE_TEST_SUITE_P(StopPoints, QemuTranslated, ::testing::Values(3, 17, 31));

TEST(QemuTranslatedWithSkeleton, AGuestResumesWithTheTargetsOtherDevicesKept) {
  TempDir dir;
  const std::string reference = uninterrupted_run(dir);
  const std::string before = save_at(dir, 9, dir / "saved.qemu");
  const auto r = run_cptx({"convert", "qemu:" + (dir / "saved.qemu").string(), "qemu:" + (dir / "out.qemu").string(),
                           "--skeleton", (dir / "saved.qemu").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_resumes(dir, dir / "out.qemu", before, reference);
}

TEST(QemuTranslatedThroughJson, AGuestResumesFromTheModelDocument) {
  TempDir dir;
  const std::string reference = uninterrupted_run(dir);
  const std::string before = save_at(dir, 24, dir / "saved.qemu");
  auto r = run_cptx({"decode", "qemu:" + (dir / "saved.qemu").string(), "-o", (dir / "m.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run_cptx({"encode", (dir / "m.json").string(), "qemu:" + (dir / "out.qemu").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_resumes(dir, dir / "out.qemu", before, reference);
}

// The corpus Linux guest (64-bit, 128 MiB, its timers in use between steps) through the same
// translation must reach the final hash its README documents.
const std::string linux_kernel = std::string(CPTX_SOURCE_DIR) + "/corpus/guests/linux-hashchain/bzImage";
const std::string linux_command_line = "console=ttyS0 STEPS=30 EVERY=1 SLEEP=20000";
constexpr const char* linux_final = "GUEST: step 30 hash c27ee873c3504ffc";

class LinuxTranslated : public ::testing::TestWithParam<int> {};

TEST_P(LinuxTranslated, TheHashChainCarriesOnToTheDocumentedFinalHash) {
  TempDir dir;
  std::string before;
  {
    QemuSession q({linux_kernel, linux_command_line, 128, dir.path(), "source"});
    ASSERT_TRUE(q.wait_for_serial("GUEST: step " + std::to_string(GetParam()) + " ", 60s)) << q.serial() << q.diagnostics();
    q.save(dir / "saved.qemu");
    before = q.serial();
  }
  const auto r = run_cptx({"convert", "qemu:" + (dir / "saved.qemu").string(), "qemu:" + (dir / "out.qemu").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  QemuSession q({linux_kernel, linux_command_line, 128, dir.path(), "restored", dir / "out.qemu"});
  q.resume_incoming();
  ASSERT_TRUE(q.wait_for_serial(linux_final, 60s)) << before << "--- after restore ---\n" << q.serial() << q.diagnostics();
  EXPECT_EQ(q.serial().find("GUEST: step 1 "), std::string::npos) << "the guest rebooted:\n" << q.serial();
}

INSTANTIATE_TEST_SUITE_P(StopPoints, LinuxTranslated, ::testing::Values(4, 21));

}  // namespace
}  // namespace cptx::qemu
