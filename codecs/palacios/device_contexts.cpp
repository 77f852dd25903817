// The `devices` context (§2.3: the ids of the VM's devices, newest first) and the context of each
// device cptx maps; the tables of their entries are in pic.cpp, pit.cpp, keyboard.cpp, lapic.cpp,
// ioapic.cpp and serial.cpp.
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/context_name.hpp"
#include "codecs/palacios/contexts.hpp"
#include "codecs/io/text.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"

namespace cptx::palacios {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kNameSlot = 32;  // V3_MAX_DEVICE_NAME (§2.3)
constexpr std::uint64_t kPitHz = 1193182;
// The host clock assumed when the model does not say how fast its TSC ran.
constexpr std::uint64_t kDefaultTscHz = 2'000'000'000;

}  // namespace

std::vector<std::string> read_device_names(const fs::path& dir, Store store, const ContextSet& contexts) {
  auto in = open_context(dir, kDevices, store);
  auto entry = [&](std::string_view tag) {
    const auto e = in->next();
    if (!e) throw InputError({in->file(), std::nullopt, std::nullopt, std::string(tag)}, "missing entry");
    if (e->tag != tag)
      throw InputError({in->file(), e->offset, e->line, io::printable(e->tag)}, fmt::format("expected entry {}", tag));
    return *e;
  };
  const auto n_entry = entry("num_devs");
  if (in->value_size() != 4) throw InputError({in->file(), n_entry.offset, n_entry.line, "num_devs"}, "expected 4 bytes");
  const std::uint64_t n = get_le(in->read_value(4));
  // Every listed device has a context of its own, so there can be no more than there are files.
  if (n > contexts.size())
    throw InputError({in->file(), n_entry.offset, n_entry.line, "num_devs"},
                     fmt::format("{} devices listed but the checkpoint has {} contexts", n, contexts.size()));
  const auto names_entry = entry("names");
  const Location at{in->file(), names_entry.offset, names_entry.line, "names"};
  if (in->value_size() != n * kNameSlot)
    throw InputError(at, fmt::format("expected {} bytes: {} slots of {}", n * kNameSlot, n, kNameSlot));
  const auto table = in->read_value(n * kNameSlot);
  std::vector<std::string> names;
  for (std::uint64_t k = 0; k < n; ++k) {
    const auto* slot = reinterpret_cast<const char*>(table.data() + k * kNameSlot);
    std::string name(slot, strnlen(slot, kNameSlot));
    if (name.size() == kNameSlot)
      throw InputError(at, fmt::format("slot {}: device name not NUL-terminated (P22)", k));
    if (const auto problem = context_name_problem(name))
      throw InputError(at, fmt::format("slot {}: device name '{}': {}", k, io::printable(name), *problem));
    if (std::find(names.begin(), names.end(), name) != names.end())
      throw InputError(at, fmt::format("slot {}: device '{}' listed twice", k, io::printable(name)));
    if (!contexts.contains(name)) missing(dir, name, "the devices table lists it");
    names.push_back(std::move(name));
  }
  if (const auto extra = in->next())
    throw InputError({in->file(), extra->offset, extra->line, io::printable(extra->tag)}, "entry after names");
  return names;
}

const DeviceClass* class_of_context(const fs::path& dir, std::string_view name, Store store) {
  auto in = open_context(dir, name, store);
  const auto e = in->next();
  return e ? device_class_by_first_tag(e->tag) : nullptr;
}

namespace {

// The class of the device `id` in the VM's configuration, if it is one whose state the model holds.
const DeviceClass* configured_class(const VmConfig& config, std::string_view id) {
  for (const auto& d : config.devices)
    if (d.id == id) return device_class_by_xml(d.xml_class);
  return nullptr;
}

}  // namespace

