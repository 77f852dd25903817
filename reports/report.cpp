#include "reports/report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/diff.hpp"
#include "model/json.hpp"
#include "model/schema.hpp"

namespace cptx {

namespace {

Carry worse(Carry a, Carry b) { return static_cast<Carry>(std::max(static_cast<int>(a), static_cast<int>(b))); }

std::string join_notes(std::string a, const std::string& b) {
  if (b.empty() || a == b) return a;
  return a.empty() ? b : a + "; " + b;
}

// The scalar values of a model document: the fields of one checkpoint.
std::size_t count_leaves(const model::Json& j) {
  if (!j.is_object() && !j.is_array()) return 1;
  std::size_t n = 0;
  for (const auto& v : j) n += count_leaves(v);
  return n;
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

std::vector<Report::Change> Report::compare(const model::Machine& written, const model::Machine& read_back,
                                            std::span<const CoverageRule> target) {
  compared_ = count_leaves(model::to_json(written));
  std::vector<Change> undeclared;
  for (auto& d : model::diff(written, read_back)) {
    if (model::names_ram_storage(d.path)) continue;  // where the bytes are kept, not what they are
    const CoverageRule* rule = coverage_of(target, schema_path(d.path));
    const Carry carry = worse(carry_of(d.path), rule ? rule->carry : Carry::exact);
    Change c{std::move(d.path), std::move(d.a), std::move(d.b), carry, {}};
    c.note = note_of(c.path);
    if (c.note.empty() && rule) c.note = std::string(rule->note);
    if (c.carry == Carry::exact) undeclared.push_back(c);
    changes_.push_back(std::move(c));
  }
  for (auto& c : undeclared) {
    c.note = fmt::format("the target holds {} where {} was written, and no codec declares it: a bug in cptx",
                         c.target, c.source);
    note(c.path, Carry::approximated, c.note);
  }
  return undeclared;
}

std::string Report::note_of(std::string_view concrete_path) const {
  const std::string field = schema_path(concrete_path);
  std::string text;
  for (const auto& f : findings_) {
    const bool generic = f.path.find("[]") != std::string::npos;
    if (f.carry != Carry::exact && paths_overlap(f.path, generic ? field : std::string(concrete_path)))
      text = join_notes(text, f.text);
  }
  if (!text.empty()) return text;
  for (const auto& row : rows_)
    if (row.carry != Carry::exact && paths_overlap(row.path, field)) text = join_notes(text, row.note);
  return text;
}

std::size_t Report::count(Carry c) const {
  return static_cast<std::size_t>(std::count_if(rows_.begin(), rows_.end(), [c](const Row& r) { return r.carry == c; }));
}

std::size_t Report::changed(Carry c) const {
  return static_cast<std::size_t>(
      std::count_if(changes_.begin(), changes_.end(), [c](const Change& x) { return x.carry == c; }));
}

model::Json Report::to_json() const {
  model::Json j = model::Json::object();
  j["report_version"] = 3;
  j["source"] = source_;
  j["target"] = target_;
  model::Json counts = model::Json::object(), changed_here = model::Json::object();
  changed_here["fields"] = compared_;
  changed_here["unchanged"] = compared_ - changes_.size();
  for (const Carry c : all_carries) {
    counts[status_key(carry_name(c))] = count(c);
    if (c != Carry::exact) changed_here[status_key(carry_name(c))] = changed(c);
  }
  changed_here["undeclared"] = changed(Carry::exact);
  j["counts"] = counts;
  j["this_conversion"] = changed_here;
  model::Json fields = model::Json::array();
  for (const auto& r : rows_)
    fields.push_back({{"path", r.path}, {"carry", std::string(carry_name(r.carry))}, {"note", r.note}});
  j["fields"] = fields;
  model::Json findings = model::Json::array();
  for (const auto& f : findings_)
    findings.push_back({{"path", f.path}, {"carry", std::string(carry_name(f.carry))}, {"note", f.text}});
  j["findings"] = findings;
  model::Json changes = model::Json::array();
  for (const auto& c : changes_)
    changes.push_back({{"path", c.path},
                       {"source", c.source},
                       {"target", c.target},
                       {"carry", std::string(c.status())},
                       {"note", c.note}});
  j["changes"] = changes;
  return j;
}

std::string status_key(std::string_view status) {
  std::string key(status);
  std::replace(key.begin(), key.end(), ' ', '_');
  return key;
}

std::string_view device_of(std::string_view path) { return path.substr(0, path.find('.')); }

std::string_view shown_value(std::string_view json) {
  const bool plain_string = json.size() >= 2 && json.front() == '"' && json.back() == '"' &&
                            json.find('\\') == std::string_view::npos;
  return plain_string ? json.substr(1, json.size() - 2) : json;
}

namespace {

// ANSI colours of a terminal summary: each status its own, so the worse ones stand out.
std::string_view colour_of(Carry c, bool declared) {
  if (!declared) return "\033[1;31m";
  switch (c) {
    case Carry::exact: return "";
    case Carry::transformed: return "\033[36m";
    case Carry::approximated: return "\033[33m";
    case Carry::defaulted: return "\033[35m";
    case Carry::none: return "\033[31m";
  }
  return "";
}

}  // namespace

std::string Report::summary(bool colour) const {
  const auto paint = [colour](std::string_view code, std::string_view text) {
    return colour && !code.empty() ? fmt::format("{}{}\033[0m", code, text) : std::string(text);
  };
  std::string s = fmt::format("{} -> {}: {} fields carried exactly", source_, target_, count(Carry::exact));
  for (const Carry c : all_carries)
    if (c != Carry::exact) s += fmt::format(", {} {}", count(c), carry_name(c));
  s += "\n";
  if (compared_) {
    s += fmt::format("  this checkpoint: {} fields, {} unchanged", compared_, compared_ - changes_.size());
    for (const Carry c : all_carries)
      if (c != Carry::exact) s += fmt::format(", {} {}", changed(c), carry_name(c));
    if (const std::size_t bugs = changed(Carry::exact)) s += fmt::format(", {} changed undeclared (a bug in cptx)", bugs);
    s += "\n";
  }
  // Devices in the order the model declares them, which is the order compare() found the changes in.
  std::vector<std::string_view> devices;
  for (const auto& c : changes_)
    if (std::find(devices.begin(), devices.end(), device_of(c.path)) == devices.end()) devices.push_back(device_of(c.path));
  for (const std::string_view device : devices) {
    s += fmt::format("  {}\n", paint("\033[1m", device));
    for (const auto& c : changes_) {
      if (device_of(c.path) != device) continue;
      const bool declared = c.carry != Carry::exact;
      const std::string status = fmt::format("{:<12}", declared ? carry_name(c.carry) : "UNDECLARED");
      const std::string_view field = c.path.size() > device.size() ? std::string_view(c.path).substr(device.size() + 1) : c.path;
      s += fmt::format("    {} {}: {} -> {}  ({})\n", paint(colour_of(c.carry, declared), status), field,
                       shown_value(c.source), shown_value(c.target), c.note);
    }
  }
  if (!findings_.empty()) s += fmt::format("  {} finding{} about particular state (see --report-json)\n",
                                           findings_.size(), findings_.size() == 1 ? "" : "s");
  return s;
}

}  // namespace cptx
