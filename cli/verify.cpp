#include "cli/verify.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "cli/convert.hpp"
#include "cli/options.hpp"
#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/ram_diff.hpp"

namespace cptx {

namespace fs = std::filesystem;

namespace {

bool takes(std::span<const std::string_view> options, std::string_view name) {
  return std::find(options.begin(), options.end(), name) != options.end();
}

// A hop's own read-back found this field changed with no declaration: the hop's finding about it
// must not count as one.
bool undeclared_by(const Report& hop, std::string_view path) {
  return std::any_of(hop.changes().begin(), hop.changes().end(),
                     [&](const Report::Change& c) { return c.carry == Carry::exact && c.path == path; });
}

std::vector<const Codec*> parse_via(const std::string& list) {
  std::vector<const Codec*> via;
  for (std::size_t at = 0; at <= list.size();) {
    const std::size_t comma = std::min(list.find(',', at), list.size());
    const std::string name = list.substr(at, comma - at);
    const Codec* c = find_codec(name);
    if (!c) throw UsageError(fmt::format("--via: '{}' is not a format (use all, or a list of formats)", name));
    via.push_back(c);
    at = comma + 1;
  }
  return via;
}

// Every field a hop changed, with its value at each stop: until a hop changes it, the value its first
// change started from.
std::vector<RoundTrip::Field> fields_changed(const std::vector<Report>& hops, const std::vector<std::string>& route) {
  std::vector<RoundTrip::Field> out;
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t k = 0; k < hops.size(); ++k)
    for (const Report::Change& c : hops[k].changes()) {
      const auto [at, first] = index.try_emplace(c.path, out.size());
      if (first) out.push_back({c.path, std::vector<std::string>(hops.size() + 1, c.source), c.carry, {}});
      RoundTrip::Field& f = out[at->second];
      std::fill(f.values.begin() + static_cast<std::ptrdiff_t>(k) + 1, f.values.end(), c.target);
      const std::string why = fmt::format("{} -> {}: {}", route[k], route[k + 1], c.note);
      if (c.carry == Carry::exact) {
        f.carry = Carry::exact;
        f.note = why;
      } else if (first || (f.carry != Carry::exact && c.carry > f.carry)) {
        f.carry = c.carry;
        f.note = why;
      }
    }
  return out;
}

bool undeclared(const Report::Change& c) { return c.carry == Carry::exact; }
bool undeclared(const RoundTrip::Field& f) { return f.carry == Carry::exact; }

}  // namespace

bool RoundTrip::holds() const {
  return ram.empty() && std::none_of(changes.begin(), changes.end(), [](const auto& c) { return undeclared(c); }) &&
         std::none_of(fields.begin(), fields.end(), [](const auto& f) { return undeclared(f); });
}

RoundTrip round_trip(const Endpoint& src, std::span<const Codec* const> via, const VerifyOptions& opts) {
  RoundTrip trip;
  // Never committed: a temporary directory for the hops, removed on return and on error (on a signal,
  // its files, not the hops' directories: the signal handler removes flat outputs only).
  const AtomicOutput scratch(fs::temp_directory_path() / "cptx-verify", AtomicOutput::Kind::directory, true);
  std::vector<const Codec*> route = {src.codec};
  route.insert(route.end(), via.begin(), via.end());
  route.push_back(src.codec);
  Endpoint at = src;
  ReadOptions read = opts.input;
  for (std::size_t k = 1; k < route.size(); ++k) {
    const Codec& to = *route[k];
    const fs::path out = scratch.temp_path() / fmt::format("{}-{}", k, to.name);
    const Endpoint next{&to, out, fmt::format("{}:{}", to.name, out.string())};
    WriteOptions write;
    if (takes(to.options, "--target-config")) write.target_config = opts.target_config;
    if (takes(to.options, "--store")) write.store = opts.store;
    trip.hops.push_back(convert(at, read, next, write));
    read = {};
    if (takes(to.read_options, "config")) read.config = opts.target_config;
    at = next;
  }
  for (const Codec* c : route) trip.route.emplace_back(c->name);
  trip.fields = fields_changed(trip.hops, trip.route);

  Report scratch_report;
  const model::Machine before = load(src, opts.input, "input", scratch_report);
  const model::Machine after = load(at, read, "input", scratch_report);
  for (auto& d : state_diff(before, after)) {
    if (d.provenance) continue;  // where each copy came from differs by design, as `cptx diff` holds
    Report::Change c{std::move(d.path), std::move(d.a), std::move(d.b), Carry::exact, {}};
    const bool undeclared = std::any_of(trip.hops.begin(), trip.hops.end(),
                                        [&](const Report& hop) { return undeclared_by(hop, c.path); });
    // The worst a hop declares, and why, from the first hop that declares it.
    for (std::size_t k = 0; k < trip.hops.size() && !undeclared; ++k) {
      const Carry carry = trip.hops[k].carry_of(c.path);
      if (carry <= c.carry) continue;
      c.carry = carry;
      c.note = fmt::format("{} -> {}: {}", trip.route[k], trip.route[k + 1], trip.hops[k].note_of(c.path));
    }
    trip.changes.push_back(std::move(c));
  }
  trip.ram = diff_ram(before.memory, after.memory);
  return trip;
}

