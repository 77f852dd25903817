// `cptx verify`: a checkpoint taken through other formats and back to its own, each hop converted as
// `cptx convert` converts, and the result compared with the checkpoint through the model, RAM bytes
// included. A change some hop's formats or findings declare is what those formats cannot hold; any
// other is a bug in cptx.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "codecs/codec.hpp"
#include "codecs/registry.hpp"
#include "model/json_value.hpp"
#include "reports/report.hpp"

namespace cptx {

struct VerifyOptions {
  ReadOptions input;  // --input-raw-memory, --input-config
  // --target-config: the target machine's configuration, given to every hop whose format takes it
  // and used again to read that hop's output (palacios: the VM XML, which keeps the RAM size).
  std::filesystem::path target_config;
  std::string store;  // --store: for every hop whose format takes it (palacios: textfile or file)
};

struct RoundTrip {
  // A field some hop changed, as that hop's report names it: its value (JSON form) at every stop of
  // the route, the source's first and the result's last, and the worst carry the hops that changed it
  // declare, with why; `Carry::exact` when one of them did not declare its change. At stop 1 are the
  // fields the first format holds differently: the changes `cptx convert` into it reports.
  struct Field {
    std::string path;
    std::vector<std::string> values;
    Carry carry = Carry::exact;
    std::string note;
    bool came_back() const { return values.front() == values.back(); }
  };

  std::vector<std::string> route;  // format names, the source's first and last
  std::vector<Report> hops;        // one per conversion
  std::vector<Field> fields;       // in the order the hops first changed them
  // Every field that did not come back as it was, found by comparing the result with the source
  // (as `cptx diff` does, provenance aside), with the worst carry the hops declare for it and why;
  // `Carry::exact` when no hop declares it (or a hop's own read-back found it undeclared).
  std::vector<Report::Change> changes;
  std::vector<std::string> ram;  // RAM whose bytes differ (diff_ram's lines): never declared

  // Nothing changed, on the way or in the end, that the formats do not declare.
  bool holds() const;
};

// Converts `src` through `via` in order and back to its own format, in a temporary directory that is
// removed afterwards, and compares the result with `src`.
RoundTrip round_trip(const Endpoint& src, std::span<const Codec* const> via, const VerifyOptions& opts);

// For a terminal: a line for the route, then one per field changed on the way, with its value at
// every stop, those that did not come back first.
std::string verify_text(const RoundTrip& trip);
model::Json verify_json(const RoundTrip& trip);

// Adds `verify`; it sets `status` (0 every change declared, 1 an undeclared one).
void add_verify_command(CLI::App& app, int& status);

}  // namespace cptx
