#include "model/hex.hpp"

#include <algorithm>

namespace cptx {

std::size_t hex_decode_pairs(std::span<const std::uint8_t> text, std::span<std::uint8_t> out) {
  const std::size_t pairs = std::min(text.size() / 2, out.size());
  for (std::size_t i = 0; i < pairs; ++i) {
    const std::uint8_t hi = hex_digit_values[text[2 * i]], lo = hex_digit_values[text[2 * i + 1]];
    if ((hi | lo) > 0xf) return i;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return pairs;
}

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  std::string s(2 * bytes.size(), '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    s[2 * i] = lower_hex_digits[bytes[i] >> 4];
    s[2 * i + 1] = lower_hex_digits[bytes[i] & 0xf];
  }
  return s;
}

std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  std::vector<std::uint8_t> out(text.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit_value(text[2 * i]), lo = hex_digit_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

}  // namespace cptx
