// The per-core contexts of a checkpoint: guest_info<i> (§2.5) and either vmcb_data<i> (SVM, §2.6) or
// vmcs_data<i> (VMX, opaque). The tables of their entries are in core.cpp.
#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/contexts.hpp"
#include "codecs/palacios/vmcb_events.hpp"
#include "reports/report.hpp"

namespace cptx::palacios {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kVmcbSize = 4096;

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
      s.notes.push_back({path, Carry::approximated,
                         fmt::format("run_state {} ({}): Palacios starts this core afresh", c.run_state,
                                     c.run_state == 0 ? "CORE_INVALID" : "CORE_RESETTING")});
      break;
    default:
      throw InputError({(dir / guest_info(i)).string(), std::nullopt, std::nullopt, "run_state"},
                       fmt::format("run_state {} out of range 0-3", c.run_state));
  }
}

}  // namespace

std::string guest_info(std::size_t i) { return fmt::format("guest_info{}", i); }
std::string vmcb_data(std::size_t i) { return fmt::format("vmcb_data{}", i); }
std::string vmcs_data(std::size_t i) { return fmt::format("vmcs_data{}", i); }

std::size_t count_cores(const ContextSet& contexts) {
  std::size_t cores = 0;
  while (contexts.contains(guest_info(cores))) ++cores;
  return cores;
}

bool is_core_context(std::string_view name) {
  for (std::string_view prefix : {"guest_info", "vmcb_data", "vmcs_data"})
    if (name.starts_with(prefix) && name.size() > prefix.size() &&
        name.substr(prefix.size()).find_first_not_of("0123456789") == std::string_view::npos)
      return true;
  return false;
}

void read_cores(const fs::path& dir, Store store, const ContextSet& contexts, State& s) {
  for (std::size_t i = 0; i < s.m.cpu.size(); ++i) {
    read_table(dir, guest_info(i), store, guest_info_fields(i), s);
    if (contexts.contains(vmcb_data(i))) {
      read_table(dir, vmcb_data(i), store, vmcb_fields(i), s);
    } else if (contexts.contains(vmcs_data(i))) {
      // The VMCS layout is processor-specific (§3.12.4): nothing in it can be read.
      Fields f = {{"vmcs_data", kVmcbSize, "", nullptr, [](State&, std::span<const std::uint8_t>) {}}};
      read_table(dir, vmcs_data(i), store, f, s);
    }
    resolve_core(s, i, dir);
    const std::string p = fmt::format("cpu[{}]", i);
    if (!contexts.contains(vmcb_data(i)))
      for (const char* f : {".msr.cstar", ".msr.sysenter_cs", ".msr.sysenter_esp", ".msr.sysenter_eip", ".msr.pat",
                            ".events"})
        s.notes.push_back({p + f, Carry::none, "only the SVM vmcb_data context holds it; this checkpoint has none"});
  }
}

void prepare_cores(State& s, Report& report) {
  s.core.resize(s.m.cpu.size());
  for (std::size_t i = 0; i < s.m.cpu.size(); ++i) {
    const model::Cpu& c = s.m.cpu[i];
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
      report.note(p + ".activity", Carry::approximated, "Palacios has no halted run state: saved as running");
    if (c.fpu.fcs || c.fpu.fds)
      report.note(p + ".fpu.fcs", Carry::none, "the 64-bit FXSAVE format Palacios uses has no FCS/FDS");
    if (c.cr.cr8 != (c.lapic.tpr >> 4))
      report.note(p + ".cr.cr8", Carry::approximated, "Palacios derives CR8 from the APIC TPR");
  }
}

bool take_skeleton_vmcbs(const fs::path& skeleton, Store store, const ContextSet& contexts, State& s) {
  const std::size_t cores = s.m.cpu.size();
  if (contexts.contains(vmcs_data(0)) && !contexts.contains(vmcb_data(0))) return true;
  for (std::size_t i = 0; i < cores; ++i)
    if (contexts.contains(vmcb_data(i))) {
      State t;
      t.m.cpu.resize(cores);
      t.core.resize(cores);
      read_table(skeleton, vmcb_data(i), store, vmcb_fields(i), t);
      s.core[i].vmcb = t.core[i].vmcb;
    }
  return false;
}

void write_cores(CheckpointWriter& out, const State& s, bool vmx, const fs::path& skeleton,
                 std::optional<Store> skeleton_store, const ContextSet& skeleton_contexts, Report& report) {
  const std::size_t cores = s.m.cpu.size();
  for (std::size_t i = 0; i < cores; ++i) {
    write_fields(out.begin_context(guest_info(i)), guest_info_fields(i), s);
    if (vmx) {
      if (!skeleton_contexts.contains(vmcs_data(i)))
        missing(skeleton, vmcs_data(i), "the skeleton is an Intel VMX checkpoint");
      auto in = open_context(skeleton, vmcs_data(i), *skeleton_store);
      copy_entries(*in, out.begin_context(vmcs_data(i)));
    } else {
      write_fields(out.begin_context(vmcb_data(i)), vmcb_fields(i), s);
    }
  }
  if (vmx) {
    report.note("palacios:vmcs_data", Carry::approximated,
                "vmcs_data copied from the skeleton: Palacios would load the skeleton's registers from it (P13); "
                "load with option 8 (skip arch-dependent state)");
    for (std::size_t i = 0; i < cores; ++i)
      if (s.m.cpu[i].events != model::Events{})
        report.note(fmt::format("cpu[{}].events", i), Carry::none,
                    "an Intel checkpoint keeps them in the VMCS, which is opaque and copied from the skeleton");
  } else if (skeleton.empty()) {
    report.note("palacios:vmcb_data", Carry::approximated,
                "the VMCB control area is zero but for the pending event and interrupt shadow (it is host-bound, "
                "P10); load with option 8 to keep the loading VM's own, which also drops those, or give --skeleton");
  }
}

}  // namespace cptx::palacios
