// AtomicOutput: refuse an existing output, replace it with force, leave nothing behind on failure.
#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {
namespace fs = std::filesystem;
using cptx::testing::TempDir;

void fill(const fs::path& dir, const std::string& content) {
  std::ofstream(dir / "data") << content;
}

std::string content(const fs::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(AtomicOutput, WritesIntoASiblingThenRenames) {
  TempDir d;
  AtomicOutput out(d / "ck", AtomicOutput::Kind::directory, false);
  EXPECT_EQ(out.temp_path().parent_path(), d.path());
  EXPECT_EQ(out.temp_path().filename().string().rfind("ck.tmp-", 0), 0u);
  EXPECT_TRUE(fs::is_directory(out.temp_path()));
  EXPECT_FALSE(fs::exists(d / "ck"));
  fill(out.temp_path(), "new");
  out.commit();
  EXPECT_EQ(content(d / "ck" / "data"), "new");
  EXPECT_EQ(d.names(), std::vector<std::string>{"ck"});
}

TEST(AtomicOutput, RefusesAnExistingOutput) {
  TempDir d;
  fs::create_directory(d / "dir");
  std::ofstream(d / "file") << "x";
  fs::create_symlink(d / "nowhere", d / "dangling");
  for (const char* name : {"dir", "file", "dangling"}) {
    EXPECT_THROW(AtomicOutput(d / name, AtomicOutput::Kind::directory, false), cptx::UsageError) << name;
    EXPECT_THROW(AtomicOutput(d / name, AtomicOutput::Kind::file, false), cptx::UsageError) << name;
  }
  EXPECT_EQ(d.names(), (std::vector<std::string>{"dangling", "dir", "file"}));
}

TEST(AtomicOutput, RefusesAnOutputThatAppearedMeanwhile) {
  TempDir d;
  AtomicOutput out(d / "ck", AtomicOutput::Kind::directory, false);
  fs::create_directory(d / "ck");
  EXPECT_THROW(out.commit(), cptx::UsageError);
  EXPECT_TRUE(fs::is_empty(d / "ck"));
}

TEST(AtomicOutput, ForceReplacesOnlyOnCommit) {
  TempDir d;
  fs::create_directory(d / "ck");
  fill(d / "ck", "old");
  std::ofstream(d / "f") << "old";
  {
    AtomicOutput out(d / "ck", AtomicOutput::Kind::directory, true);
    fill(out.temp_path(), "new");
    EXPECT_EQ(content(d / "ck" / "data"), "old");
    out.commit();
  }
  EXPECT_EQ(content(d / "ck" / "data"), "new");
  {
    AtomicOutput out(d / "f", AtomicOutput::Kind::file, true);
    std::ofstream(out.temp_path()) << "new";
    out.commit();
  }
  EXPECT_EQ(content(d / "f"), "new");
  EXPECT_EQ(d.names(), (std::vector<std::string>{"ck", "f"}));
}

TEST(AtomicOutput, AFailureMidwayLeavesNoOutputAndNoTemporary) {
  TempDir d;
  fs::create_directory(d / "old");
  fill(d / "old", "old");
  for (const char* name : {"new", "old"}) {
    try {
      AtomicOutput out(d / name, AtomicOutput::Kind::directory, true);
      fill(out.temp_path(), "partial");
      throw std::runtime_error("input failed");
    } catch (const std::runtime_error&) {
    }
  }
  EXPECT_EQ(d.names(), std::vector<std::string>{"old"});
  EXPECT_EQ(content(d / "old" / "data"), "old");
}

// Outputs that belong together appear together: until the transaction commits, each committed
// output is still its temporary (where() finds it there), and a failure of any leaves none.
TEST(OutputTransaction, OutputsAppearTogetherOnlyOnCommit) {
  TempDir d;
  OutputTransaction together;
  AtomicOutput ck(d / "ck", AtomicOutput::Kind::directory, false);
  AtomicOutput report(d / "report.json", AtomicOutput::Kind::file, false);
  fill(ck.temp_path(), "state");
  ck.commit();
  EXPECT_FALSE(fs::exists(d / "ck"));
  EXPECT_EQ(OutputTransaction::where(d / "ck"), ck.temp_path());
  EXPECT_EQ(OutputTransaction::where(d / "ck/"), ck.temp_path());
  EXPECT_EQ(content(OutputTransaction::where(d / "ck") / "data"), "state");
  EXPECT_EQ(OutputTransaction::where(d / "other"), d / "other");
  std::ofstream(report.temp_path()) << "{}";
  report.commit();
  EXPECT_EQ(d.names().size(), 2u);  // still the two temporaries
  together.commit();
  EXPECT_EQ(d.names(), (std::vector<std::string>{"ck", "report.json"}));
  EXPECT_EQ(content(d / "ck" / "data"), "state");
  EXPECT_EQ(OutputTransaction::where(d / "ck"), d / "ck");
}

TEST(OutputTransaction, AFailureOfOneLeavesNone) {
  TempDir d;
  {
    OutputTransaction together;
    AtomicOutput ck(d / "ck", AtomicOutput::Kind::directory, false);
    AtomicOutput report(d / "report.json", AtomicOutput::Kind::file, false);
    fill(ck.temp_path(), "state");
    ck.commit();
    report.commit();
    std::ofstream(d / "report.json") << "someone else's";  // appears before the commit
    EXPECT_THROW(together.commit(), cptx::UsageError);
  }
  EXPECT_EQ(d.names(), std::vector<std::string>{"report.json"});
  EXPECT_EQ(content(d / "report.json"), "someone else's");
}

TEST(OutputTransaction, AnAbandonedTransactionLeavesNothing) {
  TempDir d;
  {
    OutputTransaction together;
    AtomicOutput ck(d / "ck", AtomicOutput::Kind::directory, false);
    fill(ck.temp_path(), "state");
    ck.commit();
  }
  EXPECT_TRUE(d.names().empty());
  AtomicOutput after(d / "ck", AtomicOutput::Kind::directory, false);  // no transaction: at once
  after.commit();
  EXPECT_TRUE(fs::is_directory(d / "ck"));
}

TEST(AtomicOutput, MissingParentIsAnError) {
  TempDir d;
  EXPECT_THROW(AtomicOutput(d / "no" / "f", AtomicOutput::Kind::file, false), std::exception);
  EXPECT_TRUE(d.names().empty());
}

TEST(AtomicOutput, RejectsPathsWithoutAName) {
  EXPECT_THROW(AtomicOutput("/", AtomicOutput::Kind::directory, true), cptx::UsageError);
  EXPECT_THROW(AtomicOutput("x/..", AtomicOutput::Kind::directory, true), cptx::UsageError);
}

}  // namespace
}  // namespace cptx
