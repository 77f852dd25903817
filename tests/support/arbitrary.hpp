// RapidCheck generators of valid machines, derived from the model's declarations: every field is
// drawn from its declared domain, then the few cross-field invariants are established.
#pragma once

#include <rapidcheck.h>

#include "model/machine.hpp"

namespace cptx::testing {

namespace detail {

// An integer inside the field's declared domain. Called inside rc::gen::exec.
inline std::uint64_t draw_integer(const model::Meta& m) {
  const std::uint64_t max = m.max_value();
  std::uint64_t v = *rc::gen::oneOf(rc::gen::just(m.lo), rc::gen::just(max), rc::gen::arbitrary<std::uint64_t>(),
                                    rc::gen::inRange<std::uint64_t>(0, 256));
  if (max - m.lo != ~std::uint64_t{0}) v = m.lo + v % (max - m.lo + 1);
  if (m.mask) v &= m.mask;
  if (m.align) v -= v % m.align;
  return m.admits(v) ? v : m.lo;
}

template <class T>
T draw(const model::Meta& m) {
  using namespace model;
  if constexpr (Described<T>) {
    T v{};
    for_each_field<T>([&](auto member, std::string_view, const Meta& fm, std::string_view) {
      using M = std::remove_cvref_t<decltype(v.*member)>;
      v.*member = draw<M>(fm);
    });
    return v;
  } else if constexpr (std::is_same_v<T, bool>) {
    return *rc::gen::arbitrary<bool>();
  } else if constexpr (NamedEnum<T>) {
    return static_cast<T>(*rc::gen::inRange<std::size_t>(0, names_of(T{}).size()));
  } else if constexpr (is_unsigned_int<T>) {
    return static_cast<T>(draw_integer(m.typed(8 * sizeof(T))));
  } else if constexpr (std::is_same_v<T, VectorSet>) {
    VectorSet s;
    for (auto& w : s.words) w = *rc::gen::arbitrary<std::uint64_t>();
    return s;
  } else if constexpr (std::is_same_v<T, std::string>) {
    const auto n = *rc::gen::inRange<std::size_t>(m.min_len, std::min<std::size_t>(m.max_len, m.min_len + 24) + 1);
    return *rc::gen::container<std::string>(n, rc::gen::inRange<char>(' ', '~' + 1));
  } else if constexpr (is_std_optional<T>::value) {
    if (!*rc::gen::arbitrary<bool>()) return std::nullopt;
    return draw<typename T::value_type>(m);
  } else if constexpr (is_std_array<T>::value) {
    T v{};
    for (auto& e : v) e = draw<typename T::value_type>(m);
    return v;
  } else if constexpr (is_std_vector<T>::value) {
    // Lists stay short: the properties are about every field, not about long lists.
    const auto n = *rc::gen::inRange<std::size_t>(m.min_len, std::min<std::size_t>(m.max_len, m.min_len + 3) + 1);
    T v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(draw<typename T::value_type>(m));
    return v;
  } else {
    static_assert(always_false<T>::value, "no generator for this model type");
  }
}

}  // namespace detail

// Establishes the invariants no single declaration states: RAM regions laid out in order without
// overlap, distinct APIC ids, and the derived fields.
inline void make_consistent(model::Machine& m) {
  std::uint64_t next = 0;
  for (auto& r : m.memory.regions) {
    r.size = model::page_size * (1 + r.size / model::page_size % 4096);
    r.gpa = next + model::page_size * (r.gpa / model::page_size % 16);
    next = r.gpa + r.size;
  }
  for (std::size_t i = 0; i < m.cpu.size(); ++i) m.cpu[i].lapic.id = static_cast<std::uint8_t>(m.cpu[i].lapic.id / 64 * 64 + i);
  model::derive(m);
}

inline rc::Gen<model::Machine> valid_machine() {
  return rc::gen::exec([] {
    auto m = detail::draw<model::Machine>(model::any());
    make_consistent(m);
    return m;
  });
}

}  // namespace cptx::testing

namespace rc {
template <>
struct Arbitrary<cptx::model::Machine> {
  static Gen<cptx::model::Machine> arbitrary() { return cptx::testing::valid_machine(); }
};
}  // namespace rc
