#include "codecs/palacios/codec.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/ram_limit.hpp"
#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/context_name.hpp"
#include "codecs/palacios/coverage.hpp"
#include "codecs/palacios/memory.hpp"
#include "codecs/palacios/printable.hpp"
#include "codecs/palacios/tables.hpp"
#include "codecs/palacios/vm_config.hpp"
#include "codecs/palacios/vmcb_events.hpp"
#include "model/power_on.hpp"
#include "model/validate.hpp"
#include "reports/report.hpp"

namespace cptx::palacios {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kDevices = "devices";
constexpr std::string_view kHeader = "header";
constexpr std::size_t kNameSlot = 32;  // V3_MAX_DEVICE_NAME (§2.3)
constexpr std::uint64_t kPitHz = 1193182;
// The host clock assumed when the model does not say how fast its TSC ran.
constexpr std::uint64_t kDefaultTscHz = 2'000'000'000;
constexpr std::size_t kVmcbSize = 4096;

std::string guest_info(std::size_t i) { return fmt::format("guest_info{}", i); }
std::string vmcb_data(std::size_t i) { return fmt::format("vmcb_data{}", i); }
std::string vmcs_data(std::size_t i) { return fmt::format("vmcs_data{}", i); }

bool has(const std::set<std::string, std::less<>>& names, std::string_view n) { return names.contains(n); }

// Ends the RAM at `end`: regions beyond it are dropped, the one across it shortened.
void end_ram_at(std::vector<model::RamRegion>& regions, std::uint64_t end) {
  std::erase_if(regions, [&](const model::RamRegion& r) { return r.gpa >= end; });
  for (auto& r : regions) r.size = std::min(r.size, end - r.gpa);
}

bool is_core_context(std::string_view name) {
  for (std::string_view prefix : {"guest_info", "vmcb_data", "vmcs_data"})
    if (name.starts_with(prefix) && name.size() > prefix.size() &&
        name.substr(prefix.size()).find_first_not_of("0123456789") == std::string_view::npos)
      return true;
  return false;
}

[[noreturn]] void missing(const fs::path& dir, std::string_view name, std::string_view why) {
  throw InputError({dir.string(), std::nullopt, std::nullopt, std::string(name)},
                   fmt::format("missing context {}: {}", name, why));
}

void read_table(const fs::path& dir, std::string_view name, Store store, const Fields& fields, State& s) {
  auto in = open_context(dir, name, store);
  read_fields(*in, fields, s);
}

// The device ids of the `devices` context, newest first (§2.3).
std::vector<std::string> read_device_names(const fs::path& dir, Store store,
                                           const std::set<std::string, std::less<>>& contexts) {
  auto in = open_context(dir, kDevices, store);
  auto entry = [&](std::string_view tag) {
    const auto e = in->next();
    if (!e) throw InputError({in->file(), std::nullopt, std::nullopt, std::string(tag)}, "missing entry");
    if (e->tag != tag)
      throw InputError({in->file(), e->offset, e->line, printable(e->tag)}, fmt::format("expected entry {}", tag));
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
      throw InputError(at, fmt::format("slot {}: device name '{}': {}", k, printable(name), *problem));
    if (std::find(names.begin(), names.end(), name) != names.end())
      throw InputError(at, fmt::format("slot {}: device '{}' listed twice", k, printable(name)));
    if (!has(contexts, name)) missing(dir, name, "the devices table lists it");
    names.push_back(std::move(name));
  }
  if (const auto extra = in->next())
    throw InputError({in->file(), extra->offset, extra->line, printable(extra->tag)}, "entry after names");
  return names;
}

// The class of the device `id` in the VM's configuration, if it is one whose state the model holds.
const DeviceClass* configured_class(const VmConfig& config, std::string_view id) {
  for (const auto& d : config.devices)
    if (d.id == id) return device_class_by_xml(d.xml_class);
  return nullptr;
}

std::optional<std::string> first_tag(const fs::path& dir, std::string_view name, Store store) {
  auto in = open_context(dir, name, store);
  const auto e = in->next();
  if (!e) return std::nullopt;
  return e->tag;
}

// CPU state Palacios keeps twice: the hardware view, and under shadow paging the guest's (P6). A
// checkpoint taken under shadow paging has a non-zero GUEST_CR0 (the guest's CR0 has ET set from
// reset on); under nested paging the hardware registers are the guest's.
void resolve_core(State& s, std::size_t i, const fs::path& dir) {
  const State::Core& c = s.core[i];
  model::Cpu& cpu = s.m.cpu[i];
  const bool shadow = c.guest_cr0 != 0;
  cpu.cr.cr0 = shadow ? c.guest_cr0 : c.cr0;
  cpu.cr.cr3 = shadow ? c.guest_cr3 : c.cr3;
  cpu.efer = shadow ? c.guest_efer : c.efer;
  // run_state: CORE_INVALID=0 (never launched: boots afresh), CORE_RUNNING=1, CORE_STOPPED=2,
  // CORE_RESETTING=3 (HEAD only, §7).
  const std::string path = fmt::format("cpu[{}].activity", i);
  switch (c.run_state) {
    case 1: cpu.activity = model::Activity::running; break;
    case 2: cpu.activity = model::Activity::wait_for_sipi; break;
    case 0:
    case 3:
      cpu.activity = i == 0 ? model::Activity::running : model::Activity::wait_for_sipi;
      s.notes.push_back({path, Carry::approximate,
                         fmt::format("run_state {} ({}): Palacios starts this core afresh", c.run_state,
                                     c.run_state == 0 ? "CORE_INVALID" : "CORE_RESETTING")});
      break;
    default:
      throw InputError({(dir / guest_info(i)).string(), std::nullopt, std::nullopt, "run_state"},
                       fmt::format("run_state {} out of range 0-3", c.run_state));
  }
}

}  // namespace

