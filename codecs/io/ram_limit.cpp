#include "codecs/io/ram_limit.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "codecs/io/error.hpp"

namespace cptx::io {

namespace fs = std::filesystem;

std::uint64_t ram_limit(std::uint64_t max_ram, const fs::path& output) {
  if (max_ram) return max_ram;
  const fs::path where = fs::absolute(output).parent_path();
  std::error_code ec;
  const auto space = fs::space(where, ec);
  return ec ? default_max_ram : std::min<std::uint64_t>(default_max_ram, space.available);
}

void check_ram_size(std::uint64_t bytes, std::string_view what, std::uint64_t max_ram, const fs::path& output) {
  const std::uint64_t limit = ram_limit(max_ram, output);
  if (bytes <= limit) return;
  throw UsageError(fmt::format("{}: {} bytes of guest RAM to write, more than the limit of {} bytes ({}); "
                               "raise it with --max-ram SIZE",
                               what, bytes, limit,
                               max_ram ? "--max-ram" : "1 TiB or the free space where the output goes"));
}

}  // namespace cptx::io
