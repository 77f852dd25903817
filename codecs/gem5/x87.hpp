// gem5 keeps x87 registers as 64-bit IEEE doubles (v24 spec §3.2.2, 2011 spec §3.4); the model keeps
// the 80-bit extended values the hardware holds. Widening is exact; narrowing rounds to nearest even.
#pragma once

#include <cstdint>

#include "model/cpu.hpp"

namespace cptx::gem5 {

// The bit pattern of a double as the exact extended-precision value.
model::Float80 widen(std::uint64_t double_bits);

struct Narrowed {
  std::uint64_t double_bits;
  bool exact;  // false if the value was rounded, overflowed to infinity, or was not a canonical encoding
};
Narrowed narrow(const model::Float80& value);

}  // namespace cptx::gem5
