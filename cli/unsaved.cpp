#include "cli/unsaved.hpp"

namespace cptx {

std::optional<Unsaved> unsaved(std::string_view concrete_path, const Codec& codec, const Report& read) {
  const std::string field = schema_path(concrete_path);
  std::optional<Unsaved> found;
  const auto consider = [&](Carry c, std::string_view where, std::string_view why) {
    if (c != Carry::defaulted && c != Carry::none) return;
    if (!found || static_cast<int>(c) > static_cast<int>(found->carry))
      found = Unsaved{c, std::string(where), std::string(why)};
  };
  if (const CoverageRule* rule = coverage_of(codec.coverage, field)) consider(rule->carry, rule->path, rule->note);
  for (const auto& f : read.findings()) {
    // A finding about every instance (`uart[]`) concerns each of them.
    const bool generic = f.path.find("[]") != std::string::npos;
    if (paths_overlap(f.path, generic ? field : std::string(concrete_path))) consider(f.carry, f.path, f.text);
  }
  return found;
}

std::string_view unsaved_label(Carry c) { return c == Carry::none ? "not saved" : "default"; }

}  // namespace cptx
