#include "codecs/gem5/lookup.hpp"

#include <fmt/format.h>

namespace cptx::gem5 {

Location CptReader::where(std::string_view section, std::string_view key, std::uint64_t line) const {
  Location loc{cpt_.source, std::nullopt, std::nullopt, fmt::format("{}:{}", section, key)};
  if (line) loc.line = line;
  return loc;
}

const Entry* CptReader::optional(std::string_view section, std::string_view key) const {
  const Section* s = cpt_.find(section);
  return s ? s->find(key) : nullptr;
}

const Entry& CptReader::required(std::string_view section, std::string_view key) const {
  const Section* s = cpt_.find(section);
  if (!s) throw InputError(where(section, key), fmt::format("missing required key: no section [{}]", section));
  const Entry* e = s->find(key);
  if (!e) throw InputError(where(section, key, s->line()), fmt::format("missing required key in [{}]", section));
  return *e;
}

bool CptReader::boolean(std::string_view section, std::string_view key) const {
  const Entry& e = required(section, key);
  return decode_bool(e.value, where(section, key, e.line));
}

std::optional<bool> CptReader::opt_boolean(std::string_view section, std::string_view key) const {
  const Entry* e = optional(section, key);
  if (!e) return std::nullopt;
  return decode_bool(e->value, where(section, key, e->line));
}

std::vector<bool> CptReader::bool_array(std::string_view section, std::string_view key,
                                        std::optional<std::size_t> expected) const {
  const Entry& e = required(section, key);
  return decode_bool_array(e.value, where(section, key, e.line), expected);
}

}  // namespace cptx::gem5
