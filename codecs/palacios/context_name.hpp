// Context names become file names verbatim (§1.3), and they come from untrusted input (a checkpoint
// directory, a device id in a model, P22). Checking them is what keeps every context file inside its
// checkpoint directory.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cptx::palacios {

inline constexpr std::size_t kMaxContextName = 255;  // NAME_MAX on Linux

// Why `name` cannot be a context file name, or nullopt if it can: it must be non-empty, at most 255
// bytes, free of '/' and NUL, and not made of dots only ("." and ".." would name directories).
std::optional<std::string> context_name_problem(std::string_view name);

// Throws cptx::InputError naming `file` (the checkpoint directory) and the name if it is unusable.
void check_context_name(std::string_view name, const std::string& file);

}  // namespace cptx::palacios
