// Hexadecimal digits, shared by the model's JSON (byte strings) and the text formats of the codecs
// (Palacios textfile values, gem5 integers, hex-coded RAM).
#pragma once

#include <array>
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

// Tables for RAM, gigabytes of it: hex_digit_value by character (0xff for anything but a digit), and
// each byte's two lowercase digits.
inline constexpr std::array<std::uint8_t, 256> hex_digit_values = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = static_cast<std::uint8_t>(hex_digit_value(c) < 0 ? 0xff : hex_digit_value(c));
  return t;
}();
inline constexpr std::array<std::array<char, 2>, 256> hex_byte_digits = [] {
  std::array<std::array<char, 2>, 256> t{};
  for (int b = 0; b < 256; ++b) t[b] = {lower_hex_digits[b >> 4], lower_hex_digits[b & 0xf]};
  return t;
}();

// Decodes the digit pairs at the start of `text` into `out` until a character that is not a digit,
// an odd digit at the end, or a full `out`; returns the bytes written (twice as many digits used).
// What stopped it is the caller's to handle.
std::size_t hex_decode_pairs(std::span<const std::uint8_t> text, std::span<std::uint8_t> out);

// Two lowercase digits per byte, in memory order.
std::string hex_encode(std::span<const std::uint8_t> bytes);
// An even number of digits of either case; nullopt for anything else.
std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text);

}  // namespace cptx
