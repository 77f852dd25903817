#include "oracles/judge.hpp"

#include <map>
#include <set>
#include <sstream>

#include "oracles/guest_records.hpp"
#include "reports/coverage.hpp"

namespace cptx::oracle {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

namespace {

// What the reports say about a guest-visible path: the worst carry of any field it overlaps, and of
// any finding about that very state (a finding about `uart[1]` does not concern `uart[0]`).
struct Loss {
  std::vector<std::pair<std::string, std::string>> rows;      // field, carry (not "exact")
  std::vector<std::pair<std::string, std::string>> findings;  // concrete path, carry (not "exact")

  std::string worst(const std::string& path) const {
    const std::string field = schema_path(path);
    std::string carry = "exact";
    const auto consider = [&carry](const std::string& c) {
      if (carry != "not carried") carry = c;
    };
    for (const auto& [f, c] : rows)
      if (paths_overlap(f, field)) consider(c);
    for (const auto& [f, c] : findings) {
      const std::string& here = f.find("[]") != std::string::npos ? field : path;
      if (paths_overlap(f, here)) consider(c);
    }
    return carry;
  }
};

// " FAIL <path> = ..., want ..." or " FAIL <path> interrupts stopped", for every failure on a line.
std::set<std::string> failed_paths(const std::string& line) {
  std::set<std::string> out;
  for (std::size_t at = line.find(" FAIL "); at != std::string::npos; at = line.find(" FAIL ", at + 1)) {
    const std::size_t start = at + 6;
    out.insert(line.substr(start, line.find(' ', start) - start));
  }
  return out;
}

std::string step_prefix(const std::string& line) {
  const std::size_t sum = line.find(" sum ");
  return sum == std::string::npos ? line : line.substr(0, sum + 5 + 16);
}

}  // namespace

std::string Verdict::explain() const {
  std::string s;
  for (const auto& p : problems) s += p + "\n";
  return s;
}

namespace {
// The same finding on many lines is one problem: "<finding> (lines 4-42)".
void add_finding(std::map<std::string, std::pair<std::size_t, std::size_t>>& findings, std::vector<std::string>& order,
                 const std::string& finding, std::size_t line) {
  auto [it, fresh] = findings.try_emplace(finding, line, line);
  if (fresh) order.push_back(finding);
  it->second.second = line;
}
}  // namespace

Verdict judge_selfcheck(const std::string& reference, const std::string& before, const std::string& after,
                        const std::vector<nlohmann::json>& reports) {
  Verdict v;
  const auto want = split_lines(reference);
  const auto got = split_lines(before + after);
  // Lines finished before the save must be those of the uninterrupted run, exactly.
  const std::size_t saved_lines = split_lines(before).size() - (before.empty() || before.back() == '\n' ? 0 : 1);

  Loss loss;
  for (const auto& r : reports) {
    for (const auto& f : r.at("fields"))
      if (f.at("carry") != "exact") loss.rows.emplace_back(f.at("path"), f.at("carry"));
    if (r.contains("findings"))
      for (const auto& f : r.at("findings"))
        if (f.at("carry") != "exact") loss.findings.emplace_back(f.at("path"), f.at("carry"));
  }

  std::vector<std::string> must_fail;  // guest-visible paths whose state the reports say was lost
  for (const auto& line : want)
    if (line.rfind("guest: checks ", 0) == 0) {
      std::istringstream paths(line.substr(14));
      for (std::string p; paths >> p;)
        if (p[0] != '~' && loss.worst(p) == "not carried") must_fail.push_back(p);
    }

  std::map<std::string, std::pair<std::size_t, std::size_t>> findings;
  std::vector<std::string> order;
  if (got.size() != want.size())
    v.problems.push_back("the resumed run printed " + std::to_string(got.size()) + " lines, the uninterrupted run " +
                         std::to_string(want.size()));
  for (std::size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
    const std::string& g = got[i];
    const std::string& w = want[i];
    const std::string where = "line " + std::to_string(i + 1) + " (\"" + g + "\")";
    if (i < saved_lines || w.rfind("step ", 0) != 0) {
      if (g != w) v.problems.push_back(where + ": expected \"" + w + "\"");
      continue;
    }
    if (step_prefix(g) != step_prefix(w)) {
      v.problems.push_back(where + ": expected \"" + step_prefix(w) + "\": the computation did not carry on");
      continue;
    }
    const auto failed = failed_paths(g);
    for (const auto& p : failed)
      if (loss.worst(p) == "exact")
        add_finding(findings, order, p + " failed, but every report says its state was carried exactly", i + 1);
    for (const auto& p : must_fail)
      if (!failed.count(p))
        add_finding(findings, order, "a report says " + p + " was not carried, but the guest did not flag it", i + 1);
    if (failed.empty() && g != w) v.problems.push_back(where + ": expected \"" + w + "\"");
  }
  for (const auto& f : order) {
    const auto [first, last] = findings[f];
    v.problems.push_back(f + (first == last ? " (line " + std::to_string(first) + ")"
                                            : " (lines " + std::to_string(first) + "-" + std::to_string(last) + ")"));
  }
  return v;
}

Verdict judge_hash_chain(const std::string& before, const std::string& after, const std::string& final_hash) {
  Verdict v;
  long last_step = 0;
  bool done = false;
  for (const auto& line : guest_records(before + after)) {
    if (!is_guest_record(line)) {
      v.problems.push_back("\"" + line + "\": a record cut short");
    } else if (line.rfind("GUEST: step ", 0) == 0) {
      const long step = std::stol(line.substr(12));
      if (step <= last_step) v.problems.push_back("\"" + line + "\" comes after step " + std::to_string(last_step));
      last_step = step;
    } else if (line.rfind("GUEST: done hash ", 0) == 0) {
      done = true;
      if (line.substr(17) != final_hash)
        v.problems.push_back("final hash " + line.substr(17) + ", expected " + final_hash);
    }
  }
  if (!done) v.problems.push_back("the guest never printed its final hash");
  return v;
}

}  // namespace cptx::oracle
