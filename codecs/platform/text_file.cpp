#include "codecs/platform/text_file.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"

namespace cptx::platform {

std::string read_text_file(const std::filesystem::path& p) {
  io::require_regular_file(p);
  const auto size = std::filesystem::file_size(p);
  if (size > max_description_bytes)
    throw InputError({p.string()}, fmt::format("{} bytes; a platform description is at most {}", size, max_description_bytes));
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  if (!f) throw InputError({p.string()}, "cannot be read");
  return s.str();
}

}  // namespace cptx::platform
