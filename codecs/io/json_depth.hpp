// How deep JSON text nests, found by one linear scan before any parser builds or walks it: code that
// walks a document recursively (QEMU's stream description, the model) is safe only below a bound.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace cptx::io {

// The nesting every JSON document cptx reads stays within; a QEMU 7.2 stream description, the
// deepest real one, nests 13 levels.
inline constexpr std::size_t max_json_depth = 64;

// The byte offset of the first `[` or `{` opening level `limit + 1`, if any. Brackets inside strings
// do not count; the text need not be valid JSON.
std::optional<std::size_t> json_too_deep(std::string_view text, std::size_t limit = max_json_depth);

}  // namespace cptx::io
