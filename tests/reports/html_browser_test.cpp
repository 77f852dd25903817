// The HTML report in a real browser: headless Chromium loads the page from its file and dumps the
// DOM after the page's script ran. Chromium is required (tools/dev.sh installs it): without it the
// test fails.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <set>
#include <sstream>

#include "model/json.hpp"
#include "oracles/process.hpp"
#include "reports/report.hpp"
#include "tests/reports/forms.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;

fs::path chromium() {
  std::istringstream dirs(std::getenv("PATH") ? std::getenv("PATH") : "");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((fs::path(dir) / "chromium").c_str(), X_OK) == 0) return fs::path(dir) / "chromium";
  return {};
}

// The DOM of `url` once loaded, as headless Chromium serialises it; a fresh profile each time, and
// nothing that would reach the network.
std::string dump_dom(const std::string& url) {
  const fs::path browser = chromium();
  if (browser.empty()) {
    ADD_FAILURE() << "chromium is not installed (apt-get install chromium)";
    return {};
  }
  TempDir profile;
  const auto r = oracle::run_process({browser.string(), "--headless", "--no-sandbox", "--disable-gpu",
                                      "--disable-quic", "--no-first-run", "--disable-background-networking",
                                      "--disable-component-update", "--disable-sync",
                                      "--user-data-dir=" + profile.path().string(), "--dump-dom", url},
                                     std::chrono::seconds(60));
  EXPECT_EQ(r.status, 0) << r.err;
  return r.out;
}

std::size_t shown_count(const std::string& dom) {
  const std::string open = "<span id=\"shown\">";
  const auto at = dom.find(open);
  if (at == std::string::npos) return ~std::size_t{0};
  return std::stoul(dom.substr(at + open.size()));
}

TEST(HtmlReportInABrowser, ShowsOneRowPerChangedFieldAndFiltersByTheFragment) {
  TempDir dir;
  // A real snapshot into gem5, which holds fields of it approximated, defaulted and not at all; under
  // a file name that is markup.
  const fs::path snapshot = dir / "<script>s.qemu";
  fs::copy_file(fs::path(CPTX_SOURCE_DIR) / "corpus/pairs/selfcheck/step5.qemu", snapshot);
  const auto r = testing::run_cptx({"convert", snapshot.string(), "gem5:" + (dir / "g").string(), "--quiet", "--report-json",
                                    (dir / "r.json").string(), "--report-html", (dir / "r.html").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto json = model::Json::parse(read_file(dir / "r.json"));
  const std::string url = "file://" + (dir / "r.html").string();

  const std::string dom = dump_dom(url);
  ASSERT_NE(dom.find("<section id=\"changes\">"), std::string::npos) << dom.substr(0, 2000);
  EXPECT_EQ(dom.find("<script>s.qemu"), std::string::npos) << "the file name is text, not markup";
  EXPECT_NE(dom.find("&lt;script&gt;s.qemu"), std::string::npos);
  const auto rows = testing::rows_in_html(dom);
  ASSERT_EQ(rows.size(), json["changes"].size());
  std::set<std::string> statuses;
  for (const auto& c : json["changes"]) {
    const std::string path = c["path"];
    ASSERT_TRUE(rows.contains(path)) << path;
    const auto& row = rows.at(path);
    EXPECT_FALSE(row.hidden) << path << ": every status but exact is shown at first";
    EXPECT_EQ(row.source, shown_value(c["source"].get<std::string>())) << path;
    EXPECT_EQ(row.target, shown_value(c["target"].get<std::string>())) << path;
    statuses.insert(row.status);
  }
  EXPECT_EQ(shown_count(dom), rows.size());

  // Filtered by the fragment to one status: its rows stay, the others are hidden by the script.
  ASSERT_GE(statuses.size(), 2u) << "a filter needs rows of two statuses to show";
  const std::string only = *statuses.begin();
  const std::string filtered = dump_dom(url + "#status=" + only);
  const auto after = testing::rows_in_html(filtered);
  ASSERT_EQ(after.size(), rows.size());
  std::size_t shown = 0;
  for (const auto& [path, row] : after) {
    EXPECT_EQ(row.hidden, row.status != only) << path;
    shown += !row.hidden;
  }
  EXPECT_GT(shown, 0u);
  EXPECT_EQ(shown_count(filtered), shown);
}

}  // namespace
}  // namespace cptx
