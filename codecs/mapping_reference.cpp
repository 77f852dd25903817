#include "codecs/mapping_reference.hpp"

#include <fmt/format.h>

#include "codecs/json/codec.hpp"
#include "codecs/registry.hpp"
#include "model/schema.hpp"

namespace cptx {

namespace {

std::string cell(const CoverageRule* r) {
  if (!r) return "?";
  std::string text = r->note.empty() ? std::string(carry_name(r->carry))
                                     : fmt::format("{}: {}", carry_name(r->carry), r->note);
  std::string out;
  for (char ch : text) out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return out;
}

}  // namespace

std::string mapping_reference() {
  std::string head = "| field |", rule = "|---|";
  for (const Codec* c : all_codecs())
    if (c != &json_codec) {
      head += fmt::format(" {} |", c->name);
      rule += "---|";
    }
  std::string out =
      "## How each format holds each field\n\n"
      "Generated from the codecs' mapping tables and the coverage rows declared beside their code (the\n"
      "same rules conversion reports apply). *exact* names where the format keeps the field; *transformed*\n"
      "(a named conversion and its bound), *approximated* (kept in part), *defaulted* (a default stands in)\n"
      "and *not carried* say what is lost and why.\n\n" +
      head + "\n" + rule + "\n";
  for (const auto& f : model::field_list()) {
    if (!f.leaf) continue;
    out += fmt::format("| `{}` |", f.path);
    for (const Codec* c : all_codecs())
      if (c != &json_codec) out += fmt::format(" {} |", cell(coverage_of(c->coverage, f.path)));
    out += "\n";
  }
  return out;
}

std::string model_reference() { return model::markdown_reference() + "\n" + mapping_reference(); }

}  // namespace cptx
