// A device's state as a table: one row per m5.cpt key, naming the model member it holds and its
// rule (the rows of codecs/mapping.hpp, with gem5's key as locator). `held` rows keep the member as
// it is, `converted` rows in another encoding; a `beside` row has no key: the code beside the table
// maps its member, or gem5 does not keep it. Reading, writing and coverage all walk the table (see
// docs/gem5.md).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "codecs/gem5/cpt_file.hpp"
#include "codecs/gem5/lookup.hpp"
#include "codecs/mapping.hpp"

namespace cptx::gem5 {

template <class T>
struct KeyRow {
  std::string_view key;  // "" for a beside row
  bool boolean;          // `true`/`false` in the file; otherwise a decimal integer
  std::uint64_t max;     // the largest value the C++ type gem5 reads it into can hold
  std::uint64_t (*get)(const T&);
  void (*set)(T&, std::uint64_t);
  std::string_view (*member)();  // the model name of the member the row maps
  mapping::Rule rule;
};

template <class P>
struct member_pointer;
template <class T, class M>
struct member_pointer<M T::*> {
  using owner = T;
  using type = M;
};
template <auto m>
using owner_of = typename member_pointer<decltype(m)>::owner;

template <auto m>
std::string_view name_of() {
  return mapping::member_name(m);
}

// A member gem5 keeps as it is: an integer (or an enumeration's value) up to `max`, or a flag.
template <auto m>
constexpr KeyRow<owner_of<m>> held(std::string_view key, std::uint64_t max, mapping::Rule rule = mapping::exact({})) {
  using T = owner_of<m>;
  using M = typename member_pointer<decltype(m)>::type;
  return {key, std::is_same_v<M, bool>, max, [](const T& in) { return static_cast<std::uint64_t>(in.*m); },
          [](T& out, std::uint64_t v) {
            if constexpr (std::is_same_v<M, bool>) out.*m = v != 0;
            else out.*m = static_cast<M>(v);
          },
          name_of<m>, rule};
}

// A member gem5 keeps in another encoding: `get` gives the key's value, `set` the member from it.
template <auto m>
constexpr KeyRow<owner_of<m>> converted(std::string_view key, bool boolean, std::uint64_t max,
                                        std::uint64_t (*get)(const owner_of<m>&),
                                        void (*set)(owner_of<m>&, std::uint64_t),
                                        mapping::Rule rule = mapping::exact({})) {
  return {key, boolean, max, get, set, name_of<m>, rule};
}

// A member no key of the table holds: the code beside it maps the member, or gem5 does not keep it.
template <auto m>
constexpr KeyRow<owner_of<m>> beside(mapping::Rule rule) {
  return {{}, false, 0, nullptr, nullptr, name_of<m>, rule};
}

inline constexpr std::uint64_t u8 = 0xff, u16 = 0xffff, u32 = 0xffffffff,
                                i32 = std::numeric_limits<std::int32_t>::max(),
                                u64 = std::numeric_limits<std::uint64_t>::max(), flag = 1;

template <class T>
void read_rows(const CptReader& in, std::string_view section, std::span<const KeyRow<T>> rows, T& out,
               std::string_view prefix = {}) {
  for (const auto& r : rows) {
    if (r.key.empty()) continue;
    const std::string key = std::string(prefix) + std::string(r.key);
    const Entry& e = in.required(section, key);
    const Location at = in.where(section, key, e.line);
    r.set(out, r.boolean ? decode_bool(e.value, at) : decode_unsigned(e.value, in.era(), at, r.max));
  }
}

template <class T>
void write_rows(Section& out, std::span<const KeyRow<T>> rows, const T& in, std::string_view prefix = {}) {
  for (const auto& r : rows) {
    if (r.key.empty()) continue;
    const std::uint64_t v = r.get(in);
    out.set(std::string(prefix) + std::string(r.key), r.boolean ? encode_bool(v != 0) : encode_int(v));
  }
}

// The table's coverage: every member, under `model_path`, as its row says, at its key of `section`.
template <class T>
void cover(mapping::Coverage& c, std::string_view model_path, std::string_view section, std::span<const KeyRow<T>> rows,
           std::string_view prefix = {}) {
  for (const auto& r : rows) {
    std::string text;
    if (!r.key.empty()) {
      text = std::string("[").append(section).append("] ").append(prefix).append(r.key);
      if (!r.rule.text.empty()) text.append(": ");
    }
    c.mapped(std::string(model_path).append(".").append(r.member()), r.rule.carry, text.append(r.rule.text));
  }
}

}  // namespace cptx::gem5
