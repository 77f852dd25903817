// The target VM's Palacios XML configuration (§5): what a checkpoint for it must contain.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cptx::palacios {

struct TargetDevice;

struct VmConfig {
  std::vector<TargetDevice> devices;      // <device class= id=> in document order = creation order
  std::optional<std::uint64_t> memory;    // <memory> MB, in bytes
  std::optional<std::size_t> cores;       // <cores count=>
};

// Values are read like Palacios's v3_cfg_val: an attribute or a child element of that name, names
// compared case-insensitively, both present an error. A device id must be usable as a context file
// name and shorter than 32 characters (P22), and unique. Errors are InputErrors naming the file and
// the element.
VmConfig read_vm_config(const std::filesystem::path& xml);

}  // namespace cptx::palacios
