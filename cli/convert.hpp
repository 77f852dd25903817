// One conversion as `cptx convert` runs it, for every verb that converts (convert, encode, decode -o,
// verify's hops): read, check against the target machine, write, read back and report.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codecs/codec.hpp"
#include "codecs/io/atomic_output.hpp"
#include "codecs/io/ram_tally.hpp"
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

// The report files a verb was asked for: --report-json, --report-html (none when empty).
struct ReportFiles {
  std::string json, html;
};

// Writes the reports asked for into outputs claimed beforehand and commits them; the HTML page's zero
// pages are those `tally` counted.
void write_reports(const Report& report, std::optional<AtomicOutput>& json, std::optional<AtomicOutput>& html,
                   const model::Memory& memory, const std::optional<io::RamTally>& tally);

// Reads `src`, writes `dst` and returns the report of what the translation carried, also written to
// the `reports` files asked for. A target the options describe is checked first: one the checkpoint
// does not fit is refused unless `platform.force`.
Report convert(const Endpoint& src, const ReadOptions& in_opts, const Endpoint& dst, WriteOptions opts,
               const ReportFiles& reports = {}, const PlatformOptions& platform = {});

}  // namespace cptx
