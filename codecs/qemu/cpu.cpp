// cpu_common, cpu and apic of every processor (spec §5.2-§5.4, §5.3.6 for pending events).
// Registers QEMU saves unchanged are Bind tables; segments (QEMU's flags layout), the x87 stack,
// hflags and the pending events need code, whose coverage rows are declared beside it (cover_cpus).
#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/qemu/bind.hpp"
#include "codecs/qemu/lapic.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {

namespace {

using model::Cpu;

// env.regs[] in QEMU's order: RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8..R15.
constexpr Bind<model::Gprs> gprs[] = {
    {"env.regs", 0, &model::Gprs::rax},  {"env.regs", 1, &model::Gprs::rcx},  {"env.regs", 2, &model::Gprs::rdx},
    {"env.regs", 3, &model::Gprs::rbx},  {"env.regs", 4, &model::Gprs::rsp},  {"env.regs", 5, &model::Gprs::rbp},
    {"env.regs", 6, &model::Gprs::rsi},  {"env.regs", 7, &model::Gprs::rdi},  {"env.regs", 8, &model::Gprs::r8},
    {"env.regs", 9, &model::Gprs::r9},   {"env.regs", 10, &model::Gprs::r10}, {"env.regs", 11, &model::Gprs::r11},
    {"env.regs", 12, &model::Gprs::r12}, {"env.regs", 13, &model::Gprs::r13}, {"env.regs", 14, &model::Gprs::r14},
    {"env.regs", 15, &model::Gprs::r15},
};

constexpr Bind<Cpu> cpu_fields[] = {
    {"env.eip", 0, &Cpu::rip},
    {"env.eflags", 0, &Cpu::rflags},
    {"env.efer", 0, &Cpu::efer},
    beside(&Cpu::cpl, mapping::defaulted("QEMU sets CPL from SS.DPL on load")),
};

constexpr Bind<model::ControlRegs> crs[] = {
    {"env.cr[0]", 0, &model::ControlRegs::cr0},
    {"env.cr[2]", 0, &model::ControlRegs::cr2},
    {"env.cr[3]", 0, &model::ControlRegs::cr3},
    {"env.cr[4]", 0, &model::ControlRegs::cr4},
    beside(&model::ControlRegs::cr8, mapping::defaulted("QEMU derives CR8 from the local APIC's TPR")),
};

// env.dr[4] and [5] are unused by TCG and copies of DR6/DR7 under KVM (§5.3.1).
constexpr Bind<model::DebugRegs> drs[] = {
    {"env.dr", 0, &model::DebugRegs::dr0}, {"env.dr", 1, &model::DebugRegs::dr1},
    {"env.dr", 2, &model::DebugRegs::dr2}, {"env.dr", 3, &model::DebugRegs::dr3},
    {"env.dr", 6, &model::DebugRegs::dr6}, {"env.dr", 7, &model::DebugRegs::dr7},
};

constexpr Bind<model::Msrs> msrs[] = {
    {"env.star", 0, &model::Msrs::star},
    {"env.lstar", 0, &model::Msrs::lstar},
    {"env.cstar", 0, &model::Msrs::cstar},
    {"env.fmask", 0, &model::Msrs::sfmask},
    {"env.kernelgsbase", 0, &model::Msrs::kernel_gs_base},
    {"env.sysenter_cs", 0, &model::Msrs::sysenter_cs},
    {"env.sysenter_esp", 0, &model::Msrs::sysenter_esp},
    {"env.sysenter_eip", 0, &model::Msrs::sysenter_eip},
    {"env.pat", 0, &model::Msrs::pat},
    {"env.tsc_aux", 0, &model::Msrs::tsc_aux},
    beside(&model::Msrs::tsc, mapping::transformed("under TCG one counter (timer.cpu_ticks_offset) serves every processor")),
    beside(&model::Msrs::apic_base, mapping::transformed("the apic section keeps the low 32 bits")),
};

// The x87 registers need code (read_cpus, write_cpus below); of the FPU's pointers QEMU saves the offsets only.
constexpr Bind<model::X87> fpu_fields[] = {
    beside(&model::X87::fcs, mapping::not_held("not saved by QEMU")),
    beside(&model::X87::fds, mapping::not_held("not saved by QEMU")),
};

// Segment registers as QEMU's struct segment; flags hold descriptor bits 8-23 in place (§5.3.2).
// TCG keeps raw descriptor bits there too, hence the mask.
constexpr std::uint32_t segment_flag_bits = 0x00f0ff00;

void load_segment(const Record& r, const std::string& p, model::Segment& s) {
  s.selector = static_cast<std::uint16_t>(r.get(p + ".selector"));
  s.base = r.get(p + ".base");
  s.limit = static_cast<std::uint32_t>(r.get(p + ".limit"));
  const auto f = static_cast<std::uint32_t>(r.get(p + ".flags")) & segment_flag_bits;
  s.type = (f >> 8) & 0xf;
  s.s = (f >> 12) & 1;
  s.dpl = (f >> 13) & 3;
  s.present = (f >> 15) & 1;
  s.avl = (f >> 20) & 1;
  s.l = (f >> 21) & 1;
  s.db = (f >> 22) & 1;
  s.g = (f >> 23) & 1;
  s.unusable = !s.present;  // as KVM reads it back
}

void store_segment(const model::Segment& s, const std::string& p, Record& r) {
  r.set(p + ".selector", s.selector);
  r.set(p + ".base", s.base);
  r.set(p + ".limit", s.limit);
  r.set(p + ".flags", std::uint64_t{s.type} << 8 | std::uint64_t{s.s} << 12 | std::uint64_t{s.dpl} << 13 |
                          std::uint64_t{s.present} << 15 | std::uint64_t{s.avl} << 20 | std::uint64_t{s.l} << 21 |
                          std::uint64_t{s.db} << 22 | std::uint64_t{s.g} << 23);
}

// QEMU's order R_ES, R_CS, R_SS, R_DS, R_FS, R_GS.
model::Segment* seg_of(model::Segments& s, std::size_t i) {
  model::Segment* order[] = {&s.es, &s.cs, &s.ss, &s.ds, &s.fs, &s.gs};
  return order[i];
}

std::string seg_name(std::size_t i) { return fmt::format("env.segs[{}]", i); }

// hflags bits (§5.3.4).
constexpr std::uint32_t hf_inhibit_irq = 1u << 3, hf_cs32 = 1u << 4, hf_ss32 = 1u << 5, hf_addseg = 1u << 6,
                        hf_pe = 1u << 7, hf_osfxsr = 1u << 22, hf_lma = 1u << 14, hf_cs64 = 1u << 15,
                        hf_svme = 1u << 20, hf_smap = 1u << 23, hf_umip = 1u << 27;
constexpr std::uint32_t hf2_nmi = 1u << 2;

// TCG trusts hflags on load, so it is derived from the architectural state as QEMU does when
// the guest changes it (only CPL is recomputed on load).
std::uint32_t hflags_of(const Cpu& c) {
  std::uint32_t h = c.cpl & 3u;
  if (c.events.shadow != model::InterruptShadow::none) h |= hf_inhibit_irq;
  if (c.cr.cr0 & 1) h |= hf_pe;
  h |= static_cast<std::uint32_t>(c.cr.cr0 << 8) & (7u << 9);       // MP, EM, TS
  h |= static_cast<std::uint32_t>(c.rflags) & (1u << 8 | 3u << 12 | 1u << 17);  // TF, IOPL, VM
  if (c.cr.cr4 & (1u << 9)) h |= hf_osfxsr;
  if (c.cr.cr4 & (1u << 21)) h |= hf_smap;
  if (c.cr.cr4 & (1u << 11)) h |= hf_umip;
  if (c.efer & (1u << 12)) h |= hf_svme;
  const bool lma = c.efer & (1u << 10);
  if (lma) h |= hf_lma;
  const auto& s = c.segments;
  if (lma && s.cs.l) {
    h |= hf_cs32 | hf_ss32 | hf_cs64;
  } else {
    if (s.cs.db) h |= hf_cs32;
    if (s.ss.db) h |= hf_ss32;
    const bool flat_capable = (c.cr.cr0 & 1) && !(c.rflags & (1u << 17)) && (h & hf_cs32);
    if (!flat_capable || (s.ds.base | s.es.base | s.ss.base) != 0) h |= hf_addseg;
  }
  return h;
}

// cpu_common.interrupt_request bits (§5.2).
constexpr std::uint32_t ir_hard = 0x2, ir_smi = 0x40, ir_nmi = 0x200, ir_init = 0x400;
constexpr std::uint64_t misc_enable_default = 1;  // fast strings, QEMU's reset value
constexpr std::uint64_t xcr0_x87 = 1, xcr0_sse = 2, cr4_osxsave = 1u << 18;

std::int64_t as_i32(std::uint64_t v) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(v)); }

}  // namespace

