// Malformed streams: exit code 2, one line naming the file, the byte offset and the section, and
// no output left behind.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run.hpp"

namespace cptx::qemu {
namespace {

using cptx::testing::run_cptx;
using cptx::testing::TempDir;

const std::string seeds = std::string(CPTX_SOURCE_DIR) + "/corpus/fuzz/qemu_stream/";

struct Case {
  const char* file;
  const char* says;
};

class BadStream : public ::testing::TestWithParam<Case> {};

TEST_P(BadStream, IsRefusedWithItsLocationAndNoOutput) {
  TempDir dir;
  const std::string in = seeds + GetParam().file;
  const auto r = run_cptx({"convert", "qemu:" + in, "qemu:" + (dir / "out.qemu").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(in + ": offset "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(GetParam().says), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_TRUE(dir.names().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Seeds, BadStream,
    ::testing::Values(Case{"bad_magic.qemu", "offset 0: header: not a QEMU migration stream"},
                      Case{"bad_version.qemu", "offset 4: header: stream version 2"},
                      Case{"bad_truncated.qemu", "ram: stream ends"},
                      Case{"bad_footer_id.qemu", "timer:0: footer names section 99, expected 2"},
                      Case{"bad_record_type.qemu", "unknown record type 0x09"},
                      Case{"bad_ram_flags.qemu", "ram: RAM record flags 0x140"},
                      Case{"bad_ram_offset.qemu", "lies outside RAM block pc.ram"}),
    [](const auto& test) {
      const std::string f = test.param.file;
      return f.substr(0, f.find('.'));
    });

TEST(QemuCli, UnknownSectionsNeedTheStreamsDescription) {
  TempDir dir;
  // A real stream without its trailing description: the first section cptx does not map
  // cannot be measured.
  const std::string real = cptx::testing::read_file(std::string(CPTX_SOURCE_DIR) + "/corpus/pairs/selfcheck/step5.qemu");
  const auto eof = real.rfind(std::string("\0\x06", 2));
  ASSERT_NE(eof, std::string::npos);
  cptx::testing::write_file(dir / "cut.qemu", real.substr(0, eof + 1));
  const auto r = run_cptx({"decode", "qemu:" + (dir / "cut.qemu").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("kvm-tpr-opt:0: section of unknown layout, and the stream has no description of it"),
            std::string::npos)
      << r.err;
}

TEST(QemuCli, ConvertNamesWhatItDidNotCarry) {
  TempDir dir;
  const auto r = run_cptx({"convert", "qemu:" + seeds + "good_small.qemu", "qemu:" + (dir / "out.qemu").string(),
                           "--report-json", (dir / "report.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto report = nlohmann::json::parse(cptx::testing::read_file(dir / "report.json"));
  bool omitted = false, fcs = false;
  for (const auto& f : report.at("findings")) omitted = omitted || f.at("path") == "qemu.omitted";
  for (const auto& f : report.at("fields")) fcs = fcs || (f.at("path") == "cpu[].fpu.fcs" && f.at("carry") == "not carried");
  EXPECT_TRUE(omitted);
  EXPECT_TRUE(fcs);
  EXPECT_TRUE(std::filesystem::exists(dir / "out.qemu"));
}

TEST(QemuCli, RefusesToOverwriteWithoutForce) {
  TempDir dir;
  cptx::testing::write_file(dir / "out.qemu", "keep");
  const auto r = run_cptx({"convert", "qemu:" + seeds + "good_small.qemu", "qemu:" + (dir / "out.qemu").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(cptx::testing::read_file(dir / "out.qemu"), "keep");
}

}  // namespace
}  // namespace cptx::qemu