std::string verify_text(const RoundTrip& trip) {
  std::string route;
  for (const auto& f : trip.route) route += (route.empty() ? "" : " -> ") + f;
  // The fields the hops changed, and any change the end comparison found that no hop reported.
  std::vector<RoundTrip::Field> shown = trip.fields;
  for (const auto& c : trip.changes)
    if (std::none_of(shown.begin(), shown.end(), [&](const auto& f) { return f.path == c.path; }))
      shown.push_back({c.path, {c.source, c.target}, c.carry, c.note});
  std::stable_partition(shown.begin(), shown.end(), [](const auto& f) { return !f.came_back(); });
  const auto undeclared_count = std::count_if(shown.begin(), shown.end(), [](const auto& f) { return undeclared(f); });
  const auto gone = std::count_if(shown.begin(), shown.end(), [](const auto& f) { return !f.came_back(); });
  std::string s = fmt::format("{}: {} field{} changed on the way, {} did not come back, {} undeclared{}\n", route,
                              shown.size(), shown.size() == 1 ? "" : "s", gone, undeclared_count,
                              trip.ram.empty() ? "" : ", and RAM differs");
  auto line = [&](const RoundTrip::Field& f, std::string_view status, std::string_view why) {
    std::string values;
    for (const auto& v : f.values) values += (values.empty() ? "" : " -> ") + std::string(shown_value(v));
    s += fmt::format("  {:<12} {}: {}  ({}){}\n", status, f.path, values, why, f.came_back() ? ", came back" : "");
  };
  for (const auto& f : shown)
    if (undeclared(f)) line(f, "UNDECLARED", "no conversion of the route declares it: a bug in cptx");
  for (const auto& ram : trip.ram) s += fmt::format("  {:<12} {}\n", "UNDECLARED", ram);
  for (const auto& f : shown)
    if (!undeclared(f)) line(f, carry_name(f.carry), f.note);
  return s;
}

model::Json verify_json(const RoundTrip& trip) {
  auto status = [](Carry c) { return std::string(c == Carry::exact ? "undeclared" : carry_name(c)); };
  model::Json fields = model::Json::array();
  for (const auto& f : trip.fields)
    fields.push_back(
        {{"path", f.path}, {"values", f.values}, {"carry", status(f.carry)}, {"note", f.note}, {"came_back", f.came_back()}});
  model::Json changes = model::Json::array();
  for (const auto& c : trip.changes)
    changes.push_back(
        {{"path", c.path}, {"source", c.source}, {"target", c.target}, {"carry", status(c.carry)}, {"note", c.note}});
  return {{"route", trip.route}, {"holds", trip.holds()}, {"fields", fields}, {"changes", changes}, {"ram", trip.ram}};
}

void add_verify_command(CLI::App& app, int& status) {
  struct Args {
    std::string src, via;
    bool json = false;
    VerifyOptions opts;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "verify", "Take a checkpoint through other formats and back, and name what did not survive (exit 1 if a "
                "change no format declares)");
  cmd->add_option("checkpoint", args->src, "FORMAT:PATH")->required();
  cmd->add_option("--via", args->via,
                  "the formats to go through, in order, before the checkpoint's own again (a comma-separated list), "
                  "or all: one round trip through each format in turn")
      ->required()
      ->type_name("FORMAT[,FORMAT...]");
  cmd->add_option("--target-config", args->opts.target_config,
                  "the machine's configuration, for the hops to a format that takes one (palacios: the VM XML)")
      ->type_name("FILE");
  cmd->add_option("--store", args->opts.store,
                  "storage variant, for the hops to a format that has them (palacios: textfile or file)");
  cmd->add_flag("--json", args->json, "print the round trips as JSON instead");
  add_read_options(cmd, args->opts.input, "input", "the input");
  cmd->footer(
      "A field a hop's formats or findings declare (transformed, approximated, defaulted, not carried) is what "
      "those formats cannot hold. A change none declares, or RAM whose bytes differ, is a bug in cptx.");
  cmd->callback([args, &status] {
    const Endpoint src = parse_input(args->src);
    std::vector<std::vector<const Codec*>> trips;
    if (args->via == "all")
      for (const Codec* c : all_codecs()) trips.push_back({c});
    else
      trips.push_back(parse_via(args->via));
    model::Json all = model::Json::array();
    bool holds = true;
    for (const auto& via : trips) {
      const RoundTrip trip = round_trip(src, via, args->opts);
      holds = holds && trip.holds();
      if (args->json)
        all.push_back(verify_json(trip));
      else
        std::cout << verify_text(trip) << std::flush;
    }
    if (args->json) std::cout << model::Json{{"source", src.text}, {"round_trips", all}}.dump(2) << '\n';
    status = holds ? 0 : 1;
  });
}

}  // namespace cptx