void read_cpus(const Stream& s, const Clocks& clk, model::Machine& m, Report& report) {
  const auto cpus = s.all("cpu");
  const auto apics = s.all("apic");
  if (cpus.empty()) throw InputError({s.path, 0}, "the stream has no cpu section");
  if (cpus.size() > model::max_cpus) throw InputError({s.path, cpus[0]->offset}, "more processors than the model holds");
  if (apics.size() != cpus.size())
    throw InputError({s.path, cpus[0]->offset}, fmt::format("{} cpu sections but {} apic sections", cpus.size(), apics.size()));
  m.cpu.assign(cpus.size(), Cpu{});
  for (std::size_t i = 0; i < cpus.size(); ++i) {
    const Record& r = cpus[i]->record;
    const Record& common = need(s, "cpu_common", cpus[i]->instance, fmt::format("cpu[{}]", i));
    Cpu& c = m.cpu[i];
    const std::string at = fmt::format("cpu[{}]", i);
    load<model::Gprs>(r, c.regs, gprs);
    load<Cpu>(r, c, cpu_fields);
    load<model::ControlRegs>(r, c.cr, crs);
    load<model::DebugRegs>(r, c.dr, drs);
    load<model::Msrs>(r, c.msr, msrs);
    const auto hflags = static_cast<std::uint32_t>(r.get("env.hflags"));
    c.cpl = hflags & 3;
    for (std::size_t k = 0; k < 6; ++k) load_segment(r, seg_name(k), *seg_of(c.segments, k));
    load_segment(r, "env.ldt", c.segments.ldtr);
    load_segment(r, "env.tr", c.segments.tr);
    c.gdtr = {r.get("env.gdt.base"), static_cast<std::uint16_t>(r.get("env.gdt.limit"))};
    c.idtr = {r.get("env.idt.base"), static_cast<std::uint16_t>(r.get("env.idt.limit"))};
    c.msr.mtrr.def_type = r.get("env.mtrr_deftype");
    for (std::size_t k = 0; k < 11; ++k) c.msr.mtrr.fixed[k] = r.get("env.mtrr_fixed", k);
    for (std::size_t k = 0; k < 8; ++k) c.msr.mtrr.var[k] = {r.get("env.mtrr_var", 2 * k), r.get("env.mtrr_var", 2 * k + 1)};
    const Record* misc = r.sub("cpu/msr_ia32_misc_enable");
    c.msr.misc_enable = misc ? misc->get("value") : misc_enable_default;

    // Time-stamp counter: TCG derives it from the frozen tick count, KVM saves it (§5.3.7).
    const Record* khz = r.sub("cpu/tsc_khz");
    const bool kvm_tsc = r.get("env.tsc") != 0 || khz;
    c.msr.tsc = kvm_tsc ? r.get("env.tsc") : static_cast<std::uint64_t>(clk.tcg_ticks) + r.get("env.tsc_offset");
    if (khz && i == 0) m.platform.time.tsc_hz = khz->get("value") * 1000;

    // x87: registers by physical index; the model lists them in stack order (§5.3.3).
    c.fpu.fcw = static_cast<std::uint16_t>(r.get("env.fpuc"));
    c.fpu.fsw = static_cast<std::uint16_t>(r.get("env.fpus_vmstate"));
    c.fpu.ftw = static_cast<std::uint8_t>(r.get("env.fptag_vmstate"));
    const unsigned top = (c.fpu.fsw >> 11) & 7;
    for (unsigned k = 0; k < 8; ++k) {
      const std::string p = fmt::format("env.fpregs[{}]", (top + k) & 7);
      const auto exp = static_cast<std::uint16_t>(r.get(p + ".exp"));
      c.fpu.st[k] = {r.get(p + ".mant"), static_cast<std::uint16_t>(exp & 0x7fff), (exp >> 15) != 0};
    }
    if (const Record* ip = r.sub("cpu/fpop_ip_dp")) {
      c.fpu.fop = static_cast<std::uint16_t>(ip->get("fop") & 0x7ff);
      c.fpu.fip = ip->get("fip");
      c.fpu.fdp = ip->get("fdp");
    }
    c.sse.mxcsr = static_cast<std::uint32_t>(r.get("env.mxcsr"));
    bool ymm = false;
    for (std::size_t k = 0; k < 16; ++k) {
      c.sse.xmm[k] = {r.get("env.xmm_regs[0]", 2 * k), r.get("env.xmm_regs[0]", 2 * k + 1)};
      ymm = ymm || r.get("env.xmm_regs[1]", 2 * k) || r.get("env.xmm_regs[1]", 2 * k + 1);
    }
    if (ymm) report.note(at + ".sse.xmm", Carry::approximated, "the YMM upper halves in the stream are not carried");
    if (r.get("env.xcr0") > (xcr0_x87 | xcr0_sse) || r.has("cpu/avx512") || r.has("cpu/pkru"))
      report.note(at + ".cr.cr4", Carry::approximated, "XCR0 and AVX/AVX-512/PKRU state in the stream are not carried");

    // Local APIC (its instance is the APIC id; processors and APICs pair up in order).
    read_lapic(apics[i]->record, clk, c.lapic, c.msr.apic_base);
    c.cr.cr8 = c.lapic.tpr >> 4;

    // Pending events: TCG keeps them in interrupt_request and hflags, KVM in the env fields.
    const auto ir = static_cast<std::uint32_t>(common.get("interrupt_request"));
    const auto hflags2 = static_cast<std::uint32_t>(r.get("env.hflags2"));
    auto& ev = c.events;
    if (const auto v = as_i32(r.get("env.interrupt_injected")); v >= 0) ev.interrupt = static_cast<std::uint8_t>(v);
    std::int64_t exc = as_i32(r.get("env.exception_nr"));
    if (const Record* e = common.sub("cpu_common/exception_index"); e && exc < 0) exc = as_i32(e->get("value"));
    if (exc >= 0 && exc < 32) {
      ev.exception = model::PendingException{static_cast<std::uint8_t>(exc), std::nullopt};
      if (r.get("env.has_error_code")) {
        ev.exception->error_code = 0;
        report.note(at + ".events.exception.error_code", Carry::approximated,
                    "QEMU 7.2 does not save the error code of a pending exception");
      }
    }
    ev.nmi_pending = r.get("env.nmi_pending") != 0 || (ir & ir_nmi);
    ev.nmi_blocked = hflags2 & hf2_nmi;
    ev.smi_pending = ir & ir_smi;
    ev.init_pending = ir & ir_init;
    ev.shadow = (hflags & hf_inhibit_irq) ? model::InterruptShadow::sti : model::InterruptShadow::none;
    const Record* sipi = apics[i]->record.sub("apic_sipi");
    ev.sipi_vector = static_cast<std::uint8_t>(sipi ? sipi->get("sipi_vector") : r.get("env.sipi_vector"));
    const auto mp_state = r.get("env.mp_state");
    if ((sipi && sipi->get("wait_for_sipi")) || mp_state == 1)
      c.activity = model::Activity::wait_for_sipi;
    else if (common.get("halted") || mp_state == 3)
      c.activity = model::Activity::halted;
  }
}

