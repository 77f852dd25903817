// docs/fidelity.md and docs/fidelity.html are what tools/fidelity_matrix writes from the corpus now.
#include <gtest/gtest.h>

#include <sstream>

#include "oracles/process.hpp"
#include "tests/support/run.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;

const fs::path source_dir = CPTX_SOURCE_DIR;

// The cells of the row `| from | to | ...` in the table under `## device`.
std::vector<std::string> row_of(const std::string& md, const std::string& device, const std::string& from,
                                const std::string& to) {
  const auto table = md.find("\n## " + device + "\n");
  if (table == std::string::npos) return {};
  const auto row = md.find("\n| " + from + " | " + to + " |", table);
  if (row == std::string::npos || md.find("\n## ", table + 1) < row) return {};
  std::istringstream line(md.substr(row + 1, md.find('\n', row + 1) - row - 1));
  std::vector<std::string> cells;
  for (std::string cell; std::getline(line, cell, '|');)
    if (const auto b = cell.find_first_not_of(' '); b != std::string::npos)
      cells.push_back(cell.substr(b, cell.find_last_not_of(' ') - b + 1));
  return cells;  // from, to, exact, transformed, approximated, defaulted, lost
}

class FidelityMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const auto r = oracle::run_process({CPTX_FIDELITY_MATRIX, source_dir.string(), (*dir_ / "fidelity.md").string(),
                                        (*dir_ / "fidelity.html").string()});
    ASSERT_EQ(r.status, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
};
TempDir* FidelityMatrix::dir_ = nullptr;

TEST_F(FidelityMatrix, CommittedDocsAreUpToDate) {
  for (const char* doc : {"fidelity.md", "fidelity.html"})
    EXPECT_TRUE(read_file(*dir_ / doc) == read_file(source_dir / "docs" / doc))
        << "docs/" << doc << " is stale: run tools/dev.sh matrix, and commit docs/fidelity.md and docs/fidelity.html";
}

TEST_F(FidelityMatrix, CountsWhatTheFormatsDeclare) {
  const std::string md = read_file(*dir_ / "fidelity.md");
  // Palacios cannot save the RTC at all (docs/palacios.md): no RTC field passes through it either
  // way. QEMU and gem5 both hold it.
  for (const char* other : {"json", "gem5", "qemu"})
    for (const auto& [from, to] : {std::pair<std::string, std::string>{other, "palacios"}, {"palacios", other}}) {
      const auto row = row_of(md, "rtc", from, to);
      ASSERT_EQ(row.size(), 7u) << from << " -> " << to << "\n" << md;
      EXPECT_EQ(row[2], "0") << from << " -> " << to;
      EXPECT_NE(row[6], "0") << from << " -> " << to;
    }
  const auto both = row_of(md, "rtc", "qemu", "gem5");
  ASSERT_EQ(both.size(), 7u) << md;
  EXPECT_NE(both[2], "0");
}

}  // namespace
}  // namespace cptx::testing
