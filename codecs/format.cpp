#include "codecs/format.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/io/ram_limit.hpp"
#include "codecs/gem5/codec.hpp"
#include "codecs/json/json_codec.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/qemu/qemu_codec.hpp"
#include "reports/report.hpp"

namespace cptx {

namespace fs = std::filesystem;

namespace {

constexpr std::array<const Codec*, 5> codecs = {&json_codec, &palacios_codec, &gem5_codec, &gem5_2011_codec,
                                                &qemu_codec};

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
  report.note(std::string(path), Carry::approximate,
              fmt::format("the {} ran at {} where the checkpoint was taken and runs {}; a guest that measured it "
                          "there (Linux does, at boot) misjudges the time it keeps with it",
                          clock, rate_text(was), where));
}

std::pair<const Codec*, std::string_view> split_prefix(std::string_view arg) {
  const auto colon = arg.find(':');
  if (colon != std::string_view::npos)
    if (const Codec* c = find_codec(arg.substr(0, colon))) return {c, arg.substr(colon + 1)};
  return {nullptr, arg};
}

std::string known_formats() {
  std::string s;
  for (const Codec* c : codecs) s += (s.empty() ? "" : ", ") + std::string(c->name);
  return s;
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
  // Model JSON refers to RAM where it is; every other format writes it out.
  if (this != &json_codec) {
    std::uint64_t ram_end = 0;
    for (const auto& r : m.memory.regions)
      ram_end = std::max(ram_end, r.size > ~r.gpa ? ~std::uint64_t{0} : r.gpa + r.size);
    io::check_ram_size(ram_end, "the machine's RAM", opts.max_ram, p);
  }
  writer(m, p, opts, report);
  note_clock_rate("platform.time.tsc_hz", "time-stamp counter", m.platform.time.tsc_hz, clocks.tsc, name, report);
  note_clock_rate("platform.time.lapic_timer_hz", "local APIC timer's clock", m.platform.time.lapic_timer_hz,
                  clocks.lapic_timer, name, report);
}

std::span<const Codec* const> all_codecs() { return codecs; }

void check_write_options(const Codec& codec, const WriteOptions& opts) {
  const std::pair<std::string_view, bool> given[] = {
      {"--store", !opts.store.empty()},
      {"--skeleton", !opts.skeleton.empty()},
      {"--target-config", !opts.target_config.empty()},
      {"--output-raw-memory", !opts.raw_memory.empty()},
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

const Codec* find_codec(std::string_view name) {
  for (const Codec* c : codecs)
    if (c->name == name) return c;
  return nullptr;
}

Endpoint parse_input(std::string_view arg) {
  auto [codec, path] = split_prefix(arg);
  if (path.empty()) throw UsageError(fmt::format("'{}': no path after the format", arg));
  if (!codec) {
    io::require_file_or_directory(path);  // detection opens it
    for (const Codec* c : codecs)
      if (c->detect(path)) codec = c;
    if (!codec)
      throw UsageError(fmt::format("'{}': cannot tell its format; name it as FORMAT:PATH with FORMAT one of {}", arg,
                                   known_formats()));
  }
  return {codec, std::filesystem::path(path), std::string(arg)};
}

Endpoint parse_output(std::string_view arg) {
  auto [codec, path] = split_prefix(arg);
  if (path.empty()) throw UsageError(fmt::format("'{}': no path after the format", arg));
  if (!codec && std::filesystem::path(path).extension() == ".json") codec = &json_codec;
  if (!codec)
    throw UsageError(fmt::format("'{}': name the output format as FORMAT:PATH with FORMAT one of {}", arg,
                                 known_formats()));
  return {codec, std::filesystem::path(path), std::string(arg)};
}

}  // namespace cptx
