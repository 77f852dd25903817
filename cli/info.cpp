// `cptx info`: the summary of a checkpoint, as text or (--json) as a document with stable keys
// (docs/inspect.md). Either way, what the checkpoint does not hold is marked, never shown as saved.
#include <map>

#include <fmt/format.h>

#include "cli/inspect.hpp"
#include "cli/summary.hpp"
#include "cli/unsaved.hpp"
#include "model/tree.hpp"

namespace cptx {

namespace {

using model::Json;

// Every leaf the checkpoint does not hold, by path, provenance aside (it is not machine state).
std::map<std::string, Unsaved> unsaved_leaves(const Endpoint& in, const model::Machine& m, const Report& read) {
  std::map<std::string, Unsaved> out;
  for (const auto& n : model::tree(m))
    if (n.leaf && !n.provenance)
      if (auto u = unsaved(n.path, *in.codec, read)) out.emplace(n.path, std::move(*u));
  return out;
}

bool under(const std::string& path, std::string_view prefix) {
  return path.starts_with(prefix) &&
         (path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[');
}

// One entry per row or finding that says why, in path order.
std::map<std::string, Unsaved> reasons(const std::map<std::string, Unsaved>& leaves) {
  std::map<std::string, Unsaved> out;
  for (const auto& [path, u] : leaves) out.emplace(u.where, u);
  return out;
}

std::string ram_findings(const Report& read) {
  std::string s;
  for (const auto& f : read.findings())
    if (f.path == "memory" || f.path.starts_with("memory."))
      s += fmt::format("{:<8} {}: {}\n", "note", f.path, f.text);
  return s;
}

}  // namespace

std::string info_text(const Endpoint& in, const model::Machine& m, const Report& read) {
  const auto leaves = unsaved_leaves(in, m, read);
  const auto tree = model::tree(m);
  const auto mark = [&](std::string_view prefix) -> std::string {
    std::size_t total = 0, missing = 0;
    Carry worst = Carry::defaulted;
    for (const auto& n : tree) {
      if (!n.leaf || n.provenance || !under(n.path, prefix)) continue;
      ++total;
      if (const auto it = leaves.find(n.path); it != leaves.end()) {
        ++missing;
        if (it->second.carry == Carry::none) worst = Carry::none;
      }
    }
    if (!missing) return "";
    if (missing == total) return fmt::format("  [{}]", unsaved_label(worst));
    return fmt::format("  [{} of {} fields {}]", missing, total, unsaved_label(worst));
  };
  std::string s = fmt::format("{:<8} {}\n", "format", in.codec->name) + summarize(m, mark);
  const auto why = reasons(leaves);
  if (!why.empty()) {
    s += fmt::format("{:<8} not in this {} checkpoint; the values marked above are the reader's:\n", "unsaved",
                     in.codec->name);
    for (const auto& [where, u] : why) s += fmt::format("{:<8} [{}] {}: {}\n", "", unsaved_label(u.carry), where, u.why);
  }
  return s + ram_findings(read);
}

std::string info_json(const Endpoint& in, const model::Machine& m, const Report& read) {
  Json j = Json::object();
  j["info_version"] = 1;
  j["format"] = std::string(in.codec->name);
  j["source"] = std::string(name_of(m.platform.source));
  j["source_detail"] = m.platform.source_detail;
  const auto& t = m.platform.time;
  j["time"] = {{"guest_ns", t.guest_ns}, {"guest_sub_ns", t.guest_sub_ns}, {"tsc_hz", t.tsc_hz},
               {"lapic_timer_hz", t.lapic_timer_hz}};
  j["ram_size"] = m.platform.ram_size;
  Json regions = Json::array();
  for (const auto& r : m.memory.regions) {
    Json backing = nullptr;
    if (r.backing)
      backing = {{"path", r.backing->path}, {"offset", r.backing->offset},
                 {"encoding", std::string(name_of(r.backing->encoding))}};
    regions.push_back({{"gpa", r.gpa}, {"size", r.size}, {"backing", backing}});
  }
  j["ram_regions"] = regions;
  Json cpus = Json::array();
  for (const auto& c : m.cpu) {
    const model::Lapic& a = c.lapic;
    cpus.push_back({{"mode", cpu_mode(c)},
                    {"paging", static_cast<bool>(c.cr.cr0 >> 31 & 1)},
                    {"activity", std::string(name_of(c.activity))},
                    {"rip", c.rip},
                    {"cs_selector", c.segments.cs.selector},
                    {"cs_base", c.segments.cs.base},
                    {"cpl", c.cpl},
                    {"cr0", c.cr.cr0},
                    {"cr3", c.cr.cr3},
                    {"cr4", c.cr.cr4},
                    {"efer", c.efer},
                    {"lapic",
                     {{"id", a.id},
                      {"enabled", (a.svr & 0x100) != 0},
                      {"timer_masked", (a.lvt.timer & 0x10000) != 0},
                      {"timer_initial_count", a.timer.initial_count},
                      {"timer_current_count", a.timer.current_count},
                      {"timer_divide", a.timer.divide}}}});
  }
  j["cpus"] = cpus;
  Json uarts = Json::array();
  for (std::size_t i = 0; i < m.uart.size(); ++i)
    if (m.uart[i].present) uarts.push_back({{"index", i}, {"irq", m.uart[i].irq}, {"divisor", m.uart[i].divisor}});
  j["uarts"] = uarts;
  Json unsaved = Json::array();
  for (const auto& [where, u] : reasons(unsaved_leaves(in, m, read)))
    unsaved.push_back({{"path", where}, {"carry", std::string(carry_name(u.carry))}, {"why", u.why}});
  j["unsaved"] = unsaved;
  Json notes = Json::array();
  for (const auto& f : read.findings())
    if (f.path == "memory" || f.path.starts_with("memory.")) notes.push_back({{"path", f.path}, {"note", f.text}});
  j["memory_notes"] = notes;
  return j.dump(2) + "\n";
}

}  // namespace cptx
