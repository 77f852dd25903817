// Every leaf field of a machine instance, with what a test may do to it: change it to another value
// of its domain, put an out-of-domain value into it (in memory, where its C++ type allows), and the
// JSON values its domain rejects. Walked from the declarations, so no field can be forgotten.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/json_value.hpp"
#include "model/machine.hpp"
#include "model/power_on.hpp"

namespace cptx::testing {

struct Leaf {
  std::string path;     // `cpu[0].segments.cs.base`
  std::string pointer;  // JSON pointer into a model document: `/machine/cpu/0/segments/cs/base`
  std::function<bool()> change;            // sets another valid value; false if the domain has one value
  std::function<void()> break_in_memory;   // sets an out-of-domain value; empty if the type cannot hold one
  std::vector<model::Json> rejected_json;  // JSON values the field's domain rejects
};

namespace detail {

using model::Json;
using model::Meta;

inline std::vector<Json> rejected_integers(const Meta& m, unsigned type_bits) {
  const Meta t = m.typed(type_bits);
  std::vector<Json> out = {Json(-1), Json(1.5), Json("ten"), Json(true), Json(nullptr), Json("0x1ffffffffffffffff")};
  if (t.max_value() != ~std::uint64_t{0}) out.push_back(Json(t.max_value() + 1));
  if (t.lo > 0) out.push_back(Json(t.lo - 1));
  for (unsigned bit = 0; t.mask && bit < t.bits; ++bit)
    if (!(t.mask >> bit & 1)) {  // the lowest bit the mask leaves out
      out.push_back(Json(std::uint64_t{1} << bit));
      break;
    }
  if (t.align > 1) out.push_back(Json(t.lo + 1));
  return out;
}

template <class T>
void walk(T& v, const Meta& m, std::string& path, std::string& pointer, std::vector<Leaf>& out) {
  using namespace model;
  const auto here = [&]() -> Leaf { return Leaf{path, pointer, {}, {}, {}}; };
  if constexpr (Described<T>) {
    for_each_field<T>([&](auto member, std::string_view name, const Meta& fm, std::string_view) {
      PathScope scope(path, name);
      const std::size_t base = pointer.size();
      pointer.append("/").append(name);
      walk(v.*member, fm, path, pointer, out);
      pointer.resize(base);
    });
  } else if constexpr (std::is_same_v<T, bool>) {
    Leaf l = here();
    l.change = [&v] { v = !v; return true; };
    l.rejected_json = {Json(1), Json("true"), Json(nullptr)};
    out.push_back(std::move(l));
  } else if constexpr (NamedEnum<T>) {
    Leaf l = here();
    constexpr std::size_t count = names_of(T{}).size();
    l.change = [&v] { v = static_cast<T>((static_cast<std::size_t>(v) + 1) % count); return count > 1; };
    l.break_in_memory = [&v] { v = static_cast<T>(count); };
    l.rejected_json = {Json("no-such-value"), Json(0), Json(nullptr)};
    out.push_back(std::move(l));
  } else if constexpr (is_unsigned_int<T>) {
    const Meta t = m.typed(8 * sizeof(T));
    Leaf l = here();
    l.change = [&v, t] {
      const std::uint64_t step = t.align ? t.align : t.mask ? (t.mask & -t.mask) : 1;
      for (std::uint64_t c : {std::uint64_t(v) + step, std::uint64_t(v) - step, t.lo, t.max_value()})
        if (c != v && t.admits(c)) {
          v = static_cast<T>(c);
          return true;
        }
      return false;
    };
    const std::uint64_t type_max = Meta{}.typed(8 * sizeof(T)).max_value();
    for (std::uint64_t c : {t.max_value() + 1, t.lo - 1, t.lo + 1, type_max})
      if (c <= type_max && !t.admits(c)) {
        l.break_in_memory = [&v, c] { v = static_cast<T>(c); };
        break;
      }
    l.rejected_json = rejected_integers(m, 8 * sizeof(T));
    out.push_back(std::move(l));
  } else if constexpr (std::is_same_v<T, VectorSet>) {
    Leaf l = here();
    l.change = [&v] { v.set(32, !v.test(32)); return true; };
    l.rejected_json = {Json::array({256}), Json::array({-1}), Json::array({7, 7}), Json("0x1"), Json(nullptr)};
    out.push_back(std::move(l));
  } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, Bytes>) {
    Leaf l = here();
    const Meta mm = m;
    l.change = [&v, mm] {
      if (v.size() < mm.max_len) v.push_back(typename T::value_type('a'));
      else v.pop_back();
      return true;
    };
    if (mm.max_len < 1u << 20) l.break_in_memory = [&v, mm] { v.resize(mm.max_len + 1); };
    if constexpr (std::is_same_v<T, std::string>)
      l.rejected_json = {Json(std::string(m.max_len + 1, 'a')), Json(5), Json(nullptr)};
    else
      l.rejected_json = {Json(std::string(2 * (m.max_len + 1), '0')), Json("0"), Json("zz"), Json(nullptr)};
    out.push_back(std::move(l));
  } else if constexpr (is_byte_string<T>) {
    Leaf l = here();
    l.change = [&v] { v[0] ^= 1; return true; };
    l.rejected_json = {Json("00"), Json(std::string(2 * v.size() - 1, '0')), Json(std::string(2 * v.size(), 'g')),
                       Json(nullptr)};
    out.push_back(std::move(l));
  } else if constexpr (is_std_optional<T>::value) {
    if (v) {
      const std::size_t first = out.size();
      walk(*v, m, path, pointer, out);
      for (std::size_t i = first; i < out.size(); ++i)  // null is the optional's own value
        if (out[i].path == path) std::erase(out[i].rejected_json, Json(nullptr));
    } else {
      Leaf l = here();
      l.change = [&v] { v.emplace(); return true; };
      l.rejected_json = {Json("null")};
      out.push_back(std::move(l));
    }
  } else if constexpr (is_std_array<T>::value || is_std_vector<T>::value) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      PathScope scope(path, i);
      const std::size_t base = pointer.size();
      pointer.append("/").append(std::to_string(i));
      walk(v[i], m, path, pointer, out);
      pointer.resize(base);
    }
  } else {
    static_assert(always_false<T>::value, "no leaf walk for this model type");
  }
}

}  // namespace detail

// A power-on machine with every optional field engaged, so that walks over it reach every field.
inline model::Machine machine_with_every_field(std::size_t cpus) {
  model::Machine m = model::power_on(cpus, 64 << 20);
  m.cpu[0].events.exception = model::PendingException{14, 2};
  m.cpu[0].events.interrupt = 0x30;
  m.i8042.pending_command = 0xd1;
  m.memory.regions[0].backing = model::FileBacking{"ram.bin", 0, model::Encoding::raw};
  return m;
}

// The leaves of `m`; the functions refer to `m`, which must outlive them.
inline std::vector<Leaf> leaves(model::Machine& m) {
  std::vector<Leaf> out;
  std::string path, pointer = "/machine";
  detail::walk(m, model::any(), path, pointer, out);
  return out;
}

}  // namespace cptx::testing
