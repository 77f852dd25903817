// What a format carries of the model, declared by each codec as a table.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace cptx {

// How faithfully a format holds a model field, from best to worst: kept as it is; converted between
// encodings by a named rule with a stated bound (80-bit <-> double, cycles <-> ticks); kept only in
// part (a mask, a flag for a state); replaced by a default (the skeleton's, the format's fixed value,
// power-on); not held at all. A conversion's status is the worst its steps give.
enum class Carry : std::uint8_t { exact, transformed, approximated, defaulted, none };
inline constexpr Carry all_carries[] = {Carry::exact, Carry::transformed, Carry::approximated, Carry::defaulted,
                                        Carry::none};
std::string_view carry_name(Carry c);

// One row of a codec's coverage: every model field whose path is `path` or lies below it (longest
// match wins; `[]` stands for every index) is carried as `carry`, for the reason in `note`.
struct CoverageRule {
  std::string_view path;
  Carry carry;
  std::string_view note;
};

// Model paths as coverage, reports and diffs name them: `cpu[0].fpu.st[3]` is a concrete path, its
// field is `cpu[].fpu.st[]`.
std::string schema_path(std::string_view concrete);
// `path` is `prefix` or lies below it (`cpu[].regs` is under `cpu`, `cpus` is not).
bool path_is_under(std::string_view path, std::string_view prefix);
// One of the two lies below the other: they name overlapping state.
bool paths_overlap(std::string_view a, std::string_view b);

// The rule that governs a model field path (`cpu[].regs.rax`); null if none does.
const CoverageRule* coverage_of(std::span<const CoverageRule> coverage, std::string_view field_path);

}  // namespace cptx
