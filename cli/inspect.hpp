// The verbs that look inside one checkpoint without translating it: `show` (the model or a subtree
// of it), `memory` (a hexdump of guest RAM) and the JSON form of `info` (docs/inspect.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "model/machine.hpp"
#include "reports/report.hpp"
#include "codecs/registry.hpp"

namespace cptx {

void add_show_command(CLI::App& app);
void add_memory_command(CLI::App& app);

// `cptx info --json`: the summary of `m`, read from `in` with the report `read`.
std::string info_json(const Endpoint& in, const model::Machine& m, const Report& read);

// The summary `cptx info` prints, each value the checkpoint does not hold marked, and why below.
std::string info_text(const Endpoint& in, const model::Machine& m, const Report& read);

}  // namespace cptx
