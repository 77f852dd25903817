// What a format carries of the model, declared by each codec as a table.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace cptx {

// How faithfully a format holds a model field.
enum class Carry : std::uint8_t { exact, approximate, none };
std::string_view carry_name(Carry c);

// One row of a codec's coverage: every model field whose path is `path` or lies below it (longest
// match wins; `[]` stands for every index) is carried as `carry`, for the reason in `note`.
struct CoverageRule {
  std::string_view path;
  Carry carry;
  std::string_view note;
};

// The rule that governs a model field path (`cpu[].regs.rax`); null if none does.
const CoverageRule* coverage_of(std::span<const CoverageRule> coverage, std::string_view field_path);

}  // namespace cptx
