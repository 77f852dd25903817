// A platform description read whole: a small text file, bounded so that a device or a huge file
// given by mistake is refused rather than read.
#pragma once

#include <filesystem>
#include <string>

namespace cptx::platform {

inline constexpr std::uintmax_t max_description_bytes = 1 << 20;

// InputError if `p` is not a regular file or is larger than max_description_bytes.
std::string read_text_file(const std::filesystem::path& p);

}  // namespace cptx::platform