void write_cpus(const model::Machine& m, const Clocks& clk, std::span<const std::uint32_t> apic_instances,
                const RecordFor& out, Report& report) {
  for (std::size_t i = 0; i < m.cpu.size(); ++i) {
    const Cpu& c = m.cpu[i];
    const auto inst = static_cast<std::uint32_t>(i);
    const std::string at = fmt::format("cpu[{}]", i);
    Record& r = out(layout::cpu(), inst);
    store<model::Gprs>(c.regs, r, gprs);
    store<Cpu>(c, r, cpu_fields);
    store<model::ControlRegs>(c.cr, r, crs);
    store<model::DebugRegs>(c.dr, r, drs);
    r.set("env.dr", 0, 4);
    r.set("env.dr", 0, 5);
    store<model::Msrs>(c.msr, r, msrs);
    r.set("env.hflags", hflags_of(c));
    const auto hflags2 = static_cast<std::uint32_t>(r.get("env.hflags2"));
    r.set("env.hflags2", c.events.nmi_blocked ? (hflags2 | hf2_nmi) : (hflags2 & ~hf2_nmi));
    for (std::size_t k = 0; k < 6; ++k) {
      model::Segments segs = c.segments;
      store_segment(*seg_of(segs, k), seg_name(k), r);
    }
    store_segment(c.segments.ldtr, "env.ldt", r);
    store_segment(c.segments.tr, "env.tr", r);
    for (const char* t : {"env.gdt", "env.idt"}) {
      const auto& d = std::string(t) == "env.gdt" ? c.gdtr : c.idtr;
      store_segment({}, t, r);
      r.set(std::string(t) + ".base", d.base);
      r.set(std::string(t) + ".limit", d.limit);
    }
    r.set("env.mtrr_deftype", c.msr.mtrr.def_type);
    for (std::size_t k = 0; k < 11; ++k) r.set("env.mtrr_fixed", c.msr.mtrr.fixed[k], k);
    for (std::size_t k = 0; k < 8; ++k) {
      r.set("env.mtrr_var", c.msr.mtrr.var[k].base, 2 * k);
      r.set("env.mtrr_var", c.msr.mtrr.var[k].mask, 2 * k + 1);
    }
    // The A20 gate is the i8042 output port's bit 1 (port 92 and the CPU's mask follow it).
    r.set("env.a20_mask", (m.i8042.output_port & 2) ? 0xffffffffu : ~(1u << 20));
    // TCG reads the TSC from timer.cpu_ticks_offset; env.tsc is for a KVM destination (§5.3.7).
    r.set("env.tsc", c.msr.tsc);
    r.set("env.tsc_offset", 0);
    if (c.msr.tsc != m.cpu[0].msr.tsc)
      report.note(at + ".msr.tsc", Carry::approximated, "QEMU under TCG runs one time-stamp counter for all processors");

    r.set("env.fpuc", c.fpu.fcw);
    r.set("env.fpus_vmstate", c.fpu.fsw);
    r.set("env.fptag_vmstate", c.fpu.ftw);
    r.set("env.fpregs_format_vmstate", 0);
    const unsigned top = (c.fpu.fsw >> 11) & 7;
    for (unsigned k = 0; k < 8; ++k) {
      const std::string p = fmt::format("env.fpregs[{}]", (top + k) & 7);
      r.set(p + ".mant", c.fpu.st[k].significand);
      r.set(p + ".exp", std::uint64_t{c.fpu.st[k].exponent} | std::uint64_t{c.fpu.st[k].sign} << 15);
    }
    r.set("env.mxcsr", c.sse.mxcsr);
    for (std::size_t k = 0; k < 16; ++k) {
      r.set("env.xmm_regs[0]", c.sse.xmm[k].lo, 2 * k);
      r.set("env.xmm_regs[0]", c.sse.xmm[k].hi, 2 * k + 1);
      r.set("env.xmm_regs[1]", 0, 2 * k);
      r.set("env.xmm_regs[1]", 0, 2 * k + 1);
    }
    r.set("env.xcr0", (c.cr.cr4 & cr4_osxsave) ? (xcr0_x87 | xcr0_sse) : xcr0_x87);
    r.set("env.xstate_bv", xcr0_x87 | xcr0_sse);
    if (c.cr.cr4 & cr4_osxsave)
      report.note(at + ".cr.cr4", Carry::approximated, "the model holds no XCR0; x87 and SSE state were enabled");

    auto& ev = c.events;
    r.set("env.interrupt_injected", ev.interrupt ? *ev.interrupt : 0xffffffffu);
    r.set("env.exception_nr", ev.exception ? ev.exception->vector : 0xffffffffu);
    r.set("env.has_error_code", ev.exception && ev.exception->error_code);
    r.set("env.nmi_pending", ev.nmi_pending);
    r.set("env.sipi_vector", ev.sipi_vector);
    r.set("env.mp_state", 0);
    r.subsections.clear();
    Record& ip = add_subsection(r, layout::cpu(), "cpu/fpop_ip_dp");
    ip.set("fop", c.fpu.fop);
    ip.set("fip", c.fpu.fip);
    ip.set("fdp", c.fpu.fdp);
    add_subsection(r, layout::cpu(), "cpu/msr_ia32_misc_enable").set("value", c.msr.misc_enable);
    add_subsection(r, layout::cpu(), "cpu/poll_control_msr");

    Record& apic = out(layout::apic(), apic_instances[i]);
    write_lapic(c.lapic, c.msr.apic_base, clk, apic);
    apic.subsections.clear();
    if (c.activity == model::Activity::wait_for_sipi) {
      Record& sipi = add_subsection(apic, layout::apic(), "apic_sipi");
      sipi.set("sipi_vector", ev.sipi_vector);
      sipi.set("wait_for_sipi", 1);
    }

    Record& common = out(layout::cpu_common(), inst);
    common.subsections.clear();
    common.set("halted", c.activity != model::Activity::running);
    std::uint32_t ir = interrupt_line(c.lapic, c.msr.apic_base, m.pic, i == 0) ? ir_hard : 0;
    if (ev.nmi_pending) ir |= ir_nmi;
    if (ev.smi_pending) ir |= ir_smi;
    if (ev.init_pending) ir |= ir_init;
    common.set("interrupt_request", ir);
  }
}

