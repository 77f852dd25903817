#include "cli/options.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "codecs/io/error.hpp"
#include "model/machine.hpp"

namespace cptx {

void add_read_options(CLI::App* cmd, ReadOptions& opts, std::string_view side, std::string_view who) {
  cmd->add_option(fmt::format("--{}-raw-memory", side), opts.raw_memory,
                  fmt::format("a raw dump of {}'s guest RAM from GPA 0, for a checkpoint saved without its memory "
                              "(palacios: saved with option 1; the dump from v3_guest_mem_access ... read 0 SIZE)",
                              who))
      ->type_name("FILE");
  cmd->add_option(fmt::format("--{}-config", side), opts.config,
                  fmt::format("the configuration of the machine that saved {}, to check it against (palacios: the VM "
                              "XML; a raw memory dump must cover its <memory>)",
                              who))
      ->type_name("FILE");
}

std::uint64_t parse_size(const std::string& text, std::string_view what) {
  const auto bad = [&](std::string_view expected) {
    return UsageError(fmt::format("{} '{}': {}", what, text, expected));
  };
  std::size_t used = 0;
  std::uint64_t n = 0;
  try {
    if (text.empty() || text[0] < '0' || text[0] > '9') throw std::invalid_argument("not a number");
    n = std::stoull(text, &used, 10);
  } catch (const std::exception&) {
    throw bad("expected a size such as 128M or 2G");
  }
  const std::string suffix = text.substr(used);
  unsigned shift = 0;
  if (suffix == "K" || suffix == "KiB") shift = 10;
  else if (suffix == "M" || suffix == "MiB") shift = 20;
  else if (suffix == "G" || suffix == "GiB") shift = 30;
  else if (suffix == "T" || suffix == "TiB") shift = 40;
  else if (!suffix.empty()) throw bad("expected a size such as 128M or 2G");
  if (n > (~std::uint64_t{0} >> shift)) throw bad("too large");
  n <<= shift;
  if (n == 0 || n % model::page_size) throw bad("must be a non-zero multiple of 4 KiB");
  return n;
}

std::uint64_t parse_number(const std::string& text, std::string_view what) {
  std::size_t used = 0;
  std::uint64_t v = 0;
  try {
    v = std::stoull(text, &used, 0);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text[0] == '-')
    throw UsageError(fmt::format("{} '{}': expected a number, decimal or 0x… hex", what, text));
  return v;
}

}  // namespace cptx
