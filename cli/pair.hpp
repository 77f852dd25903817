// `cptx pair create` and `cptx pair check`, and the platform check `cptx convert` runs (docs/pairs.md).
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "codecs/codec.hpp"
#include "codecs/platform/target.hpp"
#include "codecs/registry.hpp"

namespace cptx {

// Adds `pair` and its verbs to `app`; they set `status` (0 fits, 1 problems found, 2 bad input).
void add_pair_commands(CLI::App& app, int& status);

// The target a conversion writes for, as its options describe it: --target (a pair or any file
// `pair check` takes), else --target-config (a Palacios VM XML), else the --skeleton read as a
// checkpoint; nullopt when none is given. `--target` naming a pair also gives a Palacios output its
// VM XML, as --target-config would.
std::optional<platform::Target> conversion_target(const Endpoint& dst, WriteOptions& opts, const std::string& target);

// Throws UsageError naming every problem of `m` on `target`, unless there is none.
void require_fit(const model::Machine& m, const platform::Target& target, const ReadOptions& in_opts);

}  // namespace cptx
