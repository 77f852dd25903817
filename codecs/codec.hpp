// What a checkpoint format's codec is: how it is detected, read and written, which options it takes,
// what it carries of the model. The registry of the codecs cptx has is codecs/registry.hpp.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "model/machine.hpp"
#include "reports/coverage.hpp"

namespace cptx {

class Report;

// What the user said about an input. A codec names the options it takes in Codec::read_options; the
// others must be left unset (the command line refuses them).
struct ReadOptions {
  // A raw dump of guest RAM from GPA 0 to take RAM from (Palacios: a checkpoint saved without memory).
  std::filesystem::path raw_memory;
  // The configuration of the machine that saved the input, to check the input against (Palacios: the
  // VM XML, whose <memory> a raw dump must cover).
  std::filesystem::path config;
  // The caller needs the machine state only (info, diff --no-memory): a checkpoint whose RAM is kept
  // elsewhere is read without RAM instead of refused.
  bool state_only = false;
};

// What the user said about the output. A codec names the options it takes in Codec::options; the
// others must be left unset (the command line refuses them).
struct WriteOptions {
  bool force = false;                          // replace an existing output
  std::string store;                           // --store: a storage variant (Palacios: textfile, file)
  std::filesystem::path skeleton;              // --skeleton: a checkpoint of the target to merge into
  std::filesystem::path target_config;         // --target-config: the target machine's configuration
  std::filesystem::path raw_memory;            // --output-raw-memory: write RAM to this raw dump instead
  std::uint64_t max_ram = 0;                   // --max-ram: the most RAM to write; 0 = io::ram_limit's default
  unsigned jobs = 0;                           // --jobs: threads compressing RAM; 0 = one per processor
  int level = -1;                              // --level: gzip level 1-9; -1 = zlib's default, 6
};

// How a system runs one of the guest's clocks: at a rate of its own, at its host's, or at the rate
// the machine it is given names (the format records that rate).
struct ClockRate {
  enum class Kind : std::uint8_t { machines, host, fixed } kind = Kind::machines;
  std::uint64_t hz = 0;  // for `fixed`
};
struct GuestClocks {
  ClockRate tsc, lapic_timer;
};

struct Codec {
  std::string_view name;     // the FORMAT of FORMAT:PATH
  std::string_view summary;  // one line for --help
  std::span<const CoverageRule> coverage;
  std::span<const std::string_view> options;  // the WriteOptions flags it takes: "--store", ...
  bool (*detect)(const std::filesystem::path& p);
  model::Machine (*reader)(const std::filesystem::path& p, const ReadOptions& opts, Report& report);
  void (*writer)(const model::Machine& m, const std::filesystem::path& p, const WriteOptions& opts, Report& report);
  // The ReadOptions it takes, named as the flags of an input without their side: "raw-memory" is
  // --input-raw-memory (--a-raw-memory, --b-raw-memory for diff), "config" --input-config.
  std::span<const std::string_view> read_options = {};
  GuestClocks clocks = {};
  // Whether its output holds the RAM (model JSON refers to RAM where it is; the others write it out,
  // so the RAM's size is checked against --max-ram first).
  bool writes_ram = true;

  // Reads `p`, after refusing a `p` or an option file that is not a regular file or directory.
  model::Machine read(const std::filesystem::path& p, Report& report, const ReadOptions& opts = {}) const;
  // Writes `m` and reports, besides what the codec itself says, every clock of the guest that will
  // run at another rate than where `m` was taken (a guest calibrates its timers once, at boot), and
  // every field the output holds differently from `m`, found by reading the output back
  // (Report::compare).
  void write(const model::Machine& m, const std::filesystem::path& p, const WriteOptions& opts,
             Report& report) const;
};

// Whether an output that reads back with a change no codec declares is an error (std::logic_error)
// rather than a finding: set CPTX_UNDECLARED_CHANGES=fatal in the environment (the tests do).
bool undeclared_changes_fatal();

// Throws UsageError if `opts` sets an option `codec` does not take.
void check_write_options(const Codec& codec, const WriteOptions& opts);
// Likewise for an input; `side` is the flags' prefix on the command line: "input", "a" or "b".
void check_read_options(const Codec& codec, const ReadOptions& opts, std::string_view side);

}  // namespace cptx
