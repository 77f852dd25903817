// `cptx show CHECKPOINT [PATH]`: the model, or the subtree at PATH, one `name  value` line per field,
// indented by depth, written as the declarations say (hex, units); fields the checkpoint does not
// hold are marked and explained at the end.
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "cli/convert.hpp"
#include "cli/inspect.hpp"
#include "cli/unsaved.hpp"
#include "codecs/io/error.hpp"
#include "model/tree.hpp"

namespace cptx {

namespace {

// `path` itself or a field below it.
bool within(const std::string& node, const std::string& path) {
  return path.empty() || node == path ||
         (node.size() > path.size() && node.starts_with(path) && (node[path.size()] == '.' || node[path.size()] == '['));
}

// `cpu[0].regs` for `cpu[0].regs.rax`, `cpu` for `cpu[0]`, "" (the machine) for `cpu`.
std::string parent(const std::string& path) {
  const auto cut = path.find_last_of(".[");
  return cut == std::string::npos ? "" : path.substr(0, cut);
}

// The longest existing field `path` starts with, and its children.
std::string children_of_nearest(const std::vector<model::Node>& nodes, std::string path) {
  const auto exists = [&](const std::string& p) {
    return p.empty() || std::any_of(nodes.begin(), nodes.end(), [&](const model::Node& n) { return n.path == p; });
  };
  while (!exists(path)) path = parent(path);
  std::string names;
  for (const auto& n : nodes)
    if (parent(n.path) == path) names += (names.empty() ? "" : ", ") + n.path;
  return fmt::format("{} has {}", path.empty() ? "the model" : path, names);
}

}  // namespace

void add_show_command(CLI::App& app) {
  static std::string src, path;
  auto* show = app.add_subcommand("show", "Print the model of a checkpoint, or one part of it, as indented fields");
  show->add_option("checkpoint", src, "FORMAT:PATH")->required();
  show->add_option("path", path, "a model path as `cptx schema` names it, e.g. cpu[0].regs or uart[0]");
  show->callback([] {
    const Endpoint in = parse_input(src);
    ReadOptions opts;
    opts.state_only = true;
    Report read;
    const model::Machine m = load(in, opts, "input", read);
    const auto nodes = model::tree(m);
    std::vector<const model::Node*> shown;
    for (const auto& n : nodes)
      if (within(n.path, path)) shown.push_back(&n);
    if (shown.empty())
      throw UsageError(fmt::format("'{}': no such field of the model; {}", path, children_of_nearest(nodes, path)));
    const std::size_t base = path.empty() ? 0 : shown.front()->depth;
    std::size_t width = 0;
    for (const auto* n : shown) width = std::max(width, 2 * (n->depth - base) + n->name.size());
    std::map<std::string, Unsaved> reasons;  // by where, for the notes at the end
    std::string out;
    for (const auto* n : shown) {
      // The subtree's own line names it in full, as it was asked for.
      const std::string name = n == shown.front() && !path.empty() ? n->path : n->name;
      std::string line = fmt::format("{:{}}{}", "", 2 * (n->depth - base), name);
      if (n->leaf) {
        line = fmt::format("{:<{}}  {}", line, width, n->value);
        if (!n->unit.empty() && n->value != "none") line += " " + n->unit;
        if (const auto u = n->provenance ? std::nullopt : unsaved(n->path, *in.codec, read)) {
          line += fmt::format("  [{}]", unsaved_label(u->carry));
          reasons.emplace(u->where, *u);
        }
      }
      out += line + "\n";
    }
    if (!reasons.empty()) {
      out += fmt::format("\nnot in this {} checkpoint (the reader filled these in):\n", in.codec->name);
      for (const auto& [where, u] : reasons) out += fmt::format("  [{}] {}: {}\n", unsaved_label(u.carry), where, u.why);
    }
    std::cout << out << std::flush;
  });
}

}  // namespace cptx
