// Writes docs/fidelity.md and docs/fidelity.html: for every ordered pair of formats and every device
// of the model, how many fields of the corpus checkpoints the conversion carries exactly, transformed,
// approximated, defaulted or not at all, as the conversions' reports say. Run by `tools/dev.sh
// matrix`; a test fails when the committed files differ from what it writes.
//
// usage: fidelity_matrix SOURCE_DIR OUTPUT.md OUTPUT.html
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/convert.hpp"
#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/json/codec.hpp"
#include "codecs/registry.hpp"
#include "model/diff.hpp"
#include "model/json.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;

// The corpus checkpoints of the 32 MiB self-checking guest, which programs every modelled device.
// The 128 MiB Linux guest's gem5 checkpoints, added, leave every count as it is, at twice the time.
struct Checkpoint {
  std::string path;  // relative to the source directory
  std::string vm_xml;  // its pair's Palacios VM, which keeps the RAM size through Palacios
};
const Checkpoint checkpoints[] = {
    {"corpus/pairs/selfcheck/step5.qemu", "corpus/pairs/selfcheck/palacios.xml"},
    {"corpus/pairs/selfcheck/step15.qemu", "corpus/pairs/selfcheck/palacios.xml"},
    {"corpus/pairs/selfcheck/step30.qemu", "corpus/pairs/selfcheck/palacios.xml"},
    {"corpus/gem5/selfcheck-32M/cpt.40000000500", "corpus/pairs/selfcheck/palacios.xml"},
    {"corpus/gem5/selfcheck-32M/cpt.80000000500", "corpus/pairs/selfcheck/palacios.xml"},
};

// A device of the model: a path's first name (`cpu` of `cpu[0].regs.rax`).
std::string device_of(const std::string& path) { return path.substr(0, path.find_first_of(".[")); }

// The concrete paths of a machine's fields, as reports name them.
void leaf_paths(const model::Json& j, const std::string& at, std::vector<std::string>& out) {
  if (j.is_object())
    for (const auto& [k, v] : j.items()) leaf_paths(v, at.empty() ? k : at + "." + k, out);
  else if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) leaf_paths(j[i], fmt::format("{}[{}]", at, i), out);
  else if (!model::names_ram_storage(at))
    out.push_back(at);
}

// Per device, per pair (from, to), per concrete field: the worst status of any checkpoint.
using Statuses = std::map<std::string, std::map<std::pair<std::size_t, std::size_t>, std::map<std::string, Carry>>>;

struct Hop {
  Endpoint at;
  ReadOptions read;
};

// The file store leaves zero RAM as holes, where the textfile store would spell it out in hex.
WriteOptions palacios_options(const fs::path& vm_xml) {
  WriteOptions o;
  o.store = "file";
  o.target_config = vm_xml;
  return o;
}

// The checkpoint as format `to` holds it: converted from the model document `origin`.
Hop hop_to(const Codec& to, const Endpoint& origin, const fs::path& dir, const fs::path& vm_xml) {
  if (&to == &json_codec) return {origin, {}};
  Hop h{{&to, dir / std::string(to.name), std::string(to.name)}, {}};
  WriteOptions write;
  if (&to == find_codec("palacios")) {
    write = palacios_options(vm_xml);
    h.read.config = vm_xml;
  }
  convert(origin, {}, h.at, write);
  return h;
}

