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

// The report files a verb was asked for, claimed before anything is written (one that cannot be
// created fails the verb first), and while in scope counting the zero pages the HTML page shows.
class ReportOutputs {
 public:
  ReportOutputs(const ReportFiles& files, bool force);
  // Writes the reports into their files and commits them.
  void write(const Report& report, const model::Memory& memory);

 private:
  std::optional<AtomicOutput> json_, html_;
  std::optional<io::RamTally> tally_;  // zero pages cost a scan: counted only for a page that shows them
};

// Reads `src`, writes `dst` and returns the report of what the translation carried, also written to
// the `reports` files asked for. A target the options describe is checked first: one the checkpoint
// does not fit is refused unless `platform.force`.
Report convert(const Endpoint& src, const ReadOptions& in_opts, const Endpoint& dst, WriteOptions opts,
               const ReportFiles& reports = {}, const PlatformOptions& platform = {});

}  // namespace cptx
