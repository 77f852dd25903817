// The one vocabulary of codec mappings, in the spirit of model/describe.hpp and QEMU's VMState. A
// row names a model member once (a member pointer: its model path comes from the model's own
// `describe` names), where the format keeps it (a QEMU vmstate field, a Palacios entry, a gem5 key),
// and its rule: exact, a named transform with its loss bound, a default, or not held with the
// reason. Each format keeps its own value encoding; the row's rule and the codec's coverage are
// shared. A codec's coverage (Codec::coverage) is derived: the rows of its mapping tables, plus the
// rows hand-written code declares beside itself in the same file.
#pragma once

#include <deque>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/describe.hpp"
#include "reports/coverage.hpp"

namespace cptx::mapping {

// How a format holds a model member. The text says where (exact) or what is lost and how much.
struct Rule {
  Carry carry;
  std::string_view text;
};
constexpr Rule exact(std::string_view where) { return {Carry::exact, where}; }
// A named conversion between encodings, with its loss bound (80-bit ↔ double, cycles ↔ ticks).
constexpr Rule transformed(std::string_view how_and_bound) { return {Carry::transformed, how_and_bound}; }
// Kept in part (a mask, a flag for a state), saying what is lost.
constexpr Rule approximated(std::string_view what_is_lost) { return {Carry::approximated, what_is_lost}; }
// Not kept by the format: read as a default (QEMU's reset value, the skeleton's, power-on).
constexpr Rule defaulted(std::string_view from_what) { return {Carry::defaulted, from_what}; }
constexpr Rule not_held(std::string_view reason) { return {Carry::none, reason}; }

// A coverage row for `path` (a model field path, `[]` for every index) and everything below it.
constexpr CoverageRule row(std::string_view path, Rule r) { return {path, r.carry, r.text}; }

// The model name of a member of S, from S::describe.
template <model::Described S, class M>
std::string_view member_name(M S::*wanted) {
  std::string_view out;
  model::for_each_field<S>([&](auto member, std::string_view name, const model::Meta&, std::string_view) {
    if constexpr (std::is_same_v<decltype(member), M S::*>)
      if (member == wanted) out = name;
  });
  if (out.empty()) throw std::logic_error("a mapping row names a member its struct does not describe");
  return out;
}

// A codec's coverage, gathered from its files. A table row carries its own rule; a row that code
// beside the table declares for the same field refines it (the table maps the member, the code
// loses something on the way: a mask, a fixed value). Of two table rows for one field, the first
// stands (a per-index table repeats its rows for every index).
class Coverage {
 public:
  // Rows declared beside hand-written code.
  Coverage& declare(std::span<const CoverageRule> rows);
  // A table row: `path` (owned here, as the text) carried as `carry` for the reason in `text`.
  Coverage& mapped(std::string path, Carry carry, std::string text);
  std::span<const CoverageRule> rules() const { return rules_; }

 private:
  Coverage& finish();
  std::deque<std::string> text_;  // stable storage for the paths and texts of table rows
  std::vector<CoverageRule> declared_, tables_, rules_;
};

}  // namespace cptx::mapping
