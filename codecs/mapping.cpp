#include "codecs/mapping.hpp"

#include <algorithm>

namespace cptx::mapping {

Coverage& Coverage::declare(std::span<const CoverageRule> rows) {
  declared_.insert(declared_.end(), rows.begin(), rows.end());
  return finish();
}

Coverage& Coverage::mapped(std::string path, Carry carry, std::string text) {
  const std::string& p = text_.emplace_back(std::move(path));
  const std::string& w = text_.emplace_back(std::move(text));
  tables_.push_back({p, carry, w});
  return finish();
}

Coverage& Coverage::finish() {
  rules_ = declared_;
  for (const CoverageRule& t : tables_) {
    const bool twice = std::any_of(rules_.begin(), rules_.end(), [&](const CoverageRule& r) { return r.path == t.path; });
    if (!twice) rules_.push_back(t);
  }
  return *this;
}

}  // namespace cptx::mapping
