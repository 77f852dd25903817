// A device's state as a table: one row per m5.cpt key, with the model value it holds and, where the
// encodings differ, the named conversion in the row's get/set. The reader and the writer are both
// derived from the table (see docs/gem5.md).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "codecs/gem5/cpt_file.hpp"
#include "codecs/gem5/lookup.hpp"

namespace cptx::gem5 {

template <class T>
struct KeyRow {
  std::string_view key;
  bool boolean;       // `true`/`false` in the file; otherwise a decimal integer
  std::uint64_t max;  // the largest value the C++ type gem5 reads it into can hold
  std::uint64_t (*get)(const T&);
  void (*set)(T&, std::uint64_t);
};

inline constexpr std::uint64_t u8 = 0xff, u16 = 0xffff, u32 = 0xffffffff,
                                i32 = std::numeric_limits<std::int32_t>::max(),
                                u64 = std::numeric_limits<std::uint64_t>::max(), flag = 1;

template <class T>
void read_rows(const CptReader& in, std::string_view section, std::span<const KeyRow<T>> rows, T& out,
               std::string_view prefix = {}) {
  for (const auto& r : rows) {
    const std::string key = std::string(prefix) + std::string(r.key);
    const Entry& e = in.required(section, key);
    const Location at = in.where(section, key, e.line);
    r.set(out, r.boolean ? decode_bool(e.value, at) : decode_unsigned(e.value, in.era(), at, r.max));
  }
}

template <class T>
void write_rows(Section& out, std::span<const KeyRow<T>> rows, const T& in, std::string_view prefix = {}) {
  for (const auto& r : rows) {
    const std::uint64_t v = r.get(in);
    out.set(std::string(prefix) + std::string(r.key), r.boolean ? encode_bool(v != 0) : encode_int(v));
  }
}

}  // namespace cptx::gem5
