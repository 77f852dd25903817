// JSON form of any model value, derived from the declarations.
//
// Integers are JSON numbers, or "0x…" strings for fields declared hex (either form is accepted on
// input); enums are their names; byte strings are lowercase hex; vector sets are ascending lists of
// vectors; optionals are null or the value; structs are objects with every declared key, in
// declaration order, and no other key.
#pragma once

#include <algorithm>
#include <charconv>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/describe.hpp"
#include "model/domain.hpp"
#include "model/hex.hpp"

namespace cptx::model {

using Json = nlohmann::ordered_json;


template <class T>
Json encode_value(const T& v, const Meta& m) {
  if constexpr (Described<T>) {
    Json j = Json::object();
    for_each_field<T>([&](auto member, std::string_view name, const Meta& fm, std::string_view) {
      j[std::string(name)] = encode_value(v.*member, fm);
    });
    return j;
  } else if constexpr (std::is_same_v<T, bool>) {
    return v;
  } else if constexpr (NamedEnum<T>) {
    return std::string(name_of(v));
  } else if constexpr (is_unsigned_int<T>) {
    if (m.is_hex) return fmt::format("0x{:x}", v);
    return static_cast<std::uint64_t>(v);
  } else if constexpr (std::is_same_v<T, VectorSet>) {
    Json j = Json::array();
    for (unsigned vec = 0; vec < 256; ++vec)
      if (v.test(vec)) j.push_back(vec);
    return j;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return v;
  } else if constexpr (is_byte_string<T>) {
    return hex_encode(v);
  } else if constexpr (is_std_optional<T>::value) {
    return v ? encode_value(*v, m) : Json(nullptr);
  } else if constexpr (is_std_array<T>::value || is_std_vector<T>::value) {
    Json j = Json::array();
    for (const auto& e : v) j.push_back(encode_value(e, m));
    return j;
  } else {
    static_assert(always_false<T>::value, "model type without a JSON form");
  }
}

namespace detail {

inline const char* json_type_name(const Json& j) { return j.type_name(); }

template <class T>
T decode_unsigned(const Json& j, const Meta& m, const std::string& path) {
  const Meta t = m.typed(8 * sizeof(T));
  std::uint64_t v = 0;
  if (j.is_number_unsigned()) {
    v = j.get<std::uint64_t>();
  } else if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    const bool prefixed = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char* first = s.data() + 2;
    const char* last = s.data() + s.size();
    if (!prefixed || std::from_chars(first, last, v, 16).ptr != last || s.size() > 2 + 16)
      throw FieldError(path, integer_expectation(m, 8 * sizeof(T)) + ", got string \"" +
                                 s.substr(0, 40) + "\" (hex strings are written 0x…)");
  } else {
    throw FieldError(path, integer_expectation(m, 8 * sizeof(T)) + ", got " +
                               (j.is_number() ? j.dump() : json_type_name(j)));
  }
  if (!t.admits(v))
    throw FieldError(path, integer_expectation(m, 8 * sizeof(T)) + ", got " + std::to_string(v));
  return static_cast<T>(v);
}

inline void expect(bool ok, const Json& j, const std::string& path, const char* what) {
  if (!ok) throw FieldError(path, std::string("expected ") + what + ", got " + json_type_name(j));
}

}  // namespace detail