std::vector<TargetDevice> default_devices() {
  std::vector<TargetDevice> d;
  for (const auto& c : device_classes()) d.push_back({std::string(c.xml_class), std::string(c.default_id)});
  return d;
}

model::Machine read_machine(const fs::path& dir, Report& report, const ReadOptions& opts) {
  const Store store = detect_store(dir);
  const auto list = list_contexts(dir);
  const std::set<std::string, std::less<>> contexts(list.begin(), list.end());

  std::size_t cores = 0;
  while (has(contexts, guest_info(cores))) ++cores;
  if (cores == 0) missing(dir, guest_info(0), "a checkpoint saved without SKIP_CORES has one per core");
  if (cores > model::max_cpus)
    throw InputError({dir.string(), std::nullopt, std::nullopt, guest_info(cores - 1)},
                     fmt::format("{} cores; the model holds at most {}", cores, model::max_cpus));
  std::optional<VmConfig> config;
  if (!opts.config.empty()) config = read_vm_config(opts.config);
  if (config && config->cores && *config->cores != cores)
    throw InputError({opts.config.string(), std::nullopt, std::nullopt, "vm/cores/count"},
                     fmt::format("{} cores, but the checkpoint {} has {}", *config->cores, dir.string(), cores));

  State s;
  s.m = model::power_on(cores, 0);
  s.core.resize(cores);
  s.m.platform.source = model::System::palacios;

  if (!has(contexts, kHeader)) missing(dir, kHeader, "Palacios always saves it");
  {
    auto in = open_context(dir, kHeader, store);
    std::string header;
    Fields f = {{"header", kSvmHeader.size(), "platform.source_detail", nullptr,
                 [&header](State&, std::span<const std::uint8_t> v) { header.assign(v.begin(), v.end()); }}};
    read_fields(*in, f, s);
    s.m.platform.source_detail = fmt::format("Palacios checkpoint, header '{}'", printable(header));
  }

  for (std::size_t i = 0; i < cores; ++i) {
    read_table(dir, guest_info(i), store, guest_info_fields(i), s);
    if (has(contexts, vmcb_data(i))) {
      read_table(dir, vmcb_data(i), store, vmcb_fields(i), s);
    } else if (has(contexts, vmcs_data(i))) {
      // The VMCS layout is processor-specific (§3.12.4): nothing in it can be read.
      Fields f = {{"vmcs_data", kVmcbSize, "", nullptr, [](State&, std::span<const std::uint8_t>) {}}};
      read_table(dir, vmcs_data(i), store, f, s);
    }
    resolve_core(s, i, dir);
    const std::string p = fmt::format("cpu[{}]", i);
    if (!has(contexts, vmcb_data(i)))
      for (const char* f : {".msr.cstar", ".msr.sysenter_cs", ".msr.sysenter_esp", ".msr.sysenter_eip", ".msr.pat",
                            ".events"})
        s.notes.push_back({p + f, Carry::none, "only the SVM vmcb_data context holds it; this checkpoint has none"});
  }

  std::set<std::string_view> seen;
  std::set<std::string, std::less<>> listed;
  if (has(contexts, kDevices)) {
    for (const auto& name : read_device_names(dir, store, contexts)) {
      listed.insert(name);
      const auto tag = first_tag(dir, name, store);
      const DeviceClass* cls = tag ? device_class_by_first_tag(*tag) : nullptr;
      // An empty context is a device that saves nothing (HPET, the IDE controller's own context), or
      // the state of one cut off. The VM's configuration tells them apart: a device whose state the
      // model holds never saves an empty context.
      if (!tag && config)
        if (const DeviceClass* configured = configured_class(*config, name))
          throw InputError({(dir / name).string(), 0, std::nullopt, std::string(configured->first_tag)},
                           fmt::format("the {} device '{}' of {} has no state: its context is empty", configured->xml_class,
                                       printable(name), opts.config.string()));
      if (!cls) {
        report.note("palacios:" + name, Carry::none,
                    fmt::format("device context '{}' ({}) is not translated", printable(name),
                                tag ? "first entry " + printable(*tag) : "no entries"));
        continue;
      }
      if (!seen.insert(cls->xml_class).second)
        throw InputError({(dir / name).string(), 0, std::nullopt, std::string(cls->first_tag)},
                         fmt::format("a second {} device; the model has one", cls->xml_class));
      read_table(dir, name, store, cls->fields(cores), s);
    }
  }
  for (const auto& c : device_classes())
    if (!seen.contains(c.xml_class))
      report.note(std::string(c.model_path), Carry::none,
                  fmt::format("the checkpoint has no {} device; power-on state assumed", c.xml_class));
  // Contexts no table reads: IDE and PCI (saved, never loaded, P1), cores beyond a gap, debris.
  for (const auto& name : contexts) {
    bool core = false;
    for (std::size_t i = 0; i < cores && !core; ++i)
      core = name == guest_info(i) || name == vmcb_data(i) || name == vmcs_data(i);
    if (!core && !listed.contains(name) && name != kDevices && name != kHeader && name != kMemoryContext)
      report.note("palacios:" + name, Carry::none, fmt::format("context '{}' is not translated", printable(name)));
  }

  // RAM comes from exactly one place: memory_img, or for a checkpoint saved with option 1 (SKIP_MEM)
  // a raw dump the user gives (§4, "Relation to raw dumps").
  if (!opts.raw_memory.empty()) {
    if (has(contexts, kMemoryContext))
      throw UsageError(fmt::format("{} has a memory_img context, so a raw memory dump ({}) would be a second source "
                                   "of its RAM; give the dump only for a checkpoint saved with option 1 (skip memory)",
                                   dir.string(), opts.raw_memory.string()));
    s.m.memory.regions = read_raw_memory(opts.raw_memory);
    // The VM's RAM is <memory> (§4); v3_guest_mem_access reads what it is asked, so a short dump is
    // only recognisable against the configuration.
    if (config && config->memory && s.m.memory.regions[0].size < *config->memory)
      throw InputError({opts.raw_memory.string(), s.m.memory.regions[0].size},
                       fmt::format("{} bytes, less than the VM's RAM: <memory> in {} gives {} bytes",
                                   s.m.memory.regions[0].size, opts.config.string(), *config->memory));
    report.note("memory", Carry::exact,
                fmt::format("RAM read from the raw dump {} (the checkpoint was saved with option 1, skip memory)",
                            opts.raw_memory.string()));
  } else if (has(contexts, kMemoryContext)) {
    MemoryLayout layout;
    s.m.memory.regions = read_memory(dir, store, layout);
    if (config && config->memory && layout.num_regions * layout.region_size < *config->memory)
      throw InputError({(dir / kMemoryContext).string(), std::nullopt, std::nullopt, "region_size"},
                       fmt::format("{} regions of {} bytes, less than the VM's RAM: <memory> in {} gives {} bytes",
                                   layout.num_regions, layout.region_size, opts.config.string(), *config->memory));
    // Whole regions beyond <memory> are not allocation padding: that configuration is not this VM's,
    // and ending RAM at its <memory> would drop what they hold.
    if (config && config->memory && layout.num_regions > regions_for(*config->memory, layout.region_size))
      throw InputError({(dir / kMemoryContext).string(), std::nullopt, std::nullopt, "num_regions"},
                       fmt::format("{} regions of {} bytes ({} bytes), more than the VM's RAM needs: <memory> in {} "
                                   "gives {} bytes",
                                   layout.num_regions, layout.region_size,
                                   std::uint64_t{layout.num_regions} * layout.region_size, opts.config.string(),
                                   *config->memory));
  } else if (opts.state_only) {
    report.note("memory", Carry::none,
                "not in the checkpoint: it was saved with option 1 (skip memory); its RAM is a separate raw dump "
                "(v3_guest_mem_access ... read 0 SIZE), given with --input-raw-memory FILE (diff: --a-/--b-raw-memory)");
  } else {
    missing(dir, kMemoryContext,
            "the checkpoint was saved with option 1 (skip memory); give the raw dump of its RAM from GPA 0 "
            "(v3_guest_mem_access ... read 0 SIZE > FILE) with --input-raw-memory FILE (diff: --a-/--b-raw-memory)");
  }

  // Palacios allocates whole base regions and records no RAM size (§4, P9): the guest's RAM is the
  // VM's <memory>; what lies beyond it is allocation padding.
  if (!s.m.memory.regions.empty()) {
    if (config && config->memory) {
      end_ram_at(s.m.memory.regions, *config->memory);
    } else if (!opts.raw_memory.empty()) {
      report.note("platform.ram_size", Carry::approximate,
                  "the size of the raw dump; give the VM's XML with --input-config to read <memory>");
    } else {
      report.note("platform.ram_size", Carry::approximate,
                  "whole memory_img regions: Palacios rounds RAM up to its region size and records no RAM size; "
                  "give the VM's XML with --input-config to read <memory>");
    }
  }

  // Palacios paces the PIT and the APIC timer in host cycles (§3.2): PIT_RELOAD cycles per PIT clock.
  if (seen.contains("8254_PIT") && s.pit_reload) {
    s.m.platform.time.tsc_hz = s.pit_reload * kPitHz;
    s.m.platform.time.lapic_timer_hz = s.m.platform.time.tsc_hz;
    report.note("platform.time.tsc_hz", Carry::approximate,
                fmt::format("derived from PIT_RELOAD {} × 1193182 Hz (host cycles per PIT clock)", s.pit_reload));
  }

  model::derive(s.m);
  if (const auto problems = model::validate(s.m); !problems.empty())
    throw InputError({dir.string(), std::nullopt, std::nullopt, problems.front().path}, problems.front().message);
  for (const auto& n : s.notes) report.note(n.path, n.carry, n.text);
  return s.m;
}