void add_checkpoint(const fs::path& source_dir, const Checkpoint& cp, const fs::path& dir, Statuses& statuses) {
  const auto codecs = all_codecs();
  const fs::path vm_xml = source_dir / cp.vm_xml;
  // Machine state only: the RAM becomes zeros, which every format writes cheaply.
  Report scratch;
  const Endpoint in = parse_input((source_dir / cp.path).string());
  model::Machine m = in.codec->read(in.path, scratch);
  for (auto& r : m.memory.regions) r.backing.reset();
  const Endpoint origin{&json_codec, dir / "origin.json", "json"};
  json_codec.write(m, origin.path, {}, scratch);

  for (std::size_t a = 0; a < codecs.size(); ++a) {
    const Hop from = hop_to(*codecs[a], origin, dir / "a", vm_xml);
    Report read_report;
    std::vector<std::string> fields;
    leaf_paths(model::to_json(from.at.codec->read(from.at.path, read_report, from.read))["machine"], "", fields);
    for (std::size_t b = 0; b < codecs.size(); ++b) {
      if (a == b) continue;
      const fs::path out = dir / fmt::format("{}-{}", codecs[a]->name, codecs[b]->name);
      WriteOptions write;
      if (codecs[b] == find_codec("palacios")) write = palacios_options(vm_xml);
      const Report report = convert(from.at, from.read, {codecs[b], out, std::string(codecs[b]->name)}, write);
      if (report.changed(Carry::exact))
        throw std::logic_error(fmt::format("{}: {} -> {} changes fields no codec declares", cp.path,
                                           codecs[a]->name, codecs[b]->name));
      for (const auto& f : fields) {
        Carry& c = statuses[device_of(f)][{a, b}].try_emplace(f, Carry::exact).first->second;
        c = std::max(c, report.carry_of(f));
      }
      fs::remove_all(out);
    }
    if (from.at.path != origin.path) fs::remove_all(from.at.path);
  }
}

// A table as both documents show it.
struct Table {
  std::string title, intro;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

constexpr const char* status_names[] = {"exact", "transformed", "approximated", "defaulted", "lost"};

std::vector<Table> tables(const Statuses& statuses) {
  const auto codecs = all_codecs();
  std::vector<Table> out;
  Table summary{"All devices", "Fields not exact, of all fields, from the row's format to the column's.", {"from \\ to"}, {}};
  for (const Codec* c : codecs) summary.header.emplace_back(c->name);
  for (std::size_t a = 0; a < codecs.size(); ++a) {
    std::vector<std::string> row = {std::string(codecs[a]->name)};
    for (std::size_t b = 0; b < codecs.size(); ++b) {
      std::size_t all = 0, lossy = 0;
      for (const auto& [device, pairs] : statuses)
        if (const auto it = pairs.find({a, b}); it != pairs.end())
          for (const auto& [path, c] : it->second) {
            ++all;
            lossy += c != Carry::exact;
          }
      row.push_back(a == b ? "" : fmt::format("{} of {}", lossy, all));
    }
    summary.rows.push_back(std::move(row));
  }
  out.push_back(std::move(summary));
  for (const auto& [device, pairs] : statuses) {
    Table t{device, "", {"from", "to"}, {}};
    t.header.insert(t.header.end(), std::begin(status_names), std::end(status_names));
    for (const auto& [pair, fields] : pairs) {
      std::vector<std::string> row = {std::string(codecs[pair.first]->name), std::string(codecs[pair.second]->name)};
      for (const Carry c : all_carries)
        row.push_back(std::to_string(std::count_if(fields.begin(), fields.end(),
                                                   [c](const auto& f) { return f.second == c; })));
      t.rows.push_back(std::move(row));
    }
    out.push_back(std::move(t));
  }
  return out;
}

constexpr const char* title = "Fidelity of translations between formats";

// The header both documents carry, as Markdown paragraphs (the HTML one escapes and wraps them).
std::vector<std::string> preamble() {
  std::vector<std::string> p = {
      "Generated by `tools/dev.sh matrix` from the conversion reports; do not edit it. A test fails when "
      "it no longer matches what cptx does.",
      "For every ordered pair of formats (A, B) and every device of the model: how many fields "
      "`cptx convert` from A to B carries exactly, transformed (a named conversion within its bound, such as "
      "80-bit to double), approximated (kept in part), defaulted (the format's fixed value, the skeleton's or "
      "power-on's stands in) or loses (not carried). A field is one value of the checkpoint "
      "(`cpu[0].regs.rax`, `uart[2].lcr`), and its status is what the report of that conversion says of "
      "it: the two formats' coverage rows and what the codecs found about this checkpoint.",
      "Each checkpoint below is read, its RAM set aside (this is about machine state; `cptx verify` and the "
      "corpus tests check RAM byte for byte), converted to A, and from A to B; a field counts once, with the "
      "worst status any checkpoint gives it. Palacios is written in its file store and read with the pair's VM XML. The "
      "checkpoints:",
  };
  std::string list;
  for (const auto& cp : checkpoints) list += fmt::format("{}- `{}`", list.empty() ? "" : "\n", cp.path);
  p.push_back(list);
  return p;
}

std::string markdown(const std::vector<Table>& ts) {
  std::string s = fmt::format("# {}\n", title);
  for (const auto& p : preamble()) s += "\n" + p + "\n";
  for (const auto& t : ts) {
    s += fmt::format("\n## {}\n\n", t.title);
    if (!t.intro.empty()) s += t.intro + "\n\n";
    std::string rule;
    for (const auto& h : t.header) {
      s += "| " + h + " ";
      rule += "|---";
    }
    s += "|\n" + rule + "|\n";
    for (const auto& row : t.rows) {
      for (const auto& cell : row) s += "| " + cell + " ";
      s += "|\n";
    }
  }
  return s;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

// Markdown's `code` and "- " list lines in the preamble, as HTML.
std::string html_paragraph(const std::string& md) {
  std::string text = html_escape(md);
  for (bool open = true; text.find('`') != std::string::npos; open = !open)
    text.replace(text.find('`'), 1, open ? "<code>" : "</code>");
  if (!text.starts_with("- ")) return "<p>" + text + "</p>\n";
  std::string list = "<ul>\n";
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    list += "<li>" + text.substr(at + 2, end - at - 2) + "</li>\n";
    at = end + 1;
  }
  return list + "</ul>\n";
}

std::string html(const std::vector<Table>& ts) {
  std::string s = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{0}</title>\n<style>\n"
      "body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.4; }}\n"
      "table {{ border-collapse: collapse; margin-bottom: 1.5em; }}\n"
      "th, td {{ border: 1px solid #bbb; padding: 0.2em 0.6em; text-align: right; }}\n"
      "th:first-child, td:first-child, td.name {{ text-align: left; }}\n"
      "td.zero {{ color: #bbb; }}\n"
      "</style>\n</head>\n<body>\n<h1>{0}</h1>\n",
      title);
  for (const auto& p : preamble()) s += html_paragraph(p);
  for (const auto& t : ts) {
    s += fmt::format("<h2>{}</h2>\n", html_escape(t.title));
    if (!t.intro.empty()) s += html_paragraph(t.intro);
    s += "<table>\n<tr>";
    for (const auto& h : t.header) s += "<th>" + html_escape(h) + "</th>";
    s += "</tr>\n";
    for (const auto& row : t.rows) {
      s += "<tr>";
      for (std::size_t i = 0; i < row.size(); ++i) {
        const bool name = i == 0 || (t.header.size() > 1 && t.header[1] == "to" && i == 1);
        s += fmt::format("<td{}>{}</td>", name ? " class=\"name\"" : row[i] == "0" ? " class=\"zero\"" : "",
                         html_escape(row[i]));
      }
      s += "</tr>\n";
    }
    s += "</table>\n";
  }
  return s + "</body>\n</html>\n";
}

