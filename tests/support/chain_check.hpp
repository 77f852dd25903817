// The chain property: after a checkpoint went through a chain of formats and back, every field that
// differs between the original and the result is named as not exact in one of the chain's reports,
// and the RAM bytes are identical.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "codecs/io/ram_diff.hpp"
#include "model/diff.hpp"
#include "reports/report.hpp"

namespace cptx::testing {

// What breaks the property: each changed field no report names, then the first RAM difference.
inline std::vector<std::string> unnamed_changes(const model::Machine& original, const model::Machine& result,
                                                std::span<const Report> reports) {
  std::vector<std::string> out;
  for (const auto& d : model::diff(original, result)) {
    if (model::names_ram_storage(d.path)) continue;
    const bool named = std::any_of(reports.begin(), reports.end(),
                                   [&](const Report& r) { return r.carry_of(d.path) != Carry::exact; });
    if (!named) out.push_back(fmt::format("{}: {} -> {}, named by no report", d.path, d.a, d.b));
  }
  const auto ram = diff_ram(original.memory, result.memory);
  if (!ram.empty()) out.push_back(ram.front());
  return out;
}

}  // namespace cptx::testing