ContextSet read_devices(const fs::path& dir, Store store, const ContextSet& contexts,
                        const std::optional<VmConfig>& config, const fs::path& config_file, State& s,
                        Report& report) {
  std::set<std::string_view> seen;
  ContextSet listed;
  if (contexts.contains(kDevices)) {
    for (const auto& name : read_device_names(dir, store, contexts)) {
      listed.insert(name);
      auto in = open_context(dir, name, store);
      const auto tag = in->next();
      const DeviceClass* cls = tag ? device_class_by_first_tag(tag->tag) : nullptr;
      // An empty context is a device that saves nothing (HPET, the IDE controller's own context), or
      // the state of one cut off. The VM's configuration tells them apart: a device whose state the
      // model holds never saves an empty context.
      if (!tag && config)
        if (const DeviceClass* configured = configured_class(*config, name))
          throw InputError({(dir / name).string(), 0, std::nullopt, std::string(configured->first_tag)},
                           fmt::format("the {} device '{}' of {} has no state: its context is empty",
                                       configured->xml_class, io::printable(name), config_file.string()));
      if (!cls) {
        report.note("palacios:" + name, Carry::none,
                    fmt::format("device context '{}' ({}) is not translated", io::printable(name),
                                tag ? "first entry " + io::printable(tag->tag) : "no entries"));
        continue;
      }
      if (!seen.insert(cls->xml_class).second)
        throw InputError({(dir / name).string(), 0, std::nullopt, std::string(cls->first_tag)},
                         fmt::format("a second {} device; the model has one", cls->xml_class));
      read_table(dir, name, store, cls->fields(s.m.cpu.size()), s);
    }
  }
  for (const auto& c : device_classes())
    if (!seen.contains(c.xml_class))
      report.note(std::string(c.model_path), Carry::none,
                  fmt::format("the checkpoint has no {} device; power-on state assumed", c.xml_class));
  // Palacios paces the PIT and the APIC timer in host cycles (§3.2): PIT_RELOAD cycles per PIT clock.
  if (seen.contains("8254_PIT") && s.pit_reload) {
    s.m.platform.time.tsc_hz = s.pit_reload * kPitHz;
    s.m.platform.time.lapic_timer_hz = s.m.platform.time.tsc_hz;
    report.note("platform.time.tsc_hz", Carry::approximated,
                fmt::format("derived from PIT_RELOAD {} × 1193182 Hz (host cycles per PIT clock)", s.pit_reload));
  }
  return listed;
}

void prepare_devices(State& s, Report& report) {
  const model::Machine& m = s.m;
  // Palacios's SERIAL device always has four ports: one the source did not have starts at reset.
  for (std::size_t i = 0; i < m.uart.size(); ++i)
    if (!m.uart[i].present) {
      s.m.uart[i] = model::reset_uart(i, true);
      report.note(fmt::format("uart[{}]", i), Carry::approximated,
                  fmt::format("the source had no COM{}; Palacios's SERIAL device always has four ports, so it is "
                              "written at its reset state",
                              i + 1));
    }
  const std::uint64_t tsc = m.platform.time.tsc_hz ? m.platform.time.tsc_hz : kDefaultTscHz;
  if (!m.platform.time.tsc_hz)
    report.note("platform.time.tsc_hz", Carry::approximated,
                fmt::format("unknown: the PIT is paced for a {} Hz host", kDefaultTscHz));
  s.pit_reload = std::max<std::uint64_t>(1, tsc / kPitHz);
  s.pit_counter = s.pit_reload;  // the phase within a PIT clock is not in the model
  if (const auto& pc = m.i8042.pending_command)
    if (*pc != 0x60 && *pc != 0xa5 && *pc != 0xd1 && *pc != 0xd2 && *pc != 0xd3 && *pc != 0xd4)
      report.note("i8042.pending_command", Carry::none,
                  fmt::format("Palacios has no state for command {:#04x} awaiting data", *pc));
}

PlannedDevices plan_devices(const Target& target, Report& report) {
  PlannedDevices devices;
  std::set<std::string_view> classes;
  for (const auto& d : target.devices) {
    check_context_name(d.id, "target device id");
    if (d.id.size() >= kNameSlot)
      throw UsageError(fmt::format("device id '{}' is {} characters; Palacios keeps at most 31 (P22)", d.id, d.id.size()));
    const DeviceClass* c = device_class_by_xml(d.xml_class);
    if (c && !classes.insert(c->xml_class).second)
      throw UsageError(fmt::format("the target VM has a second {} device ('{}'); the model has one", c->xml_class, d.id));
    // Classes without a checkpoint hook (NVRAM, PCI chipsets, disks...) have no context and no slot.
    if (c || !target.skeleton.empty()) devices.emplace_back(d.id, c);
  }
  for (const auto& c : device_classes())
    if (!classes.contains(c.xml_class))
      report.note(std::string(c.model_path), Carry::none, fmt::format("the target VM has no {} device", c.xml_class));
  if (devices.empty())
    report.note("palacios:devices", Carry::none,
                "the target VM has no checkpointable device: Palacios cannot load num_devs = 0 (§9.1) without option 2");
  return devices;
}

ContextSet write_devices(CheckpointWriter& out, const PlannedDevices& devices, const State& s) {
  {  // Newest first (§3.0).
    std::vector<std::uint8_t> names(devices.size() * kNameSlot, 0);
    for (std::size_t k = 0; k < devices.size(); ++k) {
      const auto& id = devices[devices.size() - 1 - k].first;
      std::copy(id.begin(), id.end(), names.begin() + static_cast<std::ptrdiff_t>(k * kNameSlot));
    }
    EntryWriter& w = out.begin_context(kDevices);
    std::uint8_t n[4];
    put_le(n, devices.size());
    w.put("num_devs", n);
    w.put("names", names);
  }
  ContextSet written = {std::string(kDevices)};
  for (auto it = devices.rbegin(); it != devices.rend(); ++it) {
    if (!it->second) continue;  // copied from the skeleton
    write_fields(out.begin_context(it->first), it->second->fields(s.m.cpu.size()), s);
    written.insert(it->first);
  }
  return written;
}

}  // namespace cptx::palacios