void write_whole(const fs::path& p, const std::string& text) {
  AtomicOutput out(p, AtomicOutput::Kind::file, true);
  std::ofstream f(out.temp_path(), std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) io::write_failed(p);
  out.commit();
}

int run(int argc, char** argv) {
  if (argc != 4) {
    std::fputs("usage: fidelity_matrix SOURCE_DIR OUTPUT.md OUTPUT.html\n", stderr);
    return 2;
  }
  const fs::path source_dir = argv[1];
  // Never committed: the conversions' outputs, removed on return and on error.
  const AtomicOutput scratch(fs::temp_directory_path() / "cptx-fidelity", AtomicOutput::Kind::directory, true);
  Statuses statuses;
  for (const auto& cp : checkpoints) {
    const fs::path dir = scratch.temp_path() / "work";
    fs::create_directories(dir / "a");
    add_checkpoint(source_dir, cp, dir, statuses);
    fs::remove_all(dir);
  }
  const auto ts = tables(statuses);
  write_whole(argv[2], markdown(ts));
  write_whole(argv[3], html(ts));
  return 0;
}

}  // namespace
}  // namespace cptx

int main(int argc, char** argv) {
  cptx::AtomicOutput::remove_temporaries_on_signals();
  try {
    return cptx::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fidelity_matrix: error: %s\n", e.what());
  }
  return 2;
}
