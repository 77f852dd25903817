// Integer syntax accepted by the two readers:
//
// * v24 (v24 spec §1.3): std::stoll / std::stoull with base 0, so decimal, `0x`/`0X` hex and a
//   leading `0` meaning octal (`010` is 8), an optional `+` or `-`, and any value containing the
//   letter `e` rejected (this also rejects hex digits written as lower-case `e`, e.g. `0xe0`). As with
//   stoull, a `-` on an unsigned type negates modulo 2^64, so `-1` is 2^64-1 for a uint64 and out of
//   range for anything narrower.
// * 2011 (2011 spec §1.2): the C-style to_number: decimal, `0x` hex, leading `0` octal; a `-` only for
//   signed types. The spec is silent on `+`, so it is refused.
//
// Both: the result is range-checked against the target type. Deliberately stricter than gem5: the
// whole value must be the number (stoll stops at the first bad character, so gem5 reads `08` as 0 and
// `12abc` as 12; here both are errors, since gem5 never writes them and they indicate damage).
#include "codecs/gem5/values.hpp"

#include <fmt/format.h>

#include "model/hex.hpp"

namespace cptx::gem5 {

namespace {

struct Magnitude {
  bool negative = false;
  std::uint64_t value = 0;
};

[[noreturn]] void bad_int(std::string_view text, const Location& where, const std::string& why) {
  throw InputError(where, fmt::format("invalid integer \"{}\": {}", text, why));
}

Magnitude parse_magnitude(std::string_view text, Era era, bool is_signed, const Location& where) {
  std::string_view s = text;
  if (s.empty()) bad_int(text, where, "empty value");
  if (era == Era::v24 && s.find('e') != std::string_view::npos)
    bad_int(text, where, "contains 'e' (gem5 v24 rejects it)");
  Magnitude m;
  if (s.front() == '-' || (s.front() == '+' && era == Era::v24)) {
    m.negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (m.negative && era == Era::v2011 && !is_signed) bad_int(text, where, "negative value for an unsigned key");
  unsigned base = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() >= 2 && s[0] == '0') {
    base = 8;  // a leading 0 means octal in both eras
    s.remove_prefix(1);
  }
  if (s.empty()) bad_int(text, where, "no digits");
  for (char c : s) {
    const int d = hex_digit_value(c);
    if (d < 0 || d >= static_cast<int>(base)) bad_int(text, where, fmt::format("'{}' is not a base-{} digit", c, base));
    const auto du = static_cast<std::uint64_t>(d);
    if (m.value > (UINT64_MAX - du) / base) bad_int(text, where, "does not fit in 64 bits");
    m.value = m.value * base + du;
  }
  return m;
}

}  // namespace

std::int64_t decode_signed(std::string_view text, Era era, const Location& where, std::int64_t min,
                           std::int64_t max) {
  const Magnitude m = parse_magnitude(text, era, true, where);
  constexpr std::uint64_t kMaxNegative = std::uint64_t{1} << 63;
  if (m.value > (m.negative ? kMaxNegative : static_cast<std::uint64_t>(INT64_MAX)))
    bad_int(text, where, fmt::format("out of range [{}, {}]", min, max));
  const std::int64_t v =
      m.negative ? static_cast<std::int64_t>(std::uint64_t{0} - m.value) : static_cast<std::int64_t>(m.value);
  if (v < min || v > max) bad_int(text, where, fmt::format("out of range [{}, {}]", min, max));
  return v;
}

std::uint64_t decode_unsigned(std::string_view text, Era era, const Location& where, std::uint64_t max) {
  const Magnitude m = parse_magnitude(text, era, false, where);
  const std::uint64_t v = m.negative ? std::uint64_t{0} - m.value : m.value;  // stoull wraps a '-'
  if (v > max) bad_int(text, where, fmt::format("out of range [0, {}]", max));
  return v;
}

// Both eras compare case-insensitively with `true`/`false`; `1`/`0` are refused (v24 spec §1.3).
bool decode_bool(std::string_view text, const Location& where) {
  auto equals = [&](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
      if ((text[i] | 0x20) != word[i]) return false;
    return true;
  };
  if (equals("true")) return true;
  if (equals("false")) return false;
  throw InputError(where, fmt::format("invalid boolean \"{}\": expected true or false", text));
}

std::string encode_bool(bool value) { return value ? "true" : "false"; }

std::vector<std::string_view> split_array(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

void check_array_length(std::size_t got, std::optional<std::size_t> expected, const Location& where) {
  if (expected && got != *expected)
    throw InputError(where, fmt::format("array has {} elements, expected {}", got, *expected));
}

std::vector<bool> decode_bool_array(std::string_view text, const Location& where, std::optional<std::size_t> expected) {
  return decode_array<bool>(text, where, expected, decode_bool);
}

std::string encode_bool_array(const std::vector<bool>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ' ';
    out += encode_bool(values[i]);
  }
  return out;
}

}  // namespace cptx::gem5