namespace {

// The state the tables write, with every Palacios-only value chosen and every loss noted.
State prepare(const model::Machine& m, Report& report) {
  State s;
  s.m = m;
  s.core.resize(m.cpu.size());
  for (std::size_t i = 0; i < m.cpu.size(); ++i) {
    const model::Cpu& c = m.cpu[i];
    State::Core& k = s.core[i];
    // Both views of CR0/CR3/EFER get the guest's values; Palacios re-creates its shadow tables on load.
    k.cr0 = k.guest_cr0 = c.cr.cr0;
    k.cr3 = k.guest_cr3 = c.cr.cr3;
    k.efer = k.guest_efer = c.efer;
    k.run_state = c.activity == model::Activity::wait_for_sipi ? 2 : 1;
    k.vmcb.assign(kVmcbSize, 0);
    std::vector<State::Note> event_notes;
    encode_vmcb_events(c.events, i, &event_notes);  // written by the vmcb_data table; here for its losses
    for (auto& n : event_notes) report.note(std::move(n.path), n.carry, std::move(n.text));
    const std::string p = fmt::format("cpu[{}]", i);
    if (c.activity == model::Activity::halted)
      report.note(p + ".activity", Carry::approximate, "Palacios has no halted run state: saved as running");
    if (c.fpu.fcs || c.fpu.fds)
      report.note(p + ".fpu.fcs", Carry::none, "the 64-bit FXSAVE format Palacios uses has no FCS/FDS");
    if (c.cr.cr8 != (c.lapic.tpr >> 4))
      report.note(p + ".cr.cr8", Carry::approximate, "Palacios derives CR8 from the APIC TPR");
  }
  // Palacios's SERIAL device always has four ports: one the source did not have starts at reset.
  for (std::size_t i = 0; i < m.uart.size(); ++i)
    if (!m.uart[i].present) {
      s.m.uart[i] = model::reset_uart(i, true);
      report.note(fmt::format("uart[{}]", i), Carry::approximate,
                  fmt::format("the source had no COM{}; Palacios's SERIAL device always has four ports, so it is "
                              "written at its reset state",
                              i + 1));
    }
  const std::uint64_t tsc = m.platform.time.tsc_hz ? m.platform.time.tsc_hz : kDefaultTscHz;
  if (!m.platform.time.tsc_hz)
    report.note("platform.time.tsc_hz", Carry::approximate,
                fmt::format("unknown: the PIT is paced for a {} Hz host", kDefaultTscHz));
  s.pit_reload = std::max<std::uint64_t>(1, tsc / kPitHz);
  s.pit_counter = s.pit_reload;  // the phase within a PIT clock is not in the model
  if (const auto& pc = m.i8042.pending_command)
    if (*pc != 0x60 && *pc != 0xa5 && *pc != 0xd1 && *pc != 0xd2 && *pc != 0xd3 && *pc != 0xd4)
      report.note("i8042.pending_command", Carry::none,
                  fmt::format("Palacios has no state for command {:#04x} awaiting data", *pc));
  return s;
}


}  // namespace

