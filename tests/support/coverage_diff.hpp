// Round-trip checks for codecs: after model → format → model, every field the format declares it
// carries exactly must come back unchanged. Differences in fields it declares approximate or not
// carried are excused here (a codec's own tests check how close the approximate ones stay). A RAM
// region's backing says where its bytes are, which a round trip changes by nature; what the bytes
// are is compared with diff_ram (codecs/io/ram_diff.hpp).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/diff.hpp"
#include "reports/coverage.hpp"
#include "reports/report.hpp"

namespace cptx::testing {

inline std::vector<model::Difference> unexcused_differences(const model::Machine& before, const model::Machine& after,
                                                             std::span<const CoverageRule> coverage) {
  std::vector<model::Difference> out;
  for (auto& d : model::diff(before, after)) {
    if (model::names_ram_storage(d.path)) continue;
    const CoverageRule* rule = coverage_of(coverage, schema_path(d.path));
    if (!rule || rule->carry == Carry::exact) out.push_back(std::move(d));
  }
  return out;
}

// As above, and also excusing what the translation's report found lost or rounded in particular state.
inline std::vector<model::Difference> unexcused_differences(const model::Machine& before, const model::Machine& after,
                                                             std::span<const CoverageRule> coverage,
                                                             const Report& report) {
  std::vector<model::Difference> out;
  for (auto& d : unexcused_differences(before, after, coverage))
    if (report.carry_of(d.path) == Carry::exact) out.push_back(std::move(d));
  return out;
}

inline std::string describe(const std::vector<model::Difference>& diffs) {
  std::string s;
  for (const auto& d : diffs) s += d.path + ": " + d.a + " -> " + d.b + "\n";
  return s;
}

}  // namespace cptx::testing
