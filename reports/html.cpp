#include "reports/html.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace cptx {

namespace {

// Kept short and inline: the page must open from a file, offline, with nothing else beside it.
constexpr std::string_view style = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
code, td.value, td.path { font-family: ui-monospace, monospace; }
table { border-collapse: collapse; margin: .3em 0 1em; }
th, td { border: 1px solid #ccc; padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.value { max-width: 30em; overflow-wrap: anywhere; }
#filters { position: sticky; top: 0; background: #fff; padding: .4em 0; border-bottom: 1px solid #ccc; }
#filters label { margin-right: 1em; }
tr[data-status="transformed"] td.status { color: #066; }
tr[data-status="approximated"] td.status { color: #850; }
tr[data-status="defaulted"] td.status { color: #608; }
tr[data-status="not_carried"] td.status { color: #b00; }
tr[data-status="undeclared"] td.status { color: #b00; font-weight: bold; }
)";

// Shows the rows whose status is checked. The fragment `#status=a,b` sets the checkboxes, and
// ticking one rewrites the fragment, so a filtered view is an address to share.
constexpr std::string_view script = R"(
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input'));
  function apply() {
    var m = /^#status=([a-z_,]*)$/.exec(location.hash);
    if (m) {
      var want = m[1].split(',');
      boxes.forEach(function (b) { b.checked = want.indexOf(b.value) >= 0; });
    }
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    document.querySelectorAll('tr[data-status]').forEach(function (r) { r.hidden = !on[r.dataset.status]; });
    document.querySelectorAll('section.device').forEach(function (s) {
      s.hidden = !s.querySelector('tr[data-status]:not([hidden])');
    });
    document.getElementById('shown').textContent =
        document.querySelectorAll('#changes tr[data-status]:not([hidden])').length;
  }
  boxes.forEach(function (b) {
    b.addEventListener('change', function () {
      location.hash = 'status=' + boxes.filter(function (x) { return x.checked; })
                                       .map(function (x) { return x.value; }).join(',');
    });
  });
  window.addEventListener('hashchange', apply);
  apply();
})();
)";

// Every status a row can show: the carries, then a change no codec declared.
std::vector<std::string_view> statuses() {
  std::vector<std::string_view> out;
  for (const Carry c : all_carries) out.push_back(carry_name(c));
  out.push_back(Report::Change{}.status());  // `undeclared`
  return out;
}

// Groups of items by device, in the order the devices first appear.
template <class Item, class Path>
std::vector<std::pair<std::string, std::vector<const Item*>>> by_device(const std::vector<Item>& items, Path path) {
  std::vector<std::pair<std::string, std::vector<const Item*>>> out;
  for (const Item& item : items) {
    const std::string device(device_of(path(item)));
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == device; });
    if (it == out.end()) it = out.insert(out.end(), {device, {}});
    it->second.push_back(&item);
  }
  return out;
}

std::string ram_section(std::span<const RamRegionStats> ram) {
  std::uint64_t bytes = 0, zero = 0;
  bool all_counted = true;
  std::string rows;
  for (const RamRegionStats& r : ram) {
    bytes += r.size;
    all_counted = all_counted && r.zero_pages.has_value();
    zero += r.zero_pages.value_or(0);
    rows += fmt::format("<tr><td class=\"value\">0x{:x}</td><td class=\"value\">0x{:x}</td><td>{}</td><td>{}</td></tr>\n",
                        r.gpa, r.gpa + r.size - 1, r.size,
                        r.zero_pages ? fmt::format("{} of {}", *r.zero_pages, r.size / model::page_size) : std::string("not read"));
  }
  std::string s = "<section id=\"ram\"><h2>Guest RAM</h2>\n<table>\n";
  s += fmt::format("<tr><th>regions</th><td id=\"ram-regions\">{}</td></tr>\n", ram.size());
  s += fmt::format("<tr><th>bytes</th><td id=\"ram-bytes\">{}</td></tr>\n", bytes);
  s += fmt::format("<tr><th>pages</th><td id=\"ram-pages\">{}</td></tr>\n", bytes / model::page_size);
  s += fmt::format("<tr><th>zero pages</th><td id=\"ram-zero-pages\">{}</td></tr>\n",
                   all_counted ? fmt::format("{}", zero)
                               : std::string("not counted: the target refers to the source's RAM rather than copy it"));
  s += "</table>\n<table>\n<tr><th>from</th><th>to</th><th>bytes</th><th>zero pages</th></tr>\n" + rows;
  return s + "</table></section>\n";
}

std::string counts_line(const Report& report) {
  std::string s = fmt::format("{} fields, {} unchanged", report.compared(), report.compared() - report.changes().size());
  for (const Carry c : all_carries)
    if (c != Carry::exact) s += fmt::format(", {} {}", report.changed(c), carry_name(c));
  if (const std::size_t bugs = report.changed(Carry::exact)) s += fmt::format(", {} undeclared (a bug in cptx)", bugs);
  return s;
}

std::string filters(const Report& report) {
  std::string s = "<nav id=\"filters\">Show:\n";
  for (const std::string_view status : statuses()) {
    const auto changes = std::count_if(report.changes().begin(), report.changes().end(),
                                       [&](const Report::Change& c) { return c.status() == status; });
    s += fmt::format("<label><input type=\"checkbox\" value=\"{}\"{}> {} ({})</label>\n", status_key(status),
                     status == carry_name(Carry::exact) ? "" : " checked", status, changes);
  }
  return s + "<span><span id=\"shown\"></span> changed fields shown</span></nav>\n";
}

std::string changes_section(const Report& report) {
  std::string s = "<section id=\"changes\"><h2>Fields this checkpoint holds differently in the target</h2>\n";
  if (report.changes().empty()) s += "<p>None: every field arrived unchanged.</p>\n";
  for (const auto& [device, changes] : by_device(report.changes(), [](const Report::Change& c) { return c.path; })) {
    s += fmt::format("<section class=\"device\" data-device=\"{0}\"><h3>{0}</h3>\n<table>\n", html_escape(device));
    s += "<tr><th>field</th><th>status</th><th>source</th><th>target</th><th>why</th></tr>\n";
    for (const Report::Change* c : changes)
      s += fmt::format(
          "<tr data-status=\"{}\"><td class=\"path\">{}</td><td class=\"status\">{}</td><td class=\"value source\">{}</td>"
          "<td class=\"value target\">{}</td><td>{}</td></tr>\n",
          status_key(c->status()), html_escape(c->path), c->status(), html_escape(shown_value(c->source)),
          html_escape(shown_value(c->target)), html_escape(c->note));
    s += "</table></section>\n";
  }
  return s + "</section>\n";
}

std::string formats_section(const Report& report) {
  std::string s = "<section id=\"formats\"><h2>What the two formats carry of each field</h2>\n";
  for (const auto& [device, rows] : by_device(report.rows(), [](const Report::Row& r) { return r.path; })) {
    s += fmt::format("<section class=\"device\" data-device=\"{0}\"><h3>{0}</h3>\n<table>\n", html_escape(device));
    s += "<tr><th>field</th><th>status</th><th>why</th></tr>\n";
    for (const Report::Row* r : rows)
      s += fmt::format("<tr data-status=\"{}\"><td class=\"path\">{}</td><td class=\"status\">{}</td><td>{}</td></tr>\n",
                       status_key(carry_name(r->carry)), html_escape(r->path), carry_name(r->carry), html_escape(r->note));
    s += "</table></section>\n";
  }
  return s + "</section>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  return out;
}

std::string to_html(const Report& report, std::span<const RamRegionStats> ram) {
  const std::string source = html_escape(report.source()), target = html_escape(report.target());
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  s += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'\">\n";
  s += fmt::format("<title>cptx report: {} to {}</title>\n<style>{}</style></head><body>\n", source, target, style);
  s += "<header><h1>Conversion report</h1>\n<table>\n";
  s += fmt::format("<tr><th>source</th><td id=\"source\">{}</td></tr>\n", source);
  s += fmt::format("<tr><th>target</th><td id=\"target\">{}</td></tr>\n", target);
  s += fmt::format("<tr><th>this checkpoint</th><td id=\"counts\">{}</td></tr>\n", counts_line(report));
  s += fmt::format("<tr><th>findings</th><td>{}</td></tr>\n</table></header>\n", report.findings().size());
  s += ram_section(ram) + filters(report) + changes_section(report) + formats_section(report);
  return s + fmt::format("<script>{}</script>\n</body></html>\n", script);
}

}  // namespace cptx
