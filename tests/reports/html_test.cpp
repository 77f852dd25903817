// The HTML report: one page with nothing to fetch, every changed field in its device's table with
// both values, checkpoint strings escaped, and written like every other output.
#include <gtest/gtest.h>

#include "model/json.hpp"
#include "model/power_on.hpp"
#include "reports/html.hpp"
#include "tests/reports/forms.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;

constexpr CoverageRule all_exact[] = {{"", Carry::exact, ""}};
constexpr CoverageRule no_rtc[] = {{"", Carry::exact, ""}, {"rtc", Carry::none, "no RTC state"}};

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}

TEST(HtmlReport, EscapesEveryStringFromTheCheckpointAndTheCommandLine) {
  Report r({"qemu:<script>alert('source')</script>", "qemu", all_exact}, {"json:a&b\".json", "json", no_rtc});
  const model::Machine written = model::power_on(1, 1 << 20);
  model::Machine back = written;
  back.platform.source_detail = "<script>alert(\"value\")</script>";
  back.rtc.index = 3;
  r.note("rtc", Carry::none, "<img src=x onerror=alert(1)>");
  r.compare(written, back);
  const std::string html = to_html(r, {});
  EXPECT_EQ(occurrences(html, "<script"), 1u) << "only the page's own script";
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("qemu:&lt;script&gt;alert(&#39;source&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("json:a&amp;b&quot;.json"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  const auto rows = testing::rows_in_html(html);
  ASSERT_TRUE(rows.contains("platform.source_detail"));
  EXPECT_EQ(rows.at("platform.source_detail").target, "\"<script>alert(\\\"value\\\")</script>\"")
      << "the value reads back as its JSON form, quoted as it holds escapes";
  EXPECT_EQ(rows.at("platform.source_detail").status, "undeclared");
  ASSERT_TRUE(rows.contains("rtc.index"));
  EXPECT_EQ(rows.at("rtc.index").status, "not_carried");
  EXPECT_EQ(rows.at("rtc.index").source, "0x0");
  EXPECT_EQ(rows.at("rtc.index").target, "0x3");
  EXPECT_EQ(html_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
}

TEST(HtmlReport, FetchesNothing) {
  const Report r({"a", "json", all_exact}, {"b", "json", no_rtc});
  const std::string html = to_html(r, {});
  for (const char* external : {"src=", "href=", "@import", "url(", "http:", "https:"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
}

TEST(HtmlReport, ShowsTheRamRegionsAndTheirZeroPages) {
  const Report r({"a", "json", all_exact}, {"b", "json", all_exact});
  const RamRegionStats counted[] = {{0, 1 << 20, 200}, {1 << 20, 1 << 20, 256}};
  std::string html = to_html(r, counted);
  EXPECT_NE(html.find("<td id=\"ram-regions\">2</td>"), std::string::npos);
  EXPECT_NE(html.find("<td id=\"ram-bytes\">2097152</td>"), std::string::npos);
  EXPECT_NE(html.find("<td id=\"ram-zero-pages\">456</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>200 of 256</td>"), std::string::npos);
  const RamRegionStats unread[] = {{0, 1 << 20, 256}, {1 << 20, 1 << 20, std::nullopt}};
  html = to_html(r, unread);
  EXPECT_NE(html.find("<td id=\"ram-zero-pages\">not counted"), std::string::npos);
  EXPECT_NE(html.find("<td>not read</td>"), std::string::npos);
}

// From the command line: a model file whose name holds markup, into QEMU and back; each page names the
// changes its JSON report names, the zero pages the writer counted, and appears only whole.
TEST(HtmlReport, ConvertAndDecodeWriteThePageBesideTheJson) {
  TempDir dir;
  const std::string m = (dir / "<script>m.json").string(), q = (dir / "m.qemu").string();
  ASSERT_EQ(testing::run_cptx({"new", "--memory", "4M", "-o", m}).status, 0);
  auto r = testing::run_cptx({"convert", m, "qemu:" + q, "--report-json", (dir / "r.json").string(), "--report-html",
                              (dir / "r.html").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string html = read_file(dir / "r.html");
  EXPECT_EQ(occurrences(html, "<script"), 1u);
  EXPECT_NE(html.find("&lt;script&gt;m.json"), std::string::npos);
  EXPECT_NE(html.find("<td id=\"ram-zero-pages\">1024</td>"), std::string::npos) << "4 MiB of zeros, read by the writer";
  const auto json = model::Json::parse(read_file(dir / "r.json"));
  EXPECT_FALSE(json["changes"].empty());
  EXPECT_EQ(testing::changed_in_html(html), testing::changed_in_json(json));

  r = testing::run_cptx({"decode", q, "--report-html", (dir / "d.html").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  html = read_file(dir / "d.html");
  EXPECT_NE(html.find("None: every field arrived unchanged."), std::string::npos);
  EXPECT_NE(html.find("<td id=\"ram-zero-pages\">not counted"), std::string::npos) << "decoding reads no RAM";

  // An existing page is kept, and nothing else is written.
  const std::string before = read_file(dir / "r.html");
  r = testing::run_cptx({"convert", m, "qemu:" + (dir / "n.qemu").string(), "--report-html", (dir / "r.html").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(fs::exists(dir / "n.qemu"));
  EXPECT_EQ(read_file(dir / "r.html"), before);
}

}  // namespace
}  // namespace cptx
