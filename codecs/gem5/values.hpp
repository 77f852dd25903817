// Typed values of `m5.cpt` entries (v24 spec §1.3, 2011 spec §1.2). Encoders write what gem5 writes
// (decimal integers, `true`/`false`, single-space separated arrays); decoders accept what gem5's
// reader of the given era accepts, with the exceptions documented in values.cpp.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/io/error.hpp"

namespace cptx::gem5 {

// The two reader generations differ in how they parse integers (see values.cpp).
enum class Era { v2011, v24 };

using Tick = std::uint64_t;  // v24 spec §6

template <class T>
concept Integer = std::integral<T> && !std::same_as<T, bool>;

std::int64_t decode_signed(std::string_view text, Era era, const Location& where, std::int64_t min,
                           std::int64_t max);
std::uint64_t decode_unsigned(std::string_view text, Era era, const Location& where, std::uint64_t max);

// Throws InputError at `where` when `text` is not an integer of type T.
template <Integer T>
T decode_int(std::string_view text, Era era, const Location& where) {
  if constexpr (std::is_signed_v<T>)
    return static_cast<T>(decode_signed(text, era, where, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  else
    return static_cast<T>(decode_unsigned(text, era, where, std::numeric_limits<T>::max()));
}

// Decimal; char-sized types as numbers, never characters (v24 spec §1.3).
template <Integer T>
std::string encode_int(T value) {
  if constexpr (std::is_signed_v<T>)
    return std::to_string(static_cast<long long>(value));
  else
    return std::to_string(static_cast<unsigned long long>(value));
}

bool decode_bool(std::string_view text, const Location& where);
std::string encode_bool(bool value);

// Array elements are separated by runs of spaces; leading and trailing spaces are ignored, and an
// empty value is an empty array (v24 spec §1.3).
std::vector<std::string_view> split_array(std::string_view text);

// `expected`: the element count of a fixed-size array (a different count is an InputError naming both
// counts); std::nullopt for containers of any length.
void check_array_length(std::size_t got, std::optional<std::size_t> expected, const Location& where);

// The elements of an array, each decoded by `element` at its own location (`key[i]`).
template <class T, class Decode>
std::vector<T> decode_array(std::string_view text, const Location& where, std::optional<std::size_t> expected,
                            Decode element) {
  const auto tokens = split_array(text);
  check_array_length(tokens.size(), expected, where);
  std::vector<T> out;
  out.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    Location elem = where;
    elem.key += "[" + std::to_string(i) + "]";
    out.push_back(element(tokens[i], elem));
  }
  return out;
}

template <Integer T>
std::vector<T> decode_int_array(std::string_view text, Era era, const Location& where,
                                std::optional<std::size_t> expected) {
  return decode_array<T>(text, where, expected,
                         [era](std::string_view token, const Location& at) { return decode_int<T>(token, era, at); });
}

std::vector<bool> decode_bool_array(std::string_view text, const Location& where, std::optional<std::size_t> expected);

template <Integer T>
std::string encode_int_array(std::span<const T> values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ' ';
    out += encode_int(values[i]);
  }
  return out;
}

std::string encode_bool_array(const std::vector<bool>& values);

}  // namespace cptx::gem5
