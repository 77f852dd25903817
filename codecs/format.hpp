// The checkpoint formats cptx knows, each a codec with a declared coverage of the model.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "model/machine.hpp"
#include "reports/coverage.hpp"

namespace cptx {

class Report;

// What the user said about the output. A codec names the options it takes in Codec::options; the
// others must be left unset (the command line refuses them).
struct WriteOptions {
  bool force = false;                          // replace an existing output
  std::string store;                           // --store: a storage variant (Palacios: textfile, file)
  std::filesystem::path skeleton;              // --skeleton: a checkpoint of the target to merge into
  std::filesystem::path target_config;         // --target-config: the target machine's configuration
};

struct Codec {
  std::string_view name;     // the FORMAT of FORMAT:PATH
  std::string_view summary;  // one line for --help
  std::span<const CoverageRule> coverage;
  std::span<const std::string_view> options;  // the WriteOptions flags it takes: "--store", ...
  bool (*detect)(const std::filesystem::path& p);
  model::Machine (*read)(const std::filesystem::path& p, Report& report);
  void (*write)(const model::Machine& m, const std::filesystem::path& p, const WriteOptions& opts, Report& report);
};

// Throws UsageError if `opts` sets an option `codec` does not take.
void check_write_options(const Codec& codec, const WriteOptions& opts);

// Every format cptx reads and writes.
std::span<const Codec* const> all_codecs();
const Codec* find_codec(std::string_view name);

struct Endpoint {
  const Codec* codec;
  std::filesystem::path path;
  std::string text;  // as the user wrote it, for messages
};

// Parses FORMAT:PATH. On input the format may be omitted and is then detected.
Endpoint parse_input(std::string_view arg);
Endpoint parse_output(std::string_view arg);

}  // namespace cptx
