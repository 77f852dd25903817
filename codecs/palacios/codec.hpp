// The Palacios codec: whole-VM checkpoints of the `file:` and `textfile:` stores ↔ the model.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "codecs/codec.hpp"
#include "codecs/palacios/store.hpp"

namespace cptx::palacios {

// A device of the target VM, in creation order (the order of its <device> elements).
struct TargetDevice {
  std::string xml_class;  // empty: a device of a skeleton whose class cptx does not map
  std::string id;
};

// What the writer needs to know about the VM that will load the checkpoint.
struct Target {
  Store store = Store::textfile;
  std::uint64_t region_size = 128ull << 20;
  std::uint32_t num_regions = 0;      // the target's base regions; 0 = as many as the RAM needs
  std::uint64_t ram_size = 0;         // the target's RAM (<memory>) when known, else 0
  std::optional<std::size_t> cores;   // the target's core count, when known
  std::vector<TargetDevice> devices;  // creation order
  // A checkpoint saved from the target VM: contexts cptx does not map are copied from it, and so is
  // the VMCB control area (or the whole VMCS) of each core.
  std::filesystem::path skeleton;
  // If set, RAM goes to this raw dump instead of a `memory_img` context: the original tools' workflow
  // of saving with option 1 (SKIP_MEM) and moving memory with v3_guest_mem_access; load with option 1.
  // The dump reaches the end of the model's last RAM region, or `ram_size` if that is more.
  std::filesystem::path raw_memory;
  bool force = false;
};

// The target as a skeleton checkpoint describes it: devices, memory layout, core count.
Target target_from_skeleton(const std::filesystem::path& dir);

// The devices of the configs cptx generates: PIC, PIT, keyboard, apic, ioapic, serial (§5.3).
std::vector<TargetDevice> default_devices();

// `opts.raw_memory`, if given, is a raw dump of guest memory from GPA 0 (`v3_guest_mem_access ... read
// 0 SIZE`) to use for RAM, for a checkpoint saved without `memory_img` (option 1); giving one for a
// checkpoint with `memory_img` is a UsageError (two sources of RAM). A checkpoint without either is an
// InputError unless `opts.state_only`. `opts.config`, the VM XML of the VM that saved the checkpoint,
// must agree with its core count, and a raw dump must cover its <memory>.
model::Machine read_machine(const std::filesystem::path& dir, Report& report, const ReadOptions& opts = {});
void write_machine(const model::Machine& m, const std::filesystem::path& dir, const Target& target, Report& report);

// What a Palacios checkpoint carries of the model: the rows of the contexts' tables and those the
// code beside them declares (docs/palacios.md explains why).
std::span<const CoverageRule> coverage();

}  // namespace cptx::palacios

namespace cptx {
extern const Codec palacios_codec;
}
