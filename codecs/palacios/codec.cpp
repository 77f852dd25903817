#include "codecs/palacios/codec.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/ram_limit.hpp"
#include "codecs/mapping.hpp"
#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/contexts.hpp"
#include "codecs/palacios/memory.hpp"
#include "codecs/io/text.hpp"
#include "codecs/palacios/tables.hpp"
#include "codecs/palacios/vm_config.hpp"
#include "model/power_on.hpp"
#include "model/validate.hpp"
#include "reports/report.hpp"

namespace cptx::palacios {

namespace fs = std::filesystem;

void missing(const fs::path& dir, std::string_view name, std::string_view why) {
  throw InputError({dir.string(), std::nullopt, std::nullopt, std::string(name)},
                   fmt::format("missing context {}: {}", name, why));
}

void read_table(const fs::path& dir, std::string_view name, Store store, const Fields& fields, State& s) {
  auto in = open_context(dir, name, store);
  read_fields(*in, fields, s);
}

std::vector<TargetDevice> default_devices() {
  std::vector<TargetDevice> d;
  for (const auto& c : device_classes()) d.push_back({std::string(c.xml_class), std::string(c.default_id)});
  return d;
}

model::Machine read_machine(const fs::path& dir, Report& report, const ReadOptions& opts) {
  const Store store = detect_store(dir);
  const auto list = list_contexts(dir);
  const ContextSet contexts(list.begin(), list.end());

  const std::size_t cores = count_cores(contexts);
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

  if (!contexts.contains(kHeader)) missing(dir, kHeader, "Palacios always saves it");
  {
    auto in = open_context(dir, kHeader, store);
    std::string header;
    Fields f = {{"header", kSvmHeader.size(), "platform.source_detail", nullptr,
                 [&header](State&, std::span<const std::uint8_t> v) { header.assign(v.begin(), v.end()); }}};
    read_fields(*in, f, s);
    s.m.platform.source_detail = fmt::format("Palacios checkpoint, header '{}'", io::printable(header));
  }

  read_cores(dir, store, contexts, s);
  const ContextSet listed = read_devices(dir, store, contexts, config, opts.config, s, report);
  // Contexts no table reads: IDE and PCI (saved, never loaded, P1), cores beyond a gap, debris.
  for (const auto& name : contexts) {
    bool core = false;
    for (std::size_t i = 0; i < cores && !core; ++i)
      core = name == guest_info(i) || name == vmcb_data(i) || name == vmcs_data(i);
    if (!core && !listed.contains(name) && name != kDevices && name != kHeader && name != kMemoryContext)
      report.note("palacios:" + name, Carry::none, fmt::format("context '{}' is not translated", io::printable(name)));
  }
  read_ram(dir, store, contexts, opts, config, s.m, report);

  model::derive(s.m);
  if (const auto problems = model::validate(s.m); !problems.empty())
    throw InputError({dir.string(), std::nullopt, std::nullopt, problems.front().path}, problems.front().message);
  for (const auto& n : s.notes) report.note(n.path, n.carry, n.text);
  return s.m;
}

Target target_from_skeleton(const fs::path& dir) {
  const Store store = detect_store(dir);
  const auto list = list_contexts(dir);
  const ContextSet contexts(list.begin(), list.end());
  Target t;
  t.skeleton = dir;
  t.cores = count_cores(contexts);
  if (contexts.contains(kMemoryContext)) {
    auto in = open_context(dir, kMemoryContext, store);
    const MemoryLayout layout = read_memory_layout(*in);
    t.region_size = layout.region_size;
    t.num_regions = layout.num_regions;
    t.ram_size = std::uint64_t{layout.num_regions} * layout.region_size;
  }
  if (contexts.contains(kDevices)) {
    const auto names = read_device_names(dir, store, contexts);
    for (auto it = names.rbegin(); it != names.rend(); ++it) {  // back to creation order
      const DeviceClass* cls = class_of_context(dir, *it, store);
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
  // The state the tables write, with every Palacios-only value chosen and every loss noted.
  State s;
  s.m = m;
  prepare_cores(s, report);
  prepare_devices(s, report);
  // Checked up front so that nothing is written on error.
  const PlannedDevices devices = plan_devices(target, report);

  // What the skeleton contributes: per-core VMCB control areas or VMCS pages, and every context
  // cptx does not write itself (unmapped devices, IDE/PCI extended contexts), copied as they are.
  std::optional<Store> skel_store;
  ContextSet skel;
  bool vmx = false;
  if (!target.skeleton.empty()) {
    skel_store = detect_store(target.skeleton);
    const auto list = list_contexts(target.skeleton);
    skel.insert(list.begin(), list.end());
    vmx = take_skeleton_vmcbs(target.skeleton, *skel_store, skel, s);
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

  ContextSet written = write_devices(out, devices, s);
  written.insert(std::string(kMemoryContext));
  written.insert(std::string(kHeader));
  for (const auto& name : skel)
    if (!written.contains(name) && !is_core_context(name)) {
      auto in = open_context(target.skeleton, name, *skel_store);
      copy_entries(*in, out.begin_context(name));
      report.note("palacios:" + name, Carry::approximated, fmt::format("context {} copied from the skeleton", name));
    }

  const std::string_view header = vmx ? kVmxHeader : kSvmHeader;
  out.begin_context(kHeader).put("header", std::span(reinterpret_cast<const std::uint8_t*>(header.data()), header.size()));
  write_cores(out, s, vmx, target.skeleton, skel_store, skel, report);
  if (dump) {
    dump->commit();
    report.note("memory", Carry::exact,
                fmt::format("RAM written to the raw dump {}, not to the checkpoint: load the checkpoint with option 1 "
                            "(skip memory) after writing the dump into the VM (v3_guest_mem_access ... write 0 SIZE)",
                            target.raw_memory.string()));
  }
  out.commit();
  for (const auto& n : notes) report.note(n.path, n.carry, n.text);
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

// The platform as read_machine() and write_machine() above map it.
constexpr CoverageRule platform_rows[] = {
    {"platform.source", Carry::none, "not stored; set to palacios on read"},
    {"platform.source_detail", Carry::approximated, "the header text on read; not written"},
    {"platform.cpu_count", Carry::exact, "one guest_info context per core"},
    {"platform.time.guest_ns", Carry::none, "Palacios saves no time state (P15)"},
    {"platform.time.guest_sub_ns", Carry::none, "Palacios saves no time state (P15)"},
    {"platform.time.tsc_hz", Carry::approximated, "implied by PIT_RELOAD (host cycles per PIT clock), rounded to whole cycles"},
    {"platform.time.lapic_timer_hz", Carry::approximated, "Palacios's APIC timer counts host cycles: taken to equal tsc_hz"},
    {"rtc", Carry::none, "Palacios cannot checkpoint the NVRAM (RTC/CMOS) device: it stays as initialised"},
};

// The rows of a context's table, each at its entry (if it has one) and with what its rule says.
void cover_fields(mapping::Coverage& c, std::string_view context, const Fields& fields) {
  for (const Field& f : fields) {
    if (f.path.empty()) continue;
    std::string text(f.rule.text);
    if (!f.tag.empty()) {
      const std::string entry = fmt::format("{} entry {} ({} byte{})", context, f.tag, f.size, f.size == 1 ? "" : "s");
      text = text.empty() ? entry : entry + ": " + text;
    }
    c.mapped(schema_path(f.path), f.rule.carry, std::move(text));
  }
}

}  // namespace

std::span<const CoverageRule> coverage() {
  static const mapping::Coverage derived = [] {
    mapping::Coverage c;
    c.declare(platform_rows).declare(memory_rows());
    cover_fields(c, "guest_info<core>", guest_info_fields(0));
    cover_fields(c, "SVM vmcb_data<core>", vmcb_fields(0));
    for (const DeviceClass& d : device_classes()) {
      c.mapped(std::string(d.model_path), Carry::exact, fmt::format("{} context", d.xml_class));
      cover_fields(c, d.xml_class, d.fields(1));
    }
    return c;
  }();
  return derived.rules();
}

}  // namespace cptx::palacios

namespace cptx {
const Codec palacios_codec{"palacios", "Palacios VMM checkpoint directory (textfile: or file: store)",
                           palacios::coverage(), palacios::options, palacios::detect, palacios::read,
                           palacios::write, palacios::read_options,
                           // the TSC is the host's, and the APIC timer counts host cycles
                           {{ClockRate::Kind::host}, {ClockRate::Kind::host}}};
}
