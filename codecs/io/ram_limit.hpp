// The most guest RAM cptx writes. A size read from a checkpoint or a configuration is checked against
// it before any output is created, so a declared terabyte is refused at once rather than written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace cptx::io {

// Without --max-ram: the smaller of this and the free space where the output goes.
inline constexpr std::uint64_t default_max_ram = std::uint64_t{1} << 40;

// `max_ram` as given (--max-ram), or the default for an output at `output`.
std::uint64_t ram_limit(std::uint64_t max_ram, const std::filesystem::path& output);

// Throws UsageError naming `what` (where the size comes from), the size and the limit, if `bytes`
// of RAM exceed the limit for `output`.
void check_ram_size(std::uint64_t bytes, std::string_view what, std::uint64_t max_ram,
                    const std::filesystem::path& output);

}  // namespace cptx::io
