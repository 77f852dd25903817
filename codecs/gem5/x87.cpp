// x87 registers as gem5 keeps them, 64-bit doubles: a conversion no key row can express, with its
// coverage row beside it (cover_x87).
#include "codecs/gem5/x87.hpp"

#include <bit>

#include "codecs/gem5/cpu.hpp"

namespace cptx::gem5 {

namespace {

constexpr int f80_bias = 16383, f64_bias = 1023;
constexpr std::uint64_t integer_bit = std::uint64_t{1} << 63;
constexpr std::uint64_t frac52 = (std::uint64_t{1} << 52) - 1;

// value >> shift, rounded to nearest, ties to even; `exact` cleared if bits were dropped.
std::uint64_t shift_round(std::uint64_t value, int shift, bool& exact) {
  if (shift <= 0) return value;
  if (shift > 64) {
    exact = exact && value == 0;
    return 0;
  }
  // Compare the dropped bits with one half of the last kept bit without overflowing 64 bits.
  const std::uint64_t kept = shift == 64 ? 0 : value >> shift;
  const std::uint64_t dropped = shift == 64 ? value : value & ((std::uint64_t{1} << shift) - 1);
  const std::uint64_t half = std::uint64_t{1} << (shift - 1);
  if (dropped) exact = false;
  return kept + ((dropped > half || (dropped == half && (kept & 1))) ? 1 : 0);
}

}  // namespace

model::Float80 widen(std::uint64_t bits) {
  model::Float80 f;
  f.sign = bits >> 63;
  const int exp = static_cast<int>((bits >> 52) & 0x7ff);
  const std::uint64_t frac = bits & frac52;
  if (exp == 0x7ff) {
    f.exponent = 0x7fff;
    f.significand = integer_bit | frac << 11;
  } else if (exp != 0) {
    f.exponent = static_cast<std::uint16_t>(exp - f64_bias + f80_bias);
    f.significand = integer_bit | frac << 11;
  } else if (frac != 0) {  // subnormal double: a normal extended value
    const int lz = std::countl_zero(frac);
    f.significand = frac << lz;
    // value = frac * 2^-1074 = (frac << lz) * 2^(-1074 - lz) and an extended value is sig * 2^(E - bias - 63).
    f.exponent = static_cast<std::uint16_t>(f80_bias + 63 - 1074 - lz);
  }
  return f;
}

Narrowed narrow(const model::Float80& f) {
  const std::uint64_t sign = std::uint64_t{f.sign} << 63;
  if (f.exponent == 0x7fff) {
    const bool canonical = (f.significand & integer_bit) != 0;
    if ((f.significand << 1) == 0) return {sign | std::uint64_t{0x7ff} << 52, canonical};
    std::uint64_t frac = (f.significand >> 11) & frac52;
    const bool exact = canonical && (f.significand & 0x7ff) == 0 && frac != 0;
    if (frac == 0) frac = std::uint64_t{1} << 51;  // payload only in the dropped bits: keep it a (quiet) NaN
    return {sign | std::uint64_t{0x7ff} << 52 | frac, exact};
  }
  if (f.significand == 0) return {sign, f.exponent == 0};
  bool exact = true;
  // Normalise: extended denormals (exponent 0) count as exponent 1; unnormals lose their leading zeros.
  const int lz = std::countl_zero(f.significand);
  if (f.exponent != 0 && !(f.significand & integer_bit)) exact = false;  // unnormal: not a valid encoding
  const std::uint64_t sig = f.significand << lz;
  const int unbiased = (f.exponent == 0 ? 1 : f.exponent) - f80_bias - lz;
  int exp = unbiased + f64_bias;
  if (exp >= 1) {
    std::uint64_t m = shift_round(sig, 11, exact);  // 53 significant bits
    if (m >> 53) {
      m >>= 1;
      ++exp;
    }
    if (exp >= 0x7ff) return {sign | std::uint64_t{0x7ff} << 52, false};
    return {sign | static_cast<std::uint64_t>(exp) << 52 | (m & frac52), exact};
  }
  // Subnormal double: fewer significant bits. A carry into bit 52 yields the smallest normal, which
  // the same bit pattern encodes.
  const std::uint64_t m = shift_round(sig, 11 + 1 - exp, exact);
  return {sign | m, exact};
}

void cover_x87(mapping::Coverage& c) {
  static constexpr CoverageRule rows[] = {
      mapping::row("cpu[].fpu.st", mapping::transformed("80-bit extended to the 64-bit double gem5 keeps: rounded to nearest "
                                                        "at 53 significand bits, outside double's range to infinity or "
                                                        "a subnormal; each rounding is reported")),
  };
  c.declare(rows);
}

}  // namespace cptx::gem5
