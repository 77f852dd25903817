#include "reports/coverage.hpp"

namespace cptx {

std::string schema_path(std::string_view concrete) {
  std::string out;
  for (std::size_t i = 0; i < concrete.size(); ++i) {
    out += concrete[i];
    if (concrete[i] == '[')
      while (i + 1 < concrete.size() && concrete[i + 1] != ']') ++i;
  }
  return out;
}

bool path_is_under(std::string_view path, std::string_view prefix) {
  if (prefix.empty()) return true;
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

bool paths_overlap(std::string_view a, std::string_view b) { return path_is_under(a, b) || path_is_under(b, a); }

std::string_view carry_name(Carry c) {
  switch (c) {
    case Carry::exact: return "exact";
    case Carry::transformed: return "transformed";
    case Carry::approximated: return "approximated";
    case Carry::defaulted: return "defaulted";
    case Carry::none: return "not carried";
  }
  return "?";
}

const CoverageRule* coverage_of(std::span<const CoverageRule> coverage, std::string_view field_path) {
  const CoverageRule* best = nullptr;
  for (const CoverageRule& r : coverage)
    if (path_is_under(field_path, r.path) && (!best || r.path.size() > best->path.size())) best = &r;
  return best;
}

}  // namespace cptx
