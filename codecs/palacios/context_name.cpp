#include "codecs/palacios/context_name.hpp"

#include <algorithm>

#include "codecs/io/error.hpp"
#include "codecs/io/text.hpp"

namespace cptx::palacios {

std::optional<std::string> context_name_problem(std::string_view name) {
  if (name.empty()) return "empty context name";
  if (name.size() > kMaxContextName) return "context name longer than 255 bytes";
  if (name.find('/') != std::string_view::npos) return "context name contains '/'";
  if (name.find('\0') != std::string_view::npos) return "context name contains a NUL byte";
  if (std::all_of(name.begin(), name.end(), [](char c) { return c == '.'; }))
    return "context name made of dots only";
  return std::nullopt;
}

void check_context_name(std::string_view name, const std::string& file) {
  if (auto problem = context_name_problem(name)) throw InputError({file, {}, {}, io::printable(name)}, *problem);
}

}  // namespace cptx::palacios
