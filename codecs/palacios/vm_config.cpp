#include "codecs/palacios/vm_config.hpp"

#include <algorithm>
#include <set>
#include <strings.h>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/palacios/context_name.hpp"
#include "codecs/io/text.hpp"

namespace cptx::palacios {

namespace {

bool same(const char* a, const char* b) { return strcasecmp(a, b) == 0; }

// A VM configuration nests five levels (vm/devices/device/...); anything far deeper is no
// configuration, and code walking it must not have to care.
constexpr int max_xml_depth = 32;

// Stops pugixml's (iterative) walk at the first node deeper than max_xml_depth.
struct DepthProbe : pugi::xml_tree_walker {
  std::string path;
  bool for_each(pugi::xml_node& node) override {
    if (depth() < max_xml_depth) return true;
    path = node.path();
    return false;
  }
};

// v3_cfg_val (§5.1): attribute or child element, case-insensitive; nullopt if neither.
std::optional<std::string> cfg_val(const pugi::xml_node& n, const char* name, const std::string& file,
                                   const std::string& where) {
  std::optional<std::string> attr, child;
  for (auto a : n.attributes())
    if (same(a.name(), name)) attr = a.value();
  for (auto c : n.children())
    if (c.type() == pugi::node_element && same(c.name(), name)) child = c.child_value();
  if (attr && child)
    throw InputError({file, std::nullopt, std::nullopt, where + "/" + name}, "given both as attribute and element");
  return attr ? attr : child;
}

pugi::xml_node child(const pugi::xml_node& n, const char* name) {
  for (auto c : n.children())
    if (c.type() == pugi::node_element && same(c.name(), name)) return c;
  return {};
}

std::uint64_t number(const std::string& text, const std::string& file, const std::string& key) {
  std::uint64_t v = 0;
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    throw InputError({file, std::nullopt, std::nullopt, key}, fmt::format("'{}' is not a decimal number", io::printable(text)));
  for (char c : text) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

}  // namespace

VmConfig read_vm_config(const std::filesystem::path& xml) {
  const std::string file = xml.string();
  io::require_regular_file(xml);
  pugi::xml_document doc;
  const auto parsed = doc.load_file(xml.c_str());
  if (!parsed) throw InputError({file, static_cast<std::uint64_t>(parsed.offset)}, parsed.description());
  if (DepthProbe probe; !doc.traverse(probe))
    throw InputError({file, std::nullopt, std::nullopt, io::printable(probe.path)},
                     fmt::format("elements nest deeper than {} levels", max_xml_depth));
  const pugi::xml_node vm = doc.document_element();
  if (!same(vm.name(), "vm")) throw InputError({file, std::nullopt, std::nullopt, vm.name()}, "expected a <vm> root");

  VmConfig cfg;
  if (const auto mem = cfg_val(vm, "memory", file, "vm")) {
    const std::uint64_t mib = number(*mem, file, "vm/memory");
    if (mib > ~std::uint64_t{0} >> 20)
      throw InputError({file, std::nullopt, std::nullopt, "vm/memory"},
                       fmt::format("{} MiB does not fit in 64 bits of bytes", mib));
    cfg.memory = mib << 20;
  }
  if (const auto cores = child(vm, "cores"))
    if (const auto n = cfg_val(cores, "count", file, "vm/cores")) cfg.cores = number(*n, file, "vm/cores/count");

  std::set<std::string> ids;
  std::size_t k = 0;
  for (auto d : child(vm, "devices").children()) {
    if (d.type() != pugi::node_element || !same(d.name(), "device")) continue;
    const std::string where = fmt::format("vm/devices/device[{}]", k++);
    const Location at{file, static_cast<std::uint64_t>(std::max<std::ptrdiff_t>(0, d.offset_debug())), std::nullopt,
                      where};
    const auto cls = cfg_val(d, "class", file, where);
    const auto id = cfg_val(d, "id", file, where);
    if (!cls || !id) throw InputError(at, "a device needs a class and an id");
    if (const auto problem = context_name_problem(*id))
      throw InputError(at, fmt::format("'{}' cannot name a checkpoint context: {}", io::printable(*id), *problem));
    if (id->size() >= 32)
      throw InputError(at, fmt::format("'{}' is {} characters; Palacios keeps at most 31 (P22)", io::printable(*id), id->size()));
    if (!ids.insert(*id).second) throw InputError(at, fmt::format("id '{}' used twice", io::printable(*id)));
    cfg.devices.push_back({*cls, *id});
  }
  return cfg;
}

}  // namespace cptx::palacios
