// Parses model JSON text; a syntax error names the byte offset and the path being read.
#pragma once

#include <string>
#include <string_view>

#include "model/json_value.hpp"

namespace cptx {

// Throws InputError{file, offset, key = model path such as `cpu[0].rip`}.
model::Json parse_json_text(std::string_view text, const std::string& file);

}  // namespace cptx
