#include "reports/report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/schema.hpp"

namespace cptx {

namespace {

Carry worse(Carry a, Carry b) { return static_cast<Carry>(std::max(static_cast<int>(a), static_cast<int>(b))); }

std::string join_notes(std::string a, const std::string& b) {
  if (b.empty() || a == b) return a;
  return a.empty() ? b : a + "; " + b;
}

}  // namespace

Report::Report(const Side& source, const Side& target) : source_(source.text), target_(target.text) {
  for (const auto& f : model::field_list()) {
    if (!f.leaf) continue;
    Row row{f.path, Carry::exact, ""};
    for (const Side* side : {&source, &target}) {
      const CoverageRule* rule = coverage_of(side->coverage, f.path);
      if (!rule) {
        row.carry = Carry::none;
        row.note = join_notes(row.note, fmt::format("{} does not declare this field", side->format));
        continue;
      }
      row.carry = worse(row.carry, rule->carry);
      if (rule->carry != Carry::exact)
        row.note = join_notes(row.note, fmt::format("{}: {}", side->format, rule->note));
    }
    rows_.push_back(std::move(row));
  }
}

void Report::note(std::string path, Carry carry, std::string text) {
  findings_.push_back({std::move(path), carry, std::move(text)});
}

Carry Report::carry_of(std::string_view concrete_path) const {
  const std::string field = schema_path(concrete_path);
  Carry c = Carry::exact;
  for (const auto& row : rows_)
    if (paths_overlap(row.path, field)) c = worse(c, row.carry);
  for (const auto& f : findings_) {
    // A finding about every instance (`uart[]`) concerns each of them.
    const bool generic = f.path.find("[]") != std::string::npos;
    const std::string here = generic ? field : std::string(concrete_path);
    if (paths_overlap(f.path, here)) c = worse(c, f.carry);
  }
  return c;
}

std::size_t Report::count(Carry c) const {
  return static_cast<std::size_t>(std::count_if(rows_.begin(), rows_.end(), [c](const Row& r) { return r.carry == c; }));
}

model::Json Report::to_json() const {
  model::Json j = model::Json::object();
  j["source"] = source_;
  j["target"] = target_;
  j["counts"] = {{"exact", count(Carry::exact)},
                 {"approximate", count(Carry::approximate)},
                 {"not_carried", count(Carry::none)}};
  model::Json fields = model::Json::array();
  for (const auto& r : rows_)
    fields.push_back({{"path", r.path}, {"carry", std::string(carry_name(r.carry))}, {"note", r.note}});
  j["fields"] = fields;
  model::Json findings = model::Json::array();
  for (const auto& f : findings_)
    findings.push_back({{"path", f.path}, {"carry", std::string(carry_name(f.carry))}, {"note", f.text}});
  j["findings"] = findings;
  return j;
}

std::string Report::summary(std::size_t max_rows) const {
  std::string s = fmt::format("{} -> {}: {} fields carried exactly, {} approximated, {} not carried\n", source_,
                              target_, count(Carry::exact), count(Carry::approximate), count(Carry::none));
  std::size_t shown = 0, lossy = 0;
  for (const auto& r : rows_) {
    if (r.carry == Carry::exact) continue;
    ++lossy;
    if (shown < max_rows) {
      s += fmt::format("  {:<12} {}  ({})\n", carry_name(r.carry), r.path, r.note);
      ++shown;
    }
  }
  if (lossy > shown) s += fmt::format("  ... and {} more (see --report-json)\n", lossy - shown);
  if (!findings_.empty()) s += fmt::format("  {} finding{} about particular state (see --report-json)\n",
                                           findings_.size(), findings_.size() == 1 ? "" : "s");
  return s;
}

}  // namespace cptx
