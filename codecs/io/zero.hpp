// Zero pages: RAM that every format can store in its cheapest form (a hole, a zero-page record).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

namespace cptx::io {

// Whether every byte of `bytes` is zero, a machine word at a time.
inline bool all_zero(std::span<const std::uint8_t> bytes) {
  const std::uint8_t* p = bytes.data();
  std::size_t n = bytes.size();
  std::uint64_t any = 0;
  for (; n >= 32; p += 32, n -= 32) {
    std::uint64_t w[4];
    std::memcpy(w, p, sizeof w);
    if ((w[0] | w[1] | w[2] | w[3]) != 0) return false;
  }
  for (; n > 0; ++p, --n) any |= *p;
  return any == 0;
}

}  // namespace cptx::io
