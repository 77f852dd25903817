// The chain property: after a checkpoint went through a chain of formats and back, every field that
// differs between the original and the result is named as not exact in one of the chain's reports,
// and the RAM bytes are identical.
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "codecs/gem5/codec.hpp"
#include "codecs/io/ram_diff.hpp"
#include "codecs/json/codec.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/qemu/codec.hpp"
#include "model/diff.hpp"
#include "reports/report.hpp"

namespace cptx::testing {

// The formats a chain goes through: every codec, and Palacios in both stores.
struct Format {
  std::string_view name;  // for messages
  const Codec* codec;
  std::string_view store;  // Palacios
};

inline constexpr Format formats[] = {
    {"json", &json_codec, ""},           {"palacios-textfile", &palacios_codec, "textfile"},
    {"palacios-file", &palacios_codec, "file"}, {"gem5", &gem5_codec, ""},
    {"gem5-2011", &gem5_2011_codec, ""}, {"qemu", &qemu_codec, ""},
};

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
