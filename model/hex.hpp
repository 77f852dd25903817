// Hexadecimal digits, shared by the model's JSON (byte strings) and the text formats of the codecs
// (Palacios textfile values, gem5 integers, hex-coded RAM).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cptx {

// The value of a hex digit of either case, or -1 for any other character.
constexpr int hex_digit_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline constexpr char lower_hex_digits[] = "0123456789abcdef";

// Two lowercase digits per byte, in memory order.
std::string hex_encode(std::span<const std::uint8_t> bytes);
// An even number of digits of either case; nullopt for anything else.
std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text);

}  // namespace cptx
