// A device's state as a table: one row per m5.cpt key, with the model member it holds (the rows of
// codecs/mapping.hpp, with gem5's key as locator) or, where the encodings differ, the conversion in
// the row's get/set. The reader, the writer and the coverage of member rows are all derived from the
// table (see docs/gem5.md); a get/set row's coverage is declared beside it.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "codecs/gem5/cpt_file.hpp"
#include "codecs/gem5/lookup.hpp"
#include "codecs/mapping.hpp"

namespace cptx::gem5 {

template <class T>
using KeyMember = std::variant<std::monostate, std::uint8_t T::*, std::uint16_t T::*, std::uint32_t T::*,
                               std::uint64_t T::*, bool T::*>;

template <class T>
struct KeyRow {
  std::string_view key;
  bool boolean;       // `true`/`false` in the file; otherwise a decimal integer
  std::uint64_t max;  // the largest value the C++ type gem5 reads it into can hold
  std::uint64_t (*get)(const T&) = nullptr;
  void (*set)(T&, std::uint64_t) = nullptr;
  KeyMember<T> member = {};  // instead of get/set: the member, held as it is

  std::uint64_t value(const T& in) const {
    if (get) return get(in);
    return std::visit(
        [&](auto m) -> std::uint64_t {
          if constexpr (std::is_same_v<decltype(m), std::monostate>) return 0;
          else return static_cast<std::uint64_t>(in.*m);
        },
        member);
  }
  void assign(T& out, std::uint64_t v) const {
    if (set) return set(out, v);
    std::visit(
        [&](auto m) {
          if constexpr (!std::is_same_v<decltype(m), std::monostate>) {
            using M = std::remove_reference_t<decltype(out.*m)>;
            if constexpr (std::is_same_v<M, bool>) out.*m = v != 0;
            else out.*m = static_cast<M>(v);
          }
        },
        member);
  }
};

// A row of a member gem5 keeps as it is: an integer up to `max`, or a flag.
template <class T, class M>
constexpr KeyRow<T> held(std::string_view key, std::uint64_t max, M T::*member) {
  return {key, std::is_same_v<M, bool>, max, nullptr, nullptr, member};
}

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
    r.assign(out, r.boolean ? decode_bool(e.value, at) : decode_unsigned(e.value, in.era(), at, r.max));
  }
}

template <class T>
void write_rows(Section& out, std::span<const KeyRow<T>> rows, const T& in, std::string_view prefix = {}) {
  for (const auto& r : rows) {
    const std::uint64_t v = r.value(in);
    out.set(std::string(prefix) + std::string(r.key), r.boolean ? encode_bool(v != 0) : encode_int(v));
  }
}

// The coverage of the table's member rows: each member, under `model_path`, exact at its key.
template <class T>
void cover(mapping::Coverage& c, std::string_view model_path, std::string_view section, std::span<const KeyRow<T>> rows,
           std::string_view prefix = {}) {
  for (const auto& r : rows)
    std::visit(
        [&](auto m) {
          if constexpr (!std::is_same_v<decltype(m), std::monostate>)
            c.mapped(std::string(model_path).append(".").append(mapping::member_name(m)), Carry::exact,
                     std::string("[").append(section).append("] ").append(prefix).append(r.key));
        },
        r.member);
}

}  // namespace cptx::gem5
