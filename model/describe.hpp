// The declaration vocabulary of the machine model.
//
// Every model struct lists its fields exactly once, in a static `describe` template:
//
//   template <class V> static void describe(V& v) {
//     v(&PicChip::irr, "irr", bits(8), "interrupt request register");
//   }
//
// JSON encoding, validation, diff, the JSON Schema, docs/model.md and the property-test generators
// are written once, generically, over these declarations (like QEMU's VMState tables).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cptx::model {

// What a field may hold and how it reads. Built with the helpers below, e.g. `bits(4).hex()`.
struct Meta {
  unsigned bits = 0;  // an integer's value fits in this many bits; 0 = the whole C++ type
  std::uint64_t lo = 0, hi = std::numeric_limits<std::uint64_t>::max();  // inclusive integer range
  std::uint64_t mask = 0;   // if non-zero: only these bits may be set
  std::uint64_t align = 0;  // if non-zero: the value is a multiple of it
  std::size_t max_len = std::numeric_limits<std::size_t>::max();  // strings, byte strings, lists
  std::size_t min_len = 0;
  std::string_view unit;  // e.g. "bytes", "ns", "PIT clocks"
  bool is_hex = false;    // JSON shows the integer as a "0x…" string
  bool is_derived = false;  // follows from other fields; see derive() in machine.hpp
  bool is_provenance = false;  // says where the checkpoint came from, not what the machine is

  constexpr Meta hex() const { Meta m = *this; m.is_hex = true; return m; }
  constexpr Meta in(std::string_view u) const { Meta m = *this; m.unit = u; return m; }
  constexpr Meta derived() const { Meta m = *this; m.is_derived = true; return m; }
  constexpr Meta provenance() const { Meta m = *this; m.is_provenance = true; return m; }
  constexpr Meta aligned(std::uint64_t a) const { Meta m = *this; m.align = a; return m; }
  // The same domain, also bounded by the width of the C++ type holding the value.
  constexpr Meta typed(unsigned type_bits) const {
    Meta m = *this;
    if (m.bits == 0 || m.bits > type_bits) m.bits = type_bits;
    return m;
  }
  constexpr Meta len(std::size_t lo_len, std::size_t hi_len) const {
    Meta m = *this; m.min_len = lo_len; m.max_len = hi_len; return m;
  }

  // Largest value the bit width allows.
  constexpr std::uint64_t max_value() const {
    std::uint64_t top = bits == 0 || bits >= 64 ? std::numeric_limits<std::uint64_t>::max()
                                                : (std::uint64_t{1} << bits) - 1;
    return top < hi ? top : hi;
  }
  constexpr bool admits(std::uint64_t v) const {
    return v >= lo && v <= max_value() && (mask == 0 || (v & ~mask) == 0) && (align == 0 || v % align == 0);
  }
};

constexpr Meta any() { return {}; }
constexpr Meta bits(unsigned n) { Meta m; m.bits = n; return m; }
constexpr Meta range(std::uint64_t lo, std::uint64_t hi) { Meta m; m.lo = lo; m.hi = hi; return m; }
constexpr Meta only_bits(std::uint64_t mask) { Meta m; m.mask = mask; return m; }
constexpr Meta upto(std::size_t n) { Meta m; m.max_len = n; return m; }

// A set of interrupt vectors 0..255 (the local APIC's IRR, ISR and TMR); bit v%64 of word v/64.
struct VectorSet {
  std::array<std::uint64_t, 4> words{};

  bool test(unsigned v) const { return (words[v / 64] >> (v % 64)) & 1; }
  void set(unsigned v, bool on) {
    const std::uint64_t bit = std::uint64_t{1} << (v % 64);
    words[v / 64] = on ? (words[v / 64] | bit) : (words[v / 64] & ~bit);
  }
  bool operator==(const VectorSet&) const = default;
};

using Bytes = std::vector<std::uint8_t>;

// Enumerations name their values for JSON, schema and docs through an ADL-found `names_of(E)`
// returning the names in value order (values are 0, 1, 2, ...).
template <class E>
concept NamedEnum = std::is_enum_v<E> && requires(E e) {
  { names_of(e) } -> std::convertible_to<std::span<const std::string_view>>;
};

template <NamedEnum E>
std::string_view name_of(E e) {
  const auto names = names_of(E{});
  const auto i = static_cast<std::size_t>(e);
  return i < names.size() ? names[i] : std::string_view("?");
}

// Type classification used by every generic algorithm.
struct DescribeProbe {
  template <class S, class M>
  void operator()(M S::*, std::string_view, const Meta&, std::string_view) {}
};
template <class T>
concept Described = std::is_class_v<T> && requires(DescribeProbe& p) { T::describe(p); };

template <class T> struct is_std_array : std::false_type {};
template <class T, std::size_t N> struct is_std_array<std::array<T, N>> : std::true_type {};
template <class T> struct is_std_vector : std::false_type {};
template <class T, class A> struct is_std_vector<std::vector<T, A>> : std::true_type {};
template <class T> struct is_std_optional : std::false_type {};
template <class T> struct is_std_optional<std::optional<T>> : std::true_type {};

// Byte strings (std::vector<uint8_t>, std::array<uint8_t, N>) read as hex strings, not lists.
template <class T> struct is_byte_array : std::false_type {};
template <std::size_t N> struct is_byte_array<std::array<std::uint8_t, N>> : std::true_type {};
template <class T>
constexpr bool is_byte_string = std::is_same_v<T, Bytes> || is_byte_array<T>::value;

template <class T>
constexpr bool is_unsigned_int = std::is_unsigned_v<T> && !std::is_same_v<T, bool>;

template <class T> struct always_false : std::false_type {};

namespace detail {
template <class F>
struct ForwardField {
  F& f;
  template <class S, class M>
  void operator()(M S::*member, std::string_view name, const Meta& meta, std::string_view doc) {
    f(member, name, meta, doc);
  }
};
}  // namespace detail

// Calls f(member_pointer, name, meta, doc) for every declared field of T, in declaration order.
template <Described T, class F>
void for_each_field(F&& f) {
  detail::ForwardField<std::remove_reference_t<F>> fwd{f};
  T::describe(fwd);
}

// Extends a field path (`cpu[0].segments.cs`) by a name or an index for the length of a scope.
class PathScope {
 public:
  PathScope(std::string& path, std::string_view name) : path_(path), base_(path.size()) {
    path_.append(base_ ? "." : "").append(name);
  }
  PathScope(std::string& path, std::size_t index) : path_(path), base_(path.size()) {
    path_.append("[").append(std::to_string(index)).append("]");
  }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;
  ~PathScope() { path_.resize(base_); }

 private:
  std::string& path_;
  std::size_t base_;
};

}  // namespace cptx::model