void cover_cpus(mapping::Coverage& c) {
  using mapping::row, mapping::exact, mapping::transformed, mapping::defaulted;
  // Segments and events need code (load_segment, hflags_of and interrupt_request above).
  static constexpr CoverageRule declared[] = {
      row("cpu[]", exact("vmstate cpu and cpu_common of the processor: segments, descriptor tables, FPU, SSE, "
                         "MTRRs, events")),
      row("cpu[].events.exception",
          defaulted("saved in the KVM fields, which TCG ignores; the error code is not saved")),
      row("cpu[].events.interrupt", defaulted("saved as env.interrupt_injected, which TCG ignores")),
      row("cpu[].events.shadow",
          transformed("one interrupt-shadow flag (hflags bit 3): MOV SS reads back as STI")),
  };
  c.declare(declared);
  constexpr mapping::Rule no_unusable = defaulted("QEMU has no unusable bit: read as not present");
  model::for_each_field<model::Segments>([&](auto, std::string_view name, const model::Meta&, std::string_view) {
    c.mapped(fmt::format("cpu[].segments.{}.unusable", name), no_unusable.carry, std::string(no_unusable.text));
  });
  cover<model::Gprs>(c, "cpu[].regs", "cpu", gprs);
  cover<Cpu>(c, "cpu[]", "cpu", cpu_fields);
  cover<model::ControlRegs>(c, "cpu[].cr", "cpu", crs);
  cover<model::DebugRegs>(c, "cpu[].dr", "cpu", drs);
  cover<model::Msrs>(c, "cpu[].msr", "cpu", msrs);
  cover<model::X87>(c, "cpu[].fpu", "cpu", fpu_fields);
  cover_lapic(c);
}

}  // namespace cptx::qemu
