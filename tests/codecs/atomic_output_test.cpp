#include <gtest/gtest.h>

#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using cptx::testing::read_file;
using cptx::testing::TempDir;
using cptx::testing::write_file;

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(AtomicOutput, AppearsOnlyOnCommit) {
  TempDir dir;
  {
    AtomicOutput out(dir / "f", AtomicOutput::Kind::file, false);
    write_file(out.staging(), "data");
    EXPECT_FALSE(fs::exists(dir / "f"));
    out.commit();
  }
  EXPECT_EQ(read_file(dir / "f"), "data");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicOutput, AnUncommittedOutputLeavesNothing) {
  TempDir dir;
  try {
    AtomicOutput out(dir / "d", AtomicOutput::Kind::directory, false);
    write_file(out.staging() / "context", "partial");
    throw std::runtime_error("translation failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(entries(dir.path()), 0u);
}

TEST(AtomicOutput, RefusesExistingOutputUnlessForced) {
  TempDir dir;
  write_file(dir / "f", "old");
  EXPECT_THROW(AtomicOutput(dir / "f", AtomicOutput::Kind::file, false), UsageError);
  EXPECT_EQ(read_file(dir / "f"), "old");
  AtomicOutput out(dir / "f", AtomicOutput::Kind::file, true);
  write_file(out.staging(), "new");
  out.commit();
  EXPECT_EQ(read_file(dir / "f"), "new");
}

TEST(AtomicOutput, ForcedDirectoryIsReplacedWhole) {
  TempDir dir;
  fs::create_directory(dir / "ckpt");
  write_file(dir / "ckpt" / "stale", "x");
  {
    AtomicOutput out(dir / "ckpt/", AtomicOutput::Kind::directory, true);
    write_file(out.staging() / "fresh", "y");
    out.commit();
  }
  EXPECT_FALSE(fs::exists(dir / "ckpt" / "stale"));
  EXPECT_EQ(read_file(dir / "ckpt" / "fresh"), "y");
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicOutput, MissingParentIsAUsageError) {
  TempDir dir;
  EXPECT_THROW(AtomicOutput(dir / "no" / "f", AtomicOutput::Kind::file, false), UsageError);
}

}  // namespace
}  // namespace cptx
