#include "codecs/qemu/sections.hpp"

#include <fmt/format.h>

namespace cptx::qemu::layout {

namespace {

// Elements of a struct array, declared flattened: `prefix[i].member` for each member.
void struct_array(std::vector<Field>& out, std::string_view prefix, unsigned n, const std::vector<Field>& members) {
  for (unsigned i = 0; i < n; ++i)
    for (const Field& m : members) out.push_back({fmt::format("{}[{}].{}", prefix, i, m.name), m.width, m.count});
}

// Struct `segment` v1 (spec §5.3.1): selector, base, limit, flags.
const std::vector<Field> segment = {{"selector", 4}, {"base", 8}, {"limit", 4}, {"flags", 4}};

Schema u64_sub(std::string_view name, std::uint32_t version = 1) { return {name, version, {{"value", 8}}, {}}; }
Schema u32_sub(std::string_view name, std::uint32_t version = 1) { return {name, version, {{"value", 4}}, {}}; }

Schema make_cpu() {
  std::vector<Field> f = {{"env.regs", 8, 16}, {"env.eip", 8},          {"env.eflags", 8},
                          {"env.hflags", 4},   {"env.fpuc", 2},         {"env.fpus_vmstate", 2},
                          {"env.fptag_vmstate", 2}, {"env.fpregs_format_vmstate", 2}};
  // x87 registers by physical index: be64 significand, be16 sign and exponent (§5.3.3).
  struct_array(f, "env.fpregs", 8, {{"mant", 8}, {"exp", 2}});
  struct_array(f, "env.segs", 6, segment);
  for (const char* s : {"env.ldt", "env.tr", "env.gdt", "env.idt"})
    for (const Field& m : segment) f.push_back({fmt::format("{}.{}", s, m.name), m.width});
  const std::vector<Field> rest = {
      {"env.sysenter_cs", 4}, {"env.sysenter_esp", 8}, {"env.sysenter_eip", 8}, {"env.cr[0]", 8},
      {"env.cr[2]", 8}, {"env.cr[3]", 8}, {"env.cr[4]", 8}, {"env.dr", 8, 8}, {"env.a20_mask", 4},
      {"env.mxcsr", 4},
      {"env.xmm_regs[0]", 8, 32},  // XMM0..15: bits 63:0, then 127:64
      {"env.efer", 8}, {"env.star", 8}, {"env.lstar", 8}, {"env.cstar", 8}, {"env.fmask", 8},
      {"env.kernelgsbase", 8}, {"env.smbase", 4}, {"env.pat", 8}, {"env.hflags2", 4}, {"env.vm_hsave", 8},
      {"env.vm_vmcb", 8}, {"env.tsc_offset", 8}, {"env.intercept", 8}, {"env.intercept_cr_read", 2},
      {"env.intercept_cr_write", 2}, {"env.intercept_dr_read", 2}, {"env.intercept_dr_write", 2},
      {"env.intercept_exceptions", 4}, {"env.v_tpr", 1}, {"env.mtrr_fixed", 8, 11}, {"env.mtrr_deftype", 8},
      {"env.mtrr_var", 8, 16},  // base, mask pairs
      {"env.interrupt_injected", 4}, {"env.mp_state", 4}, {"env.tsc", 8}, {"env.exception_nr", 4},
      {"env.soft_interrupt", 1}, {"env.nmi_injected", 1}, {"env.nmi_pending", 1}, {"env.has_error_code", 1},
      {"env.sipi_vector", 4}, {"env.mcg_cap", 8}, {"env.mcg_status", 8}, {"env.mcg_ctl", 8},
      {"env.mce_banks", 8, 40}, {"env.tsc_aux", 8}, {"env.system_time_msr", 8}, {"env.wall_clock_msr", 8},
      {"env.xcr0", 8}, {"env.xstate_bv", 8},
      {"env.xmm_regs[1]", 8, 32},  // YMM0..15 upper halves
  };
  f.insert(f.end(), rest.begin(), rest.end());
  // Subsections in 7.2 list order (§5.3.5). Hyper-V and nested-virtualisation state are sized
  // from the stream's own description when they occur.
  std::vector<Schema> subs = {
      {"cpu/exception_info", 1, {{"pending", 1}, {"injected", 1}, {"has_payload", 1}, {"payload", 8}}, {}},
      u64_sub("cpu/async_pf_msr"),
      u64_sub("cpu/async_pf_int_msr"),
      u64_sub("cpu/async_pv_eoi_msr"),
      u64_sub("cpu/steal_time_msr"),
      u64_sub("cpu/poll_control_msr"),
      {"cpu/fpop_ip_dp", 1, {{"fop", 2}, {"fip", 8}, {"fdp", 8}}, {}},
      u64_sub("cpu/msr_tsc_adjust"),
      u64_sub("cpu/msr_tscdeadline"),
      u64_sub("cpu/msr_ia32_misc_enable"),
      u64_sub("cpu/msr_ia32_feature_control"),
      {"cpu/msr_architectural_pmu", 1, {{"value", 8, 4 + 3 + 18 + 18}}, {}},
      {"cpu/mpx", 1, {{"value", 8, 11}}, {}},
      {"cpu/avx512", 1, {{"value", 8, 8 + 64 + 128}}, {}},
      u64_sub("cpu/xss"),
      u32_sub("cpu/umwait"),
      u64_sub("cpu/tsc_khz"),
      u64_sub("cpu/msr_smi_count"),
      u32_sub("cpu/pkru"),
      u32_sub("cpu/pkrs"),
      u64_sub("cpu/spec_ctrl"),
      u64_sub("cpu/amd_tsc_scale_msr"),
      u64_sub("cpu/mcg_ext_ctl"),
      {"cpu/intel_pt", 1, {{"value", 8, 13}}, {}},
      u64_sub("cpu/virt_ssbd"),
      {"cpu/svn_npt", 1, {{"nested_cr3", 8}, {"nested_pg_mode", 4}}, {}},
      u32_sub("cpu/svm_guest"),
      u32_sub("cpu/msr_tsx_ctrl"),
      {"cpu/intel_sgx", 1, {{"value", 8, 4}}, {}},
      {"cpu/pdptrs", 1, {{"value", 8, 4}}, {}},
      {"cpu/msr_xfd", 1, {{"value", 8, 2}}, {}},
      {"cpu/intel_amx_xtile", 1, {{"value", 1, 64 + 8192}}, {}},
      {"cpu/arch_lbr", 1, {{"value", 8, 2 + 96}}, {}},
      {"cpu/triple_fault", 1, {{"value", 1}}, {}},
  };
  return {"cpu", 12, std::move(f), std::move(subs)};
}

Schema make_i8254() {
  std::vector<Field> f = {{"channels[0].irq_disabled", 4}};
  struct_array(f, "ch", 3,
               {{"count", 4}, {"latched_count", 2}, {"count_latched", 1}, {"status_latched", 1}, {"status", 1},
                {"read_state", 1}, {"write_state", 1}, {"write_latch", 1}, {"rw_mode", 1}, {"mode", 1},
                {"bcd", 1}, {"gate", 1}, {"count_load_time", 8}, {"next_transition_time", 8}});
  f.push_back({"channels[0].next_transition_time", 8});
  return {"i8254", 3, std::move(f), {}};
}

// Struct Fifo8 of a 16550's FIFO: the local capacity (16) of raw bytes, head, count.
const std::vector<Field> fifo8 = {{"data", 1, 16}, {"head", 4}, {"num", 4}};

// Struct `PS2 Common State` v3 (§5.11).
const std::vector<Field> ps2_common = {
    {"common.write_cmd", 4}, {"common.queue.rptr", 4}, {"common.queue.wptr", 4}, {"common.queue.count", 4},
    {"common.queue.data", 1, 256}};

std::vector<Field> with_common(std::vector<Field> tail) {
  std::vector<Field> f = ps2_common;
  f.insert(f.end(), tail.begin(), tail.end());
  return f;
}

}  // namespace

const Schema& timer() {
  static const Schema s{"timer", 2, {{"cpu_ticks_offset", 8}, {"unused", 1, 8}, {"cpu_clock_offset", 8}}, {}};
  return s;
}

const Schema& cpu_common() {
  static const Schema s{"cpu_common",
                        1,
                        {{"halted", 4}, {"interrupt_request", 4}},
                        {u32_sub("cpu_common/exception_index"), {"cpu_common/crash_occurred", 1, {{"value", 1}}, {}}}};
  return s;
}

const Schema& cpu() {
  static const Schema s = make_cpu();
  return s;
}

const Schema& apic() {
  static const Schema s{"apic",
                        3,
                        {{"apicbase", 4}, {"id", 1}, {"arb_id", 1}, {"tpr", 1}, {"spurious_vec", 4},
                         {"log_dest", 1}, {"dest_mode", 1}, {"isr", 4, 8}, {"tmr", 4, 8}, {"irr", 4, 8},
                         {"lvt", 4, 6}, {"esr", 4}, {"icr", 4, 2}, {"divide_conf", 4}, {"count_shift", 4},
                         {"initial_count", 4}, {"initial_count_load_time", 8}, {"next_time", 8},
                         {"timer_expiry", 8}},
                        {{"apic_sipi", 1, {{"sipi_vector", 4}, {"wait_for_sipi", 4}}, {}}}};
  return s;
}

const Schema& ioapic() {
  static const Schema s{
      "ioapic", 3, {{"id", 1}, {"ioregsel", 1}, {"unused", 1, 8}, {"irr", 4}, {"ioredtbl", 8, 24}}, {}};
  return s;
}

const Schema& i8259() {
  static const Schema s{"i8259",
                        1,
                        {{"last_irr", 1}, {"irr", 1}, {"imr", 1}, {"isr", 1}, {"priority_add", 1}, {"irq_base", 1},
                         {"read_reg_select", 1}, {"poll", 1}, {"special_mask", 1}, {"init_state", 1},
                         {"auto_eoi", 1}, {"rotate_on_auto_eoi", 1}, {"special_fully_nested_mode", 1},
                         {"init4", 1}, {"single_mode", 1}, {"elcr", 1}},
                        {}};
  return s;
}

const Schema& i8254() {
  static const Schema s = make_i8254();
  return s;
}

const Schema& pcspk() {
  static const Schema s{"pcspk", 1, {{"data_on", 1}, {"dummy_refresh_clock", 1}}, {}};
  return s;
}

// Section `serial` holds one struct field `state` (vmsd `serial` v3); its subsections follow its
// fields, which end the section.
const Schema& serial() {
  static const Schema s{"serial",
                        3,
                        {{"divider", 2}, {"rbr", 1}, {"ier", 1}, {"iir", 1}, {"lcr", 1}, {"mcr", 1}, {"lsr", 1},
                         {"msr", 1}, {"scr", 1}, {"fcr_vmstate", 1}},
                        {u32_sub("serial/thr_ipending"),
                         {"serial/tsr", 1, {{"tsr_retry", 4}, {"thr", 1}, {"tsr", 1}}, {}},
                         {"serial/recv_fifo", 1, fifo8, {}},
                         {"serial/xmit_fifo", 1, fifo8, {}},
                         u64_sub("serial/fifo_timeout_timer"),
                         u32_sub("serial/timeout_ipending"),
                         {"serial/poll", 1, {{"poll_msl", 4}, {"modem_status_poll", 8}}, {}}}};
  return s;
}

const Schema& mc146818rtc() {
  static const Schema s{"mc146818rtc",
                        3,
                        {{"cmos_data", 1, 128}, {"cmos_index", 1}, {"unused[0]", 1, 28}, {"periodic_timer", 8},
                         {"next_periodic_time", 8}, {"unused[1]", 1, 24}, {"irq_coalesced", 4}, {"period", 4},
                         {"base_rtc", 8}, {"last_update", 8}, {"offset", 8}, {"update_timer", 8},
                         {"next_alarm_time", 8}},
                        {{"mc146818rtc/irq_reinject_on_ack_count", 1, {{"value", 2}}, {}}}};
  return s;
}

// Section `pckbd` holds one struct field `kbd` (vmsd `pckbd` v3).
const Schema& pckbd() {
  static const Schema s{
      "pckbd",
      3,
      {{"write_cmd", 1}, {"status", 1}, {"mode", 1}, {"pending_tmp", 1}},
      {{"pckbd_outport", 1, {{"outport", 1}}, {}},
       {"pckbd/extended_state", 0, {{"migration_flags", 4}, {"obsrc", 4}, {"obdata", 1}, {"cbdata", 1}}, {}}}};
  return s;
}

const Schema& ps2kbd() {
  static const Schema s{"ps2kbd",
                        3,
                        with_common({{"scan_enabled", 4}, {"translate", 4}, {"scancode_set", 4}}),
                        {u32_sub("ps2kbd/ledstate", 2),
                         {"ps2kbd/need_high_bit", 1, {{"value", 1}}, {}},
                         u32_sub("ps2kbd/command_reply_queue", 0)}};
  return s;
}

const Schema& ps2mouse() {
  static const Schema s{"ps2mouse",
                        2,
                        with_common({{"mouse_status", 1}, {"mouse_resolution", 1}, {"mouse_sample_rate", 1},
                                     {"mouse_wrap", 1}, {"mouse_type", 1}, {"mouse_detect_state", 1},
                                     {"mouse_dx", 4}, {"mouse_dy", 4}, {"mouse_dz", 4}, {"mouse_buttons", 1}}),
                        {u32_sub("ps2mouse/command_reply_queue", 0)}};
  return s;
}

const Schema* of(std::string_view idstr) {
  for (const Schema* s : {&timer(), &cpu_common(), &cpu(), &apic(), &ioapic(), &i8259(), &i8254(), &pcspk(),
                          &serial(), &mc146818rtc(), &pckbd(), &ps2kbd(), &ps2mouse()})
    if (s->name == idstr) return s;
  return nullptr;
}

}  // namespace cptx::qemu::layout