Target target_from_skeleton(const fs::path& dir) {
  const Store store = detect_store(dir);
  const auto list = list_contexts(dir);
  const std::set<std::string, std::less<>> contexts(list.begin(), list.end());
  Target t;
  t.skeleton = dir;
  std::size_t cores = 0;
  while (has(contexts, guest_info(cores))) ++cores;
  t.cores = cores;
  if (has(contexts, kMemoryContext)) {
    auto in = open_context(dir, kMemoryContext, store);
    const MemoryLayout layout = read_memory_layout(*in);
    t.region_size = layout.region_size;
    t.num_regions = layout.num_regions;
    t.ram_size = std::uint64_t{layout.num_regions} * layout.region_size;
  }
  if (has(contexts, kDevices)) {
    const auto names = read_device_names(dir, store, contexts);
    for (auto it = names.rbegin(); it != names.rend(); ++it) {  // back to creation order
      const auto tag = first_tag(dir, *it, store);
      const DeviceClass* cls = tag ? device_class_by_first_tag(*tag) : nullptr;
      t.devices.push_back({cls ? std::string(cls->xml_class) : std::string(), *it});
    }
  }
  return t;
}

void write_machine(const model::Machine& m, const fs::path& dir, const Target& target, Report& report) {
  model::require_valid(m);
  const std::size_t cores = m.cpu.size();
  if (target.cores && *target.cores != cores)
    throw UsageError(fmt::format("the target VM has {} cores, the checkpoint {}: Palacios loads one guest_info per "
                                 "core of the loading VM",
                                 *target.cores, cores));
  State s = prepare(m, report);

  // Checked up front so that nothing is written on error.
  std::vector<std::pair<std::string, const DeviceClass*>> devices;  // creation order
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

  // What the skeleton contributes: per-core VMCB control areas or VMCS pages, and every context
  // cptx does not write itself (unmapped devices, IDE/PCI extended contexts), copied as they are.
  std::optional<Store> skel_store;
  std::set<std::string, std::less<>> skel;
  bool vmx = false;
  if (!target.skeleton.empty()) {
    skel_store = detect_store(target.skeleton);
    const auto list = list_contexts(target.skeleton);
    skel.insert(list.begin(), list.end());
    vmx = has(skel, vmcs_data(0)) && !has(skel, vmcb_data(0));
    for (std::size_t i = 0; i < cores && !vmx; ++i)
      if (has(skel, vmcb_data(i))) {
        State t;
        t.m.cpu.resize(cores);
        t.core.resize(cores);
        read_table(target.skeleton, vmcb_data(i), *skel_store, vmcb_fields(i), t);
        s.core[i].vmcb = t.core[i].vmcb;
      }
  }

  // Both outputs are claimed before anything is written, so that an existing one stops the translation
  // with nothing written; the dump is committed just before the checkpoint. RAM the target's regions
  // cannot hold is refused first (write_memory does so for memory_img).
  if (!target.raw_memory.empty()) regions_for_ram(m.memory, {target.region_size, target.num_regions});
  std::optional<AtomicOutput> dump;
  if (!target.raw_memory.empty()) dump.emplace(target.raw_memory, AtomicOutput::Kind::file, target.force);
  CheckpointWriter out(dir, target.store, target.force);
  std::vector<State::Note> notes;
  if (dump) {
    write_raw_memory(m.memory, *dump, std::max(ram_end(m.memory), target.ram_size), notes);
  } else {
    write_memory(out.begin_context(kMemoryContext), m.memory, {target.region_size, target.num_regions}, notes);
  }

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
  std::set<std::string, std::less<>> written = {std::string(kMemoryContext), std::string(kDevices), std::string(kHeader)};
  for (auto it = devices.rbegin(); it != devices.rend(); ++it) {
    if (!it->second) continue;  // copied from the skeleton below
    write_fields(out.begin_context(it->first), it->second->fields(cores), s);
    written.insert(it->first);
  }
  for (const auto& name : skel)
    if (!written.contains(name) && !is_core_context(name)) {
      auto in = open_context(target.skeleton, name, *skel_store);
      copy_entries(*in, out.begin_context(name));
      report.note("palacios:" + name, Carry::approximate, fmt::format("context {} copied from the skeleton", name));
    }

  const std::string_view header = vmx ? kVmxHeader : kSvmHeader;
  out.begin_context(kHeader).put("header", std::span(reinterpret_cast<const std::uint8_t*>(header.data()), header.size()));
  for (std::size_t i = 0; i < cores; ++i) {
    write_fields(out.begin_context(guest_info(i)), guest_info_fields(i), s);
    if (vmx) {
      if (!has(skel, vmcs_data(i))) missing(target.skeleton, vmcs_data(i), "the skeleton is an Intel VMX checkpoint");
      auto in = open_context(target.skeleton, vmcs_data(i), *skel_store);
      copy_entries(*in, out.begin_context(vmcs_data(i)));
    } else {
      write_fields(out.begin_context(vmcb_data(i)), vmcb_fields(i), s);
    }
  }
  if (dump) {
    dump->commit();
    report.note("memory", Carry::exact,
                fmt::format("RAM written to the raw dump {}, not to the checkpoint: load the checkpoint with option 1 "
                            "(skip memory) after writing the dump into the VM (v3_guest_mem_access ... write 0 SIZE)",
                            target.raw_memory.string()));
  }
  out.commit();
  for (const auto& n : notes) report.note(n.path, n.carry, n.text);
  if (vmx) {
    report.note("palacios:vmcs_data", Carry::approximate,
                "vmcs_data copied from the skeleton: Palacios would load the skeleton's registers from it (P13); "
                "load with option 8 (skip arch-dependent state)");
    for (std::size_t i = 0; i < cores; ++i)
      if (m.cpu[i].events != model::Events{})
        report.note(fmt::format("cpu[{}].events", i), Carry::none,
                    "an Intel checkpoint keeps them in the VMCS, which is opaque and copied from the skeleton");
  } else if (target.skeleton.empty()) {
    report.note("palacios:vmcb_data", Carry::approximate,
                "the VMCB control area is zero but for the pending event and interrupt shadow (it is host-bound, "
                "P10); load with option 8 to keep the loading VM's own, which also drops those, or give --skeleton");
  }
}

