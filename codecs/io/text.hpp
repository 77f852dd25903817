// Input bytes as text: tags, names and free text come from untrusted files, and the model holds
// strings as JSON does, in UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cptx::io {

// `s` with every byte outside printable ASCII (and the backslash) written as \xNN, cut after `max`
// bytes of input with a trailing "...".
std::string printable(std::string_view s, std::size_t max = 80);

// `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool is_utf8(std::string_view s);

}  // namespace cptx::io
