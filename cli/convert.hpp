// One conversion as `cptx convert` runs it, for every verb that converts (convert, encode, decode -o,
// verify's hops): read, check against the target machine, write, read back and report.
#pragma once

#include <string>
#include <string_view>

#include "codecs/codec.hpp"
#include "codecs/io/atomic_output.hpp"
#include "codecs/registry.hpp"
#include "reports/report.hpp"

namespace cptx {

// What a conversion is told about the machine it writes for: --target, and --force-platform.
struct PlatformOptions {
  std::string target;
  bool force = false;
};

Report::Side side(const Endpoint& e);

// `side` names the input's flags: --input-raw-memory, or --a-/--b-raw-memory for diff.
model::Machine load(const Endpoint& in, const ReadOptions& opts, std::string_view side, Report& report);

// Writes the report into `out` and commits it.
void write_report_json(const Report& report, AtomicOutput& out);

// Reads `src`, writes `dst` and returns the report of what the translation carried, also written to
// `report_json` unless that is empty. A target the options describe is checked first: one the
// checkpoint does not fit is refused unless `platform.force`.
Report convert(const Endpoint& src, const ReadOptions& in_opts, const Endpoint& dst, WriteOptions opts,
               const std::string& report_json, const PlatformOptions& platform = {});

}  // namespace cptx
