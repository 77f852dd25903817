// Zero pages: RAM that every format can store in its cheapest form (a hole, a zero-page record).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>

#include "model/machine.hpp"

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

// Counts the all-zero pages of a stream of bytes that arrives in pieces of any size, pages counted
// from the stream's first byte.
class ZeroPageCounter {
 public:
  void add(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
      const std::size_t take = std::min<std::size_t>(bytes.size(), model::page_size - in_page_);
      nonzero_ = nonzero_ || !all_zero(bytes.first(take));
      in_page_ += take;
      bytes = bytes.subspan(take);
      if (in_page_ == model::page_size) {
        zero_pages_ += !nonzero_;
        in_page_ = 0;
        nonzero_ = false;
      }
    }
  }
  std::uint64_t zero_pages() const { return zero_pages_; }

 private:
  std::size_t in_page_ = 0;
  bool nonzero_ = false;
  std::uint64_t zero_pages_ = 0;
};

}  // namespace cptx::io
