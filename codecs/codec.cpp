#include "codecs/codec.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/io/ram_limit.hpp"
#include "reports/report.hpp"

namespace cptx {

namespace fs = std::filesystem;

namespace {

std::string rate_text(std::uint64_t hz) {
  for (const auto& [unit, scale] : {std::pair{"GHz", 1e9}, {"MHz", 1e6}, {"kHz", 1e3}})
    if (static_cast<double>(hz) >= scale) return fmt::format("{:.6g} {}", static_cast<double>(hz) / scale, unit);
  return fmt::format("{} Hz", hz);
}

void note_clock_rate(std::string_view path, std::string_view clock, std::uint64_t was, const ClockRate& now,
                     std::string_view target, Report& report) {
  if (was == 0 || now.kind == ClockRate::Kind::machines || (now.kind == ClockRate::Kind::fixed && now.hz == was))
    return;
  const std::string where = now.kind == ClockRate::Kind::host
                                ? fmt::format("at its host's rate in {}", target)
                                : fmt::format("at {} in {}: {:.4g} times the rate", rate_text(now.hz), target,
                                              static_cast<double>(now.hz) / static_cast<double>(was));
  report.note(std::string(path), Carry::approximated,
              fmt::format("the {} ran at {} where the checkpoint was taken and runs {}; a guest that measured it "
                          "there (Linux does, at boot) misjudges the time it keeps with it",
                          clock, rate_text(was), where));
}

}  // namespace

model::Machine Codec::read(const fs::path& p, Report& report, const ReadOptions& opts) const {
  io::require_file_or_directory(p);
  if (!opts.raw_memory.empty()) io::require_regular_file(opts.raw_memory);
  if (!opts.config.empty()) io::require_regular_file(opts.config);
  return reader(p, opts, report);
}

void Codec::write(const model::Machine& m, const fs::path& p, const WriteOptions& opts, Report& report) const {
  if (!opts.skeleton.empty()) io::require_file_or_directory(opts.skeleton);
  if (!opts.target_config.empty()) io::require_regular_file(opts.target_config);
  if (writes_ram) {
    std::uint64_t ram_end = 0;
    for (const auto& r : m.memory.regions)
      ram_end = std::max(ram_end, r.size > ~r.gpa ? ~std::uint64_t{0} : r.gpa + r.size);
    io::check_ram_size(ram_end, "the machine's RAM", opts.max_ram, p);
  }
  writer(m, p, opts, report);
  note_clock_rate("platform.time.tsc_hz", "time-stamp counter", m.platform.time.tsc_hz, clocks.tsc, name, report);
  note_clock_rate("platform.time.lapic_timer_hz", "local APIC timer's clock", m.platform.time.lapic_timer_hz,
                  clocks.lapic_timer, name, report);
  // What the target holds is what its output reads back as: every field it holds differently is a
  // finding about this checkpoint, and one no codec declares is a bug.
  Report scratch;
  ReadOptions back_opts;
  back_opts.state_only = true;
  const auto undeclared = report.compare(m, reader(OutputTransaction::where(p), back_opts, scratch), coverage);
  if (!undeclared.empty() && undeclared_changes_fatal()) {
    std::string what;
    for (const auto& c : undeclared) what += fmt::format("\n  {}: {} -> {}", c.path, c.source, c.target);
    throw std::logic_error(fmt::format("{} output changes fields no codec declares:{}", name, what));
  }
}

bool undeclared_changes_fatal() {
  const char* v = std::getenv("CPTX_UNDECLARED_CHANGES");
  return v && std::string_view(v) == "fatal";
}

void check_write_options(const Codec& codec, const WriteOptions& opts) {
  const std::pair<std::string_view, bool> given[] = {
      {"--store", !opts.store.empty()},
      {"--skeleton", !opts.skeleton.empty()},
      {"--target-config", !opts.target_config.empty()},
      {"--output-raw-memory", !opts.raw_memory.empty()},
      {"--jobs", opts.jobs != 0},
      {"--level", opts.level != -1},
  };
  for (const auto& [flag, set] : given)
    if (set && std::find(codec.options.begin(), codec.options.end(), flag) == codec.options.end())
      throw UsageError(fmt::format("{} does not apply to {} output", flag, codec.name));
}

void check_read_options(const Codec& codec, const ReadOptions& opts, std::string_view side) {
  const std::pair<std::string_view, bool> given[] = {
      {"raw-memory", !opts.raw_memory.empty()},
      {"config", !opts.config.empty()},
  };
  for (const auto& [name, set] : given)
    if (set && std::find(codec.read_options.begin(), codec.read_options.end(), name) == codec.read_options.end())
      throw UsageError(fmt::format("--{}-{} does not apply to {} input", side, name, codec.name));
}

}  // namespace cptx
