#include "reports/coverage.hpp"

namespace cptx {

namespace {
bool path_is_under(std::string_view path, std::string_view prefix) {
  if (prefix.empty()) return true;
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}
}  // namespace

std::string_view carry_name(Carry c) {
  switch (c) {
    case Carry::exact: return "exact";
    case Carry::approximate: return "approximate";
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
