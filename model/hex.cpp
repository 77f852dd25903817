#include "model/hex.hpp"

#include <algorithm>
#include <cstring>

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
  for (std::size_t i = 0; i < bytes.size(); ++i) std::memcpy(&s[2 * i], hex_byte_digits[bytes[i]].data(), 2);
  return s;
}

std::optional<std::vector<std::uint8_t>> hex_decode(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  std::vector<std::uint8_t> out(text.size() / 2);
  const std::span digits(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  if (hex_decode_pairs(digits, out) != out.size()) return std::nullopt;
  return out;
}

}  // namespace cptx
