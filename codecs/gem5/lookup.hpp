// Typed key lookups on a parsed `m5.cpt`, mirroring gem5's paramIn (mandatory: a missing key is an
// error) and optParamIn (optional) (v24 spec §5). Errors carry the file, the entry's line and
// `section:key`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/gem5/cpt_file.hpp"
#include "codecs/gem5/values.hpp"

namespace cptx::gem5 {

class CptReader {
 public:
  CptReader(const CptFile& cpt, Era era) : cpt_(cpt), era_(era) {}

  const CptFile& file() const { return cpt_; }
  Era era() const { return era_; }

  const Entry* optional(std::string_view section, std::string_view key) const;
  // Throws InputError naming section:key when the section or the key is missing.
  const Entry& required(std::string_view section, std::string_view key) const;
  Location where(std::string_view section, std::string_view key, std::uint64_t line = 0) const;

  const std::string& string(std::string_view section, std::string_view key) const {
    return required(section, key).value;
  }

  template <Integer T>
  T integer(std::string_view section, std::string_view key) const {
    const Entry& e = required(section, key);
    return decode_int<T>(e.value, era_, where(section, key, e.line));
  }
  template <Integer T>
  std::optional<T> opt_integer(std::string_view section, std::string_view key) const {
    const Entry* e = optional(section, key);
    if (!e) return std::nullopt;
    return decode_int<T>(e->value, era_, where(section, key, e->line));
  }

  bool boolean(std::string_view section, std::string_view key) const;
  std::optional<bool> opt_boolean(std::string_view section, std::string_view key) const;

  // Fixed-size arrays (`expected` elements) and variable-length containers (std::nullopt).
  template <Integer T>
  std::vector<T> int_array(std::string_view section, std::string_view key, std::optional<std::size_t> expected) const {
    const Entry& e = required(section, key);
    return decode_int_array<T>(e.value, era_, where(section, key, e.line), expected);
  }
  std::vector<bool> bool_array(std::string_view section, std::string_view key,
                               std::optional<std::size_t> expected) const;

 private:
  const CptFile& cpt_;
  Era era_;
};

}  // namespace cptx::gem5
