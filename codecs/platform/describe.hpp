// The target a file describes, whichever system's it is: a pair directory or its pair.json, a
// Palacios VM XML, a gem5 config.ini, a pair's qemu.sh.
#pragma once

#include <filesystem>

#include "codecs/platform/target.hpp"

namespace cptx::platform {

Target palacios_target(const std::filesystem::path& xml);
Target gem5_target(const std::filesystem::path& config_ini);
Target qemu_target(const std::filesystem::path& qemu_sh);
// By name: a directory (its pair.json), *.json, *.xml, *.ini, *.sh. UsageError for anything else.
Target describe_target(const std::filesystem::path& p);

}  // namespace cptx::platform
