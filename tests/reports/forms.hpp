// The three forms of a conversion report, read back as sets of changed fields with their statuses:
// the terminal summary, the JSON report's `changes`, and the rows of the HTML page's changes tables.
// Tests hold them against each other (docs/reports.md: the three forms name the same fields).
#pragma once

#include <cstring>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "model/json.hpp"

namespace cptx::testing {

// Changed field (concrete path) -> status as docs/reports.md names it (`not carried`, `undeclared`).
using ChangedFields = std::map<std::string, std::string>;

// The summary's lines under a device heading: `    STATUS       field: source -> target  (why)`.
inline ChangedFields changed_in_summary(const std::string& text) {
  ChangedFields out;
  std::istringstream lines(text);
  std::string device;
  const std::regex heading(R"(^  (\S+)$)"), entry(R"(^    (.{12}) ([^ :]+): )");
  std::smatch m;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_search(line, m, heading)) {
      device = m[1];
    } else if (std::regex_search(line, m, entry)) {
      std::string status = m[1];
      status.erase(status.find_last_not_of(' ') + 1);
      const std::string field = m[2];
      out[field == device ? device : device + "." + field] = status == "UNDECLARED" ? "undeclared" : status;
    }
  }
  return out;
}

inline ChangedFields changed_in_json(const model::Json& report) {
  ChangedFields out;
  for (const auto& c : report.at("changes")) out[c.at("path").get<std::string>()] = c.at("carry").get<std::string>();
  return out;
}

// Text as the page holds it, its entities undone.
inline std::string html_unescape(std::string text) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, c] : entities)
    for (std::size_t at = 0; (at = text.find(entity, at)) != std::string::npos; at += 1) text.replace(at, std::strlen(entity), c);
  return text;
}

// The rows of the page's changes section (as written, or as a browser's DOM dump serialises it),
// each row's status as its data-status names it (`not_carried`).
struct HtmlRow {
  std::string status, source, target;
  bool hidden = false;
};
inline std::map<std::string, HtmlRow> rows_in_html(const std::string& html) {
  std::map<std::string, HtmlRow> out;
  const auto from = html.find("<section id=\"changes\">"), to = html.find("<section id=\"formats\">");
  if (from == std::string::npos || to == std::string::npos) return out;
  const std::string part = html.substr(from, to - from);
  const std::regex row(
      R"re(<tr data-status="([a-z_]+)"( hidden="")?><td class="path">([^<]*)</td><td class="status">[^<]*</td>)re"
      R"re(<td class="value source">([^<]*)</td><td class="value target">([^<]*)</td>)re");
  for (std::sregex_iterator it(part.begin(), part.end(), row), end; it != end; ++it)
    out[html_unescape((*it)[3])] = {(*it)[1], html_unescape((*it)[4]), html_unescape((*it)[5]), (*it)[2].matched};
  return out;
}

inline ChangedFields changed_in_html(const std::string& html) {
  ChangedFields out;
  for (const auto& [path, row] : rows_in_html(html))
    out[path] = row.status == "not_carried" ? "not carried" : row.status;
  return out;
}

}  // namespace cptx::testing
