// guest_info<i> (§2.5) and vmcb_data<i> (§2.6): the core state, with the register-file layouts of
// §3.12.
#include <algorithm>
#include <string>
#include <vector>

#include "codecs/palacios/tables.hpp"
#include "codecs/palacios/vmcb_events.hpp"

namespace cptx::palacios {

namespace {

using model::Cpu;
using model::Segment;

// v3_segment attribute word (§3.12.1); bits 0-11 are also the VMCB's attribute encoding.
std::uint16_t attrib(const Segment& s) {
  return static_cast<std::uint16_t>(s.type | s.s << 4 | s.dpl << 5 | s.present << 7 | s.avl << 8 | s.l << 9 |
                                    s.db << 10 | s.g << 11 | s.unusable << 12);
}

// cpu_mode (REAL=0, PROTECTED=1, PROTECTED_PAE=2, LONG=3, LONG_32_COMPAT=4, LONG_16_COMPAT=5) as
// Palacios derives it from the registers on load.
std::uint32_t cpu_mode(const Cpu& c) {
  if (!(c.cr.cr0 & 1)) return 0;
  if (c.efer & (1u << 10)) return c.segments.cs.l ? 3 : c.segments.cs.db ? 4 : 5;
  return c.cr.cr4 & (1u << 5) ? 2 : 1;
}

Field gpr(const std::string& tag, std::size_t i, std::uint64_t model::Gprs::*r) {
  return num(tag, 8, "cpu[" + std::to_string(i) + "].regs", [i](auto& s) -> auto& { return s.m.cpu[i].regs; }, r);
}

Field segment(const std::string& tag, std::size_t i, Segment model::Segments::*seg) {
  return {tag, 16, "cpu[" + std::to_string(i) + "].segments." + std::string(mapping::member_name(seg)),
          [i, seg](const State& s, std::span<std::uint8_t> out) { put_segment(out, s.m.cpu[i].segments.*seg); },
          [i, seg](State& s, std::span<const std::uint8_t> in) { s.m.cpu[i].segments.*seg = get_segment(in); }};
}

Field table(const std::string& tag, std::size_t i, model::DescriptorTable Cpu::*t) {
  const std::string path = "cpu[" + std::to_string(i) + "]." + std::string(mapping::member_name(t));
  return {tag, 16, path,
          [i, t](const State& s, std::span<std::uint8_t> out) {
            Segment seg;
            seg.base = (s.m.cpu[i].*t).base;
            seg.limit = (s.m.cpu[i].*t).limit;
            put_segment(out, seg);
          },
          [i, t, tag, path](State& s, std::span<const std::uint8_t> in) {
            const Segment seg = get_segment(in);
            (s.m.cpu[i].*t).base = seg.base;
            (s.m.cpu[i].*t).limit = static_cast<std::uint16_t>(seg.limit);
            if (seg.limit > 0xffff || seg.selector != 0 || attrib(seg) != 0)
              s.notes.push_back({path, Carry::approximated,
                                 tag + ": limit above 0xffff, selector or attributes dropped"});
          },
          mapping::exact("a struct v3_segment, the limit widened to 32 bits")};
}

}  // namespace

void put_segment(std::span<std::uint8_t> out, const Segment& s) {
  put_le(out.subspan(0, 2), s.selector);
  put_le(out.subspan(2, 4), s.limit);
  put_le(out.subspan(6, 8), s.base);
  put_le(out.subspan(14, 2), attrib(s));
}

Segment get_segment(std::span<const std::uint8_t> in) {
  Segment s;
  s.selector = static_cast<std::uint16_t>(get_le(in.subspan(0, 2)));
  s.limit = static_cast<std::uint32_t>(get_le(in.subspan(2, 4)));
  s.base = get_le(in.subspan(6, 8));
  const auto a = get_le(in.subspan(14, 2));
  s.type = a & 0xf;
  s.s = a >> 4 & 1;
  s.dpl = a >> 5 & 3;
  s.present = a >> 7 & 1;
  s.avl = a >> 8 & 1;
  s.l = a >> 9 & 1;
  s.db = a >> 10 & 1;
  s.g = a >> 11 & 1;
  s.unusable = a >> 12 & 1;
  return s;
}

void put_vmcb_segment(std::span<std::uint8_t> out, const Segment& s) {
  put_le(out.subspan(0, 2), s.selector);
  put_le(out.subspan(2, 2), attrib(s) & 0xfff);
  put_le(out.subspan(4, 4), s.limit);
  put_le(out.subspan(8, 8), s.base);
}

void put_fxsave(std::span<std::uint8_t> out, const Cpu& c) {
  std::fill(out.begin(), out.end(), 0);
  put_le(out.subspan(0, 2), c.fpu.fcw);
  put_le(out.subspan(2, 2), c.fpu.fsw);
  out[4] = c.fpu.ftw;
  put_le(out.subspan(6, 2), c.fpu.fop);
  put_le(out.subspan(8, 8), c.fpu.fip);
  put_le(out.subspan(16, 8), c.fpu.fdp);
  put_le(out.subspan(24, 4), c.sse.mxcsr);
  put_le(out.subspan(28, 4), 0xffff);  // MXCSR_MASK: every MXCSR bit writable; FXRSTOR ignores it
  for (std::size_t k = 0; k < 8; ++k) {
    put_le(out.subspan(32 + 16 * k, 8), c.fpu.st[k].significand);
    put_le(out.subspan(40 + 16 * k, 2), c.fpu.st[k].exponent | (c.fpu.st[k].sign ? 0x8000u : 0u));
  }
  for (std::size_t k = 0; k < 16; ++k) {
    put_le(out.subspan(160 + 16 * k, 8), c.sse.xmm[k].lo);
    put_le(out.subspan(168 + 16 * k, 8), c.sse.xmm[k].hi);
  }
}

void get_fxsave(std::span<const std::uint8_t> in, std::uint32_t type, Cpu& c) {
  c.fpu.fcw = static_cast<std::uint16_t>(get_le(in.subspan(0, 2)));
  c.fpu.fsw = static_cast<std::uint16_t>(get_le(in.subspan(2, 2)));
  c.fpu.ftw = in[4];
  c.fpu.fop = static_cast<std::uint16_t>(get_le(in.subspan(6, 2)) & 0x7ff);
  if (type == 0) {  // 32-bit format: FIP u32, FCS u16; FDP u32, FDS u16
    c.fpu.fip = get_le(in.subspan(8, 4));
    c.fpu.fcs = static_cast<std::uint16_t>(get_le(in.subspan(12, 2)));
    c.fpu.fdp = get_le(in.subspan(16, 4));
    c.fpu.fds = static_cast<std::uint16_t>(get_le(in.subspan(20, 2)));
  } else {
    c.fpu.fip = get_le(in.subspan(8, 8));
    c.fpu.fdp = get_le(in.subspan(16, 8));
  }
  c.sse.mxcsr = static_cast<std::uint32_t>(get_le(in.subspan(24, 4)));
  for (std::size_t k = 0; k < 8; ++k) {
    c.fpu.st[k].significand = get_le(in.subspan(32 + 16 * k, 8));
    const auto se = get_le(in.subspan(40 + 16 * k, 2));
    c.fpu.st[k].exponent = se & 0x7fff;
    c.fpu.st[k].sign = se >> 15;
  }
  for (std::size_t k = 0; k < 16; ++k) {
    c.sse.xmm[k].lo = get_le(in.subspan(160 + 16 * k, 8));
    c.sse.xmm[k].hi = get_le(in.subspan(168 + 16 * k, 8));
  }
}

Fields guest_info_fields(std::size_t i) {
  using model::Gprs;
  using model::Segments;
  const std::string p = "cpu[" + std::to_string(i) + "]";
  auto cpu = [i](auto& s) -> auto& { return s.m.cpu[i]; };
  auto core = [i](auto& s) -> auto& { return s.core[i]; };
  auto cr = [i](auto& s) -> auto& { return s.m.cpu[i].cr; };
  auto dr = [i](auto& s) -> auto& { return s.m.cpu[i].dr; };
  auto msr = [i](auto& s) -> auto& { return s.m.cpu[i].msr; };
  return {
      lossy(state_num("run_state", 4, p + ".activity", core, &State::Core::run_state),
            mapping::approximated("halted is saved as running; CORE_INVALID starts the core afresh")),
      // Recomputed by Palacios from the registers on load; written as it would compute them.
      {"cpu_mode", 4, "", [cpu](const State& s, std::span<std::uint8_t> out) { put_le(out, cpu_mode(cpu(s))); },
       [](State&, std::span<const std::uint8_t> in) {
         if (get_le(in) > 5) throw FieldProblem("cpu_mode out of range 0-5");
       }},
      {"mem_mode", 4, "",
       [cpu](const State& s, std::span<std::uint8_t> out) { put_le(out, cpu(s).cr.cr0 >> 31 & 1); },
       [](State&, std::span<const std::uint8_t> in) {
         if (get_le(in) > 1) throw FieldProblem("mem_mode out of range 0-1");
       }},
      num("CPL", 4, p, cpu, &Cpu::cpl),
      num("RIP", 8, p, cpu, &Cpu::rip),
      gpr("RDI", i, &Gprs::rdi),
      gpr("RSI", i, &Gprs::rsi),
      gpr("RBP", i, &Gprs::rbp),
      gpr("RSP", i, &Gprs::rsp),
      gpr("RBX", i, &Gprs::rbx),
      gpr("RDX", i, &Gprs::rdx),
      gpr("RCX", i, &Gprs::rcx),
      gpr("RAX", i, &Gprs::rax),
      gpr("R8", i, &Gprs::r8),
      gpr("R9", i, &Gprs::r9),
      gpr("R10", i, &Gprs::r10),
      gpr("R11", i, &Gprs::r11),
      gpr("R12", i, &Gprs::r12),
      gpr("R13", i, &Gprs::r13),
      gpr("R14", i, &Gprs::r14),
      gpr("R15", i, &Gprs::r15),
      state_num("CR0", 8, p + ".cr.cr0", core, &State::Core::cr0),
      num("CR2", 8, p + ".cr", cr, &model::ControlRegs::cr2),
      state_num("CR3", 8, p + ".cr.cr3", core, &State::Core::cr3),
      num("CR4", 8, p + ".cr", cr, &model::ControlRegs::cr4),
      // Ignored on load (P6): Palacios derives it from APIC_TPR.
      lossy({"CR8", 8, p + ".cr.cr8", [cpu](const State& s, std::span<std::uint8_t> out) { put_le(out, cpu(s).lapic.tpr >> 4 & 0xf); },
             [](State&, std::span<const std::uint8_t>) {}},
            mapping::defaulted("ignored on load: Palacios derives CR8 from APIC_TPR bits 7:4 (P6)")),
      {"APIC_TPR", 8, p + ".lapic.tpr",
       [cpu](const State& s, std::span<std::uint8_t> out) { put_le(out, cpu(s).lapic.tpr); },
       [cpu, p](State& s, std::span<const std::uint8_t> in) {
         const auto v = get_le(in);
         if (v > 0xff) s.notes.push_back({p + ".lapic.tpr", Carry::approximated, "APIC_TPR bits above 7 dropped"});
         cpu(s).lapic.tpr = static_cast<std::uint8_t>(v);
         cpu(s).cr.cr8 = static_cast<std::uint8_t>(v >> 4 & 0xf);
       }},
      num("RFLAGS", 8, p, cpu, &Cpu::rflags),
      state_num("EFER", 8, p + ".efer", core, &State::Core::efer),
      num("DR0", 8, p + ".dr", dr, &model::DebugRegs::dr0),
      num("DR1", 8, p + ".dr", dr, &model::DebugRegs::dr1),
      num("DR2", 8, p + ".dr", dr, &model::DebugRegs::dr2),
      num("DR3", 8, p + ".dr", dr, &model::DebugRegs::dr3),
      num("DR6", 8, p + ".dr", dr, &model::DebugRegs::dr6),
      num("DR7", 8, p + ".dr", dr, &model::DebugRegs::dr7),
      segment("CS", i, &Segments::cs),
      segment("DS", i, &Segments::ds),
      segment("ES", i, &Segments::es),
      segment("FS", i, &Segments::fs),
      segment("GS", i, &Segments::gs),
      segment("SS", i, &Segments::ss),
      segment("LDTR", i, &Segments::ldtr),
      table("GDTR", i, &Cpu::gdtr),
      table("IDTR", i, &Cpu::idtr),
      segment("TR", i, &Segments::tr),
      num("STAR", 8, p + ".msr", msr, &model::Msrs::star),
      num("LSTAR", 8, p + ".msr", msr, &model::Msrs::lstar),
      num("SFMASK", 8, p + ".msr", msr, &model::Msrs::sfmask),
      num("KERN_GS_BASE", 8, p + ".msr", msr, &model::Msrs::kernel_gs_base),
      state_num("GUEST_CR3", 8, p + ".cr.cr3", core, &State::Core::guest_cr3),
      state_num("GUEST_CR0", 8, p + ".cr.cr0", core, &State::Core::guest_cr0),
      state_num("GUEST_EFER", 8, p + ".efer", core, &State::Core::guest_efer),
      {"FP_STATE_TYPE", 4, "", [core](const State& s, std::span<std::uint8_t> out) { put_le(out, core(s).fp_state_type); },
       [core](State& s, std::span<const std::uint8_t> in) {
         const auto v = get_le(in);
         if (v > 2) throw FieldProblem("FP_STATE_TYPE out of range 0-2");
         core(s).fp_state_type = static_cast<std::uint32_t>(v);
       }},
      {"FP_STATE_BLOB", 512, p + ".fpu",
       [cpu](const State& s, std::span<std::uint8_t> out) { put_fxsave(out, cpu(s)); },
       [cpu, core](State& s, std::span<const std::uint8_t> in) { get_fxsave(in, core(s).fp_state_type, cpu(s)); }},
      rule_row(p + ".sse", mapping::exact("FP_STATE_BLOB (FXSAVE image)")),
      rule_row(p + ".fpu.fcs", mapping::not_held("the 64-bit FXSAVE format Palacios saves has no FCS")),
      rule_row(p + ".fpu.fds", mapping::not_held("the 64-bit FXSAVE format Palacios saves has no FDS")),
      rule_row(p + ".msr", mapping::not_held("not saved by Palacios")),
  };
}

namespace {

// The VMCB page (§3.12.3): the control area as given (skeleton or zeros) but for the event words,
// the state-save area from the model, so that the blob agrees with guest_info.
void put_vmcb(std::span<std::uint8_t> out, const State& s, std::size_t i) {
  const auto& blob = s.core[i].vmcb;
  std::copy(blob.begin(), blob.end(), out.begin());
  put_vmcb_events(out, encode_vmcb_events(s.m.cpu[i].events, i));  // the model's, never a skeleton's
  const Cpu& c = s.m.cpu[i];
  const Segment* segs[] = {&c.segments.es, &c.segments.cs, &c.segments.ss, &c.segments.ds, &c.segments.fs,
                           &c.segments.gs, nullptr,        &c.segments.ldtr, nullptr,     &c.segments.tr};
  for (std::size_t k = 0; k < 10; ++k) {
    Segment t;
    if (segs[k]) t = *segs[k];
    const model::DescriptorTable* dt = k == 6 ? &c.gdtr : k == 8 ? &c.idtr : nullptr;
    if (dt) {
      t.base = dt->base;
      t.limit = dt->limit;
    }
    put_vmcb_segment(out.subspan(0x400 + 16 * k, 16), t);
  }
  out[0x4cb] = c.cpl;
  const std::pair<std::size_t, std::uint64_t> words[] = {
      {0x4d0, c.efer},        {0x548, c.cr.cr4},       {0x550, c.cr.cr3},         {0x558, c.cr.cr0},
      {0x560, c.dr.dr7},      {0x568, c.dr.dr6},       {0x570, c.rflags},         {0x578, c.rip},
      {0x5d8, c.regs.rsp},    {0x5f8, c.regs.rax},     {0x600, c.msr.star},       {0x608, c.msr.lstar},
      {0x610, c.msr.cstar},   {0x618, c.msr.sfmask},   {0x620, c.msr.kernel_gs_base},
      {0x628, c.msr.sysenter_cs}, {0x630, c.msr.sysenter_esp}, {0x638, c.msr.sysenter_eip},
      {0x640, c.cr.cr2},      {0x668, c.msr.pat},
  };
  for (const auto& [off, v] : words) put_le(out.subspan(off, 8), v);
}

// A field written like `f` whose read value must agree with what an earlier context set; a
// disagreement is noted and the earlier value kept.
Field mirror(Field f) {
  auto put = f.put;
  f.get = [put, tag = f.tag, path = f.path](State& s, std::span<const std::uint8_t> in) {
    std::vector<std::uint8_t> mine(in.size());
    put(s, mine);
    if (!std::equal(mine.begin(), mine.end(), in.begin()))
      s.notes.push_back({path, Carry::approximated, "vmcb_data " + tag + " differs from guest_info's; guest_info's kept"});
  };
  return f;
}

}  // namespace

Fields vmcb_fields(std::size_t i) {
  const std::string p = "cpu[" + std::to_string(i) + "]";
  auto cpu = [i](auto& s) -> auto& { return s.m.cpu[i]; };
  auto msr = [i](auto& s) -> auto& { return s.m.cpu[i].msr; };
  return {
      // Duplicates of guest_info entries (P28); Palacios copies guest_info into the VMCB at every
      // entry (§3.12.3), so guest_info's values stand.
      mirror(num("CPL", 4, p, cpu, &Cpu::cpl)),
      mirror(num("STAR", 8, p + ".msr", msr, &model::Msrs::star)),
      num("CSTAR", 8, p + ".msr", msr, &model::Msrs::cstar),
      mirror(num("LSTAR", 8, p + ".msr", msr, &model::Msrs::lstar)),
      mirror(num("SFMASK", 8, p + ".msr", msr, &model::Msrs::sfmask)),
      mirror(num("KERNELGSBASE", 8, p + ".msr", msr, &model::Msrs::kernel_gs_base)),
      num("SYSENTER_CS", 8, p + ".msr", msr, &model::Msrs::sysenter_cs),
      num("SYSENTER_ESP", 8, p + ".msr", msr, &model::Msrs::sysenter_esp),
      num("SYSENTER_EIP", 8, p + ".msr", msr, &model::Msrs::sysenter_eip),
      {"VMCB_DATA", 4096, p + ".msr.pat", [i](const State& s, std::span<std::uint8_t> out) { put_vmcb(out, s, i); },
       [i](State& s, std::span<const std::uint8_t> in) {
         s.core[i].vmcb.assign(in.begin(), in.end());
         s.m.cpu[i].msr.pat = get_le(in.subspan(0x668, 8));  // G_PAT
         s.m.cpu[i].events = get_vmcb_events(in, i, s.notes);
       },
       mapping::exact("G_PAT at 0x668")},
      // The event words of VMCB_DATA (vmcb_events.cpp); EXITINTINFO holds one event.
      rule_row(p + ".events", mapping::not_held("Palacios saves no other event state (P15)")),
      rule_row(p + ".events.exception",
               mapping::exact("VMCB EXITINTINFO type 3 with its error code, re-injected at the next entry (SVM only; "
                              "lost when loaded with option 8, which keeps the loading VM's VMCB control area)")),
      rule_row(p + ".events.interrupt", mapping::exact("VMCB EXITINTINFO type 0, re-injected at the next entry (SVM "
                                                       "only; lost with load option 8)")),
      rule_row(p + ".events.nmi_pending",
               mapping::approximated("VMCB EXITINTINFO type 2: an NMI being delivered reads as pending; a pending NMI "
                                    "is written as being delivered, so it is injected at the next entry even if NMIs "
                                    "are blocked (SVM only; lost with load option 8)")),
      rule_row(p + ".events.shadow",
               mapping::approximated("VMCB interrupt shadow (0x068 bit 0): STI and MOV SS shadows are one bit, read "
                                    "back as sti (SVM only; lost with load option 8)")),
      rule_row(p + ".events.nmi_blocked", mapping::not_held("Palacios keeps no NMI blocking state")),
  };
}

}  // namespace cptx::palacios
