// docs/reports.md documents the JSON report and verify's JSON: a real report and round trip have
// exactly the keys their tables list, and every status in a report is one the doc's table names.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "model/json.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

using testing::read_file;
using testing::TempDir;

// The first column of the tables in the section of docs/reports.md headed `heading`, and the second.
std::vector<std::pair<std::string, std::string>> doc_table(const std::string& heading) {
  const std::string doc = read_file(std::string(CPTX_SOURCE_DIR) + "/docs/reports.md");
  const auto from = doc.find("\n## " + heading + "\n");
  EXPECT_NE(from, std::string::npos) << heading;
  const auto to = doc.find("\n## ", from + 1);
  const std::string section = doc.substr(from, to == std::string::npos ? std::string::npos : to - from);
  std::vector<std::pair<std::string, std::string>> rows;
  const std::regex row(R"(\n\| `([^`]+)` \| `?([^`|]+)`? \|)");
  for (std::sregex_iterator it(section.begin(), section.end(), row), end; it != end; ++it)
    rows.emplace_back((*it)[1], (*it)[2]);
  return rows;
}

// Every key of a JSON document as a path: `counts.exact`, `changes[].path`.
void key_paths(const model::Json& j, const std::string& at, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      const std::string path = at.empty() ? key : at + "." + key;
      out.insert(path);
      key_paths(value, path, out);
    }
  } else if (j.is_array()) {
    for (const auto& value : j) key_paths(value, at + "[]", out);
  }
}

TEST(ReportJson, HasExactlyTheKeysAndStatusesDocsReportsMdLists) {
  TempDir dir;
  // A real snapshot into gem5: findings and changes of every kind the schema has.
  const auto r = testing::run_cptx({"convert", std::string(CPTX_SOURCE_DIR) + "/corpus/pairs/selfcheck/step5.qemu",
                                    "gem5:" + (dir / "g").string(), "--quiet", "--report-json",
                                    (dir / "r.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto report = model::Json::parse(read_file(dir / "r.json"));
  ASSERT_FALSE(report["findings"].empty());
  ASSERT_FALSE(report["changes"].empty());

  std::set<std::string> documented, found;
  for (const auto& [key, type] : doc_table("JSON schema")) documented.insert(key);
  key_paths(report, "", found);
  EXPECT_EQ(found, documented);

  std::set<std::string> statuses, count_keys;
  for (const auto& [status, count_key] : doc_table("Carry statuses")) {
    statuses.insert(status);
    count_keys.insert(count_key);
  }
  ASSERT_EQ(statuses.size(), 6u);
  for (const char* list : {"fields", "findings", "changes"})
    for (const auto& item : report[list])
      EXPECT_TRUE(statuses.contains(item["carry"].get<std::string>())) << list << ": " << item["carry"];
  for (const auto& [key, n] : report["this_conversion"].items())
    EXPECT_TRUE(key == "fields" || key == "unchanged" || count_keys.contains(key)) << key;
  for (const auto& [key, n] : report["counts"].items()) EXPECT_TRUE(count_keys.contains(key)) << key;
  EXPECT_EQ(report["report_version"], 3);
}

TEST(VerifyJson, HasExactlyTheKeysDocsReportsMdLists) {
  const auto r = testing::run_cptx({"verify", std::string(CPTX_SOURCE_DIR) + "/corpus/pairs/selfcheck/step5.qemu",
                                    "--via", "gem5", "--json"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const auto trip = model::Json::parse(r.out).at("round_trips").at(0);
  ASSERT_FALSE(trip["fields"].empty());
  ASSERT_FALSE(trip["changes"].empty());
  std::set<std::string> documented, found;
  for (const auto& [key, type] : doc_table("What `cptx verify` prints")) documented.insert(key);
  key_paths(trip, "", found);
  EXPECT_EQ(found, documented);
}

}  // namespace
}  // namespace cptx
