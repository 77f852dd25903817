#include "cli/convert.hpp"

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <utility>
#include <vector>

#include "cli/pair.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/io/progress.hpp"
#include "codecs/io/ram_limit.hpp"
#include "reports/html.hpp"

namespace cptx {

namespace fs = std::filesystem;

namespace {

// Refuses an output that is an input, holds one or lies inside one: writing it would change the input
// while it is read, or replace it.
void refuse_overlap(const std::vector<std::pair<std::string, fs::path>>& outputs,
                    const std::vector<std::pair<std::string, fs::path>>& inputs) {
  for (const auto& [out_what, out] : outputs)
    for (const auto& [in_what, in] : inputs)
      if (!out.empty() && !in.empty() && io::overlap(out, in))
        throw UsageError(fmt::format("{} '{}' is, holds or lies inside {} '{}': inputs are never written",
                                     out_what, out.string(), in_what, in.string()));
}

void write_text(AtomicOutput& out, const std::string& text) {
  std::ofstream f(out.temp_path(), std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) io::write_failed(out.target());
  out.commit();
}

// The checkpoint's RAM regions as the HTML report shows them, with the zero pages `tally` counted
// (a region without a backing file is zeros throughout).
std::vector<RamRegionStats> ram_stats(const model::Memory& memory, const io::RamTally& tally) {
  std::vector<RamRegionStats> out;
  for (const auto& r : memory.regions)
    out.push_back({r.gpa, r.size, r.backing ? tally.zero_pages(r.gpa) : r.size / model::page_size});
  return out;
}

}  // namespace

Report::Side side(const Endpoint& e) { return {e.text, e.codec->name, e.codec->coverage}; }

model::Machine load(const Endpoint& in, const ReadOptions& opts, std::string_view side, Report& report) {
  check_read_options(*in.codec, opts, side);
  return in.codec->read(in.path, report, opts);
}

ReportOutputs::ReportOutputs(const ReportFiles& files, bool force) {
  if (!files.json.empty()) json_.emplace(files.json, AtomicOutput::Kind::file, force);
  if (!files.html.empty()) {
    html_.emplace(files.html, AtomicOutput::Kind::file, force);
    tally_.emplace();
  }
}

void ReportOutputs::write(const Report& report, const model::Memory& memory) {
  if (json_) write_text(*json_, report.to_json().dump(2) + "\n");
  if (html_) write_text(*html_, to_html(report, ram_stats(memory, *tally_)));
}

Report convert(const Endpoint& src, const ReadOptions& in_opts, const Endpoint& dst, WriteOptions opts,
               const ReportFiles& reports, const PlatformOptions& platform) {
  check_write_options(*dst.codec, opts);
  const auto target = conversion_target(dst, opts, platform.target);
  const std::vector<std::pair<std::string, fs::path>> outputs = {{"the output", dst.path},
                                                                 {"--report-json", reports.json},
                                                                 {"--report-html", reports.html},
                                                                 {"--output-raw-memory", opts.raw_memory}};
  std::vector<std::pair<std::string, fs::path>> inputs = {{"the input", src.path},
                                                          {"--input-raw-memory", in_opts.raw_memory},
                                                          {"--input-config", in_opts.config},
                                                          {"--skeleton", opts.skeleton},
                                                          {"--target-config", opts.target_config},
                                                          {"--target", platform.target}};
  refuse_overlap(outputs, inputs);
  Report report(side(src), side(dst));
  const model::Machine m = load(src, in_opts, "input", report);
  if (target && target->ram_size && dst.codec->writes_ram)
    io::check_ram_size(*target->ram_size, target->described_by + ": " + target->ram_key, opts.max_ram, dst.path);
  if (target && !platform.force) require_fit(m, *target, in_opts);
  inputs.clear();
  for (const auto& r : m.memory.regions)
    if (r.backing) inputs.emplace_back("the RAM file", r.backing->path);
  refuse_overlap(outputs, inputs);
  // Every output is claimed before any is written (a report that cannot be created fails the
  // conversion before anything is written), and they appear together once all are complete.
  OutputTransaction outputs_together;
  ReportOutputs report_files(reports, opts.force);
  {
    io::Progress progress("writing guest RAM", m.platform.ram_size);
    dst.codec->write(m, dst.path, opts, report);
  }
  report_files.write(report, m.memory);
  outputs_together.commit();
  return report;
}

}  // namespace cptx
