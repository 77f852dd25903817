// How the codec reads and writes a whole checkpoint, context group by context group: the per-core
// contexts (guest_info, vmcb_data, vmcs_data), the device contexts and the `devices` table, and RAM.
// codec.cpp puts them together in the order Palacios saves and loads them.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codecs/palacios/codec.hpp"
#include "codecs/palacios/fields.hpp"
#include "codecs/palacios/store.hpp"
#include "codecs/palacios/tables.hpp"
#include "codecs/palacios/vm_config.hpp"

namespace cptx::palacios {

class CheckpointWriter;

using ContextSet = std::set<std::string, std::less<>>;

inline constexpr std::string_view kDevices = "devices";
inline constexpr std::string_view kHeader = "header";

std::string guest_info(std::size_t i);
std::string vmcb_data(std::size_t i);
std::string vmcs_data(std::size_t i);

[[noreturn]] void missing(const std::filesystem::path& dir, std::string_view name, std::string_view why);
void read_table(const std::filesystem::path& dir, std::string_view name, Store store, const Fields& fields, State& s);

// Cores (core_contexts.cpp). The core count is that of the consecutive guest_info<i> contexts.
std::size_t count_cores(const ContextSet& contexts);
bool is_core_context(std::string_view name);
void read_cores(const std::filesystem::path& dir, Store store, const ContextSet& contexts, State& s);
// Chooses the Palacios-only core values of `s` for `s.m` and reports what Palacios cannot hold.
void prepare_cores(State& s, Report& report);
// Takes each core's VMCB control area from the skeleton's vmcb_data (an SVM skeleton); returns
// whether the skeleton is an Intel VMX checkpoint instead, whose vmcs_data pages are copied.
bool take_skeleton_vmcbs(const std::filesystem::path& skeleton, Store store, const ContextSet& contexts, State& s);
void write_cores(CheckpointWriter& out, const State& s, bool vmx, const std::filesystem::path& skeleton,
                 std::optional<Store> skeleton_store, const ContextSet& skeleton_contexts, Report& report);

// Devices (device_contexts.cpp).
// The device ids of the `devices` context, newest first (§2.3).
std::vector<std::string> read_device_names(const std::filesystem::path& dir, Store store, const ContextSet& contexts);
// The class of the device context `name`, recognised by its first tag; null if cptx does not map it.
const DeviceClass* class_of_context(const std::filesystem::path& dir, std::string_view name, Store store);
// Reads every listed device cptx maps; returns the device ids listed. `config` (read from
// `config_file`), if there is one, is the VM's: it tells a device that saves nothing from one cut off.
ContextSet read_devices(const std::filesystem::path& dir, Store store, const ContextSet& contexts,
                        const std::optional<VmConfig>& config, const std::filesystem::path& config_file, State& s,
                        Report& report);
// Chooses the Palacios-only device values of `s` for `s.m` and reports what Palacios cannot hold.
void prepare_devices(State& s, Report& report);
// The target's devices that get a context and a slot, in creation order; null for a device copied
// from the skeleton. Checked before anything is written.
using PlannedDevices = std::vector<std::pair<std::string, const DeviceClass*>>;
PlannedDevices plan_devices(const Target& target, Report& report);
// Writes the `devices` table and the context of every device cptx maps; returns the contexts written.
ContextSet write_devices(CheckpointWriter& out, const PlannedDevices& devices, const State& s);

// RAM (memory.cpp): from memory_img, or from the raw dump a checkpoint saved with option 1 needs.
void read_ram(const std::filesystem::path& dir, Store store, const ContextSet& contexts, const ReadOptions& opts,
              const std::optional<VmConfig>& config, model::Machine& m, Report& report);

}  // namespace cptx::palacios