namespace {

bool detect(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && (fs::is_regular_file(p / "header", ec) || fs::is_regular_file(p / "guest_info0", ec));
}

model::Machine read(const fs::path& p, const ReadOptions& opts, Report& report) { return read_machine(p, report, opts); }

void write(const model::Machine& m, const fs::path& p, const WriteOptions& opts, Report& report) {
  if (!opts.skeleton.empty() && !opts.target_config.empty())
    throw UsageError("give either --skeleton or --target-config, not both");
  Target t;
  if (!opts.skeleton.empty()) {
    t = target_from_skeleton(opts.skeleton);
  } else if (!opts.target_config.empty()) {
    VmConfig cfg = read_vm_config(opts.target_config);
    t.devices = std::move(cfg.devices);
    t.cores = cfg.cores;
    if (cfg.memory) {
      io::check_ram_size(*cfg.memory, opts.target_config.string() + ": vm/memory", opts.max_ram, p);
      t.num_regions = regions_for(*cfg.memory, t.region_size);
      t.ram_size = *cfg.memory;
    }
  } else {
    t.devices = default_devices();
  }
  t.force = opts.force;
  t.raw_memory = opts.raw_memory;
  if (opts.store == "file") t.store = Store::file;
  else if (opts.store.empty() || opts.store == "textfile") t.store = Store::textfile;
  else throw UsageError(fmt::format("--store {}: Palacios stores are textfile and file", opts.store));
  write_machine(m, p, t, report);
}

constexpr std::string_view options[] = {"--store", "--skeleton", "--target-config", "--output-raw-memory"};
constexpr std::string_view read_options[] = {"raw-memory", "config"};

}  // namespace

}  // namespace cptx::palacios

namespace cptx {
const Codec palacios_codec{"palacios", "Palacios VMM checkpoint directory (textfile: or file: store)",
                           palacios::coverage(), palacios::options, palacios::detect, palacios::read,
                           palacios::write, palacios::read_options,
                           // the TSC is the host's, and the APIC timer counts host cycles
                           {{ClockRate::Kind::host}, {ClockRate::Kind::host}}};
}