template <class T>
void decode_value(const Json& j, T& out, const Meta& m, std::string& path) {
  if constexpr (Described<T>) {
    detail::expect(j.is_object(), j, path, "an object");
    std::size_t known = 0;
    for_each_field<T>([&](auto member, std::string_view name, const Meta& fm, std::string_view) {
      PathScope scope(path, name);
      const auto it = j.find(name);
      if (it == j.end()) throw FieldError(path, "missing");
      decode_value(*it, out.*member, fm, path);
      ++known;
    });
    if (j.size() != known) {
      for (const auto& item : j.items()) {
        const std::string& key = item.key();  // named, not bound: lambdas cannot capture bindings before C++20 in clang 14
        bool declared = false;
        for_each_field<T>([&](auto, std::string_view name, const Meta&, std::string_view) {
          declared = declared || name == key;
        });
        PathScope scope(path, key);
        if (!declared) throw FieldError(path, "unknown field");
      }
    }
  } else if constexpr (std::is_same_v<T, bool>) {
    detail::expect(j.is_boolean(), j, path, "true or false");
    out = j.get<bool>();
  } else if constexpr (NamedEnum<T>) {
    const auto names = names_of(T{});
    std::string expected = "one of";
    for (const auto n : names) expected.append(" \"").append(n).append("\"");
    if (!j.is_string()) throw FieldError(path, expected + ", got " + detail::json_type_name(j));
    const auto& s = j.get_ref<const std::string&>();
    const auto it = std::find(names.begin(), names.end(), s);
    if (it == names.end()) throw FieldError(path, expected + ", got \"" + s.substr(0, 40) + "\"");
    out = static_cast<T>(it - names.begin());
  } else if constexpr (is_unsigned_int<T>) {
    out = detail::decode_unsigned<T>(j, m, path);
  } else if constexpr (std::is_same_v<T, VectorSet>) {
    detail::expect(j.is_array(), j, path, "a list of vectors 0..255");
    out = VectorSet{};
    for (const auto& e : j) {
      if (!e.is_number_unsigned() || e.get<std::uint64_t>() > 255)
        throw FieldError(path, "expected vectors 0..255, got " + e.dump().substr(0, 40));
      const auto vec = static_cast<unsigned>(e.get<std::uint64_t>());
      if (out.test(vec)) throw FieldError(path, "vector " + std::to_string(vec) + " listed twice");
      out.set(vec, true);
    }
  } else if constexpr (std::is_same_v<T, std::string>) {
    detail::expect(j.is_string(), j, path, "a string");
    out = j.get<std::string>();
    if (out.size() < m.min_len || out.size() > m.max_len)
      throw FieldError(path, fmt::format("expected a string of {}..{} bytes, got {}", m.min_len, m.max_len, out.size()));
  } else if constexpr (is_byte_string<T>) {
    detail::expect(j.is_string(), j, path, "a hex string");
    auto bytes = hex_decode(j.get_ref<const std::string&>());
    if (!bytes) throw FieldError(path, "expected an even number of hex digits");
    if constexpr (is_std_array<T>::value) {
      if (bytes->size() != out.size())
        throw FieldError(path, fmt::format("expected {} bytes, got {}", out.size(), bytes->size()));
      std::copy(bytes->begin(), bytes->end(), out.begin());
    } else {
      if (bytes->size() < m.min_len || bytes->size() > m.max_len)
        throw FieldError(path, fmt::format("expected at most {} bytes, got {}", m.max_len, bytes->size()));
      out = std::move(*bytes);
    }
  } else if constexpr (is_std_optional<T>::value) {
    if (j.is_null()) {
      out.reset();
    } else {
      out.emplace();
      decode_value(j, *out, m, path);
    }
  } else if constexpr (is_std_array<T>::value || is_std_vector<T>::value) {
    detail::expect(j.is_array(), j, path, "a list");
    if constexpr (is_std_array<T>::value) {
      if (j.size() != out.size())
        throw FieldError(path, fmt::format("expected {} entries, got {}", out.size(), j.size()));
    } else {
      if (j.size() < m.min_len || j.size() > m.max_len)
        throw FieldError(path, fmt::format("expected {}..{} entries, got {}", m.min_len, m.max_len, j.size()));
      out.assign(j.size(), {});
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
      PathScope scope(path, i);
      decode_value(j[i], out[i], m, path);
    }
  } else {
    static_assert(always_false<T>::value, "model type without a JSON form");
  }
}

}  // namespace cptx::model
