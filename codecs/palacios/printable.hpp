// Input bytes quoted in error messages and keys: tags and names come from untrusted files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cptx::palacios {

// `s` with every byte outside printable ASCII (and the backslash) written as \xNN, cut after `max`
// bytes of input with a trailing "...".
std::string printable(std::string_view s, std::size_t max = 80);

}  // namespace cptx::palacios
