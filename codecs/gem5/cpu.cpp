// The thread context of every processor: integer, floating-point and misc register files, each an
// indexed array of one section, so read and written by code; its coverage rows are declared beside
// it (cover_cpu).
#include "codecs/gem5/cpu.hpp"

#include <fmt/format.h>

#include "codecs/gem5/misc_regs.hpp"
#include "codecs/gem5/x87.hpp"
#include "codecs/io/error.hpp"
#include "reports/report.hpp"

namespace cptx::gem5 {

namespace {

using misc::index;
using misc::Seg;

// Register files of `xc.0`: v24 prints each 64-bit register as 8 little-endian bytes (v24 spec §3.2),
// 2011 as one decimal (2011 spec §3.3, §3.4). Both eras have 39 integer and 48 float registers.
constexpr std::size_t int_regs = 39, float_regs = 48, cc_regs = 5;
constexpr std::size_t cc_flag_bits = 32;  // 2011: ccFlagBits, the pseudo integer register 32
constexpr std::size_t xmm_first = 8;  // float regs 8+2k / 9+2k = XMMk low / high

// RFLAGS split (v24 spec §3.2.3): these bits live in the condition-code registers Zaps, Cfof, Df;
// in 2011 the same bits live in ccFlagBits (2011 spec §3.3, whose "0xDD5" would include TF: the flags it
// lists, CF PF AF ZF SF DF OF, make 0xcd5).
constexpr std::uint64_t zaps_mask = 0xd4, cfof_mask = 0x801, df_mask = 0x400;
constexpr std::uint64_t cc_mask = zaps_mask | cfof_mask | df_mask;
constexpr std::uint64_t rflags_mask = 0x3f7fd5, rflags_fixed = 0x2;

constexpr std::uint64_t efer_lma = 1u << 10;
constexpr std::uint64_t apic_bsp = 1u << 8;  // synthesised by gem5 on read for context 0

std::vector<std::uint64_t> blob(const CptReader& in, const std::string& sec, std::string_view key, std::size_t n) {
  const auto bytes = in.int_array<std::uint8_t>(sec, key, n * 8);
  std::vector<std::uint64_t> regs(n);
  for (std::size_t i = 0; i < n * 8; ++i) regs[i / 8] |= std::uint64_t{bytes[i]} << (8 * (i % 8));
  return regs;
}
std::string encode_blob(const std::vector<std::uint64_t>& regs) {
  std::vector<std::uint8_t> bytes;
  bytes.reserve(regs.size() * 8);
  for (std::uint64_t r : regs)
    for (int b = 0; b < 8; ++b) bytes.push_back(static_cast<std::uint8_t>(r >> (8 * b)));
  return encode_int_array<std::uint8_t>(bytes);
}

// The architectural GPRs in gem5's (the hardware encoding) order.
constexpr std::uint64_t model::Gprs::*gpr_order[16] = {
    &model::Gprs::rax, &model::Gprs::rcx, &model::Gprs::rdx, &model::Gprs::rbx, &model::Gprs::rsp, &model::Gprs::rbp,
    &model::Gprs::rsi, &model::Gprs::rdi, &model::Gprs::r8,  &model::Gprs::r9,  &model::Gprs::r10, &model::Gprs::r11,
    &model::Gprs::r12, &model::Gprs::r13, &model::Gprs::r14, &model::Gprs::r15};

constexpr std::pair<model::Segment model::Segments::*, Seg> segment_map[] = {
    {&model::Segments::es, misc::es}, {&model::Segments::cs, misc::cs},    {&model::Segments::ss, misc::ss},
    {&model::Segments::ds, misc::ds}, {&model::Segments::fs, misc::fs},    {&model::Segments::gs, misc::gs},
    {&model::Segments::ldtr, misc::tsl}, {&model::Segments::tr, misc::tr}};

// SegAttr (v24 spec §3.5): dpl 1:0, unusable 2, D/B 3, L 4, AVL 5, G 6, P 7, type 11:8, then the
// derived writable 12, readable 13, expandDown 14, and S 15.
model::Segment decode_attr(std::uint64_t attr) {
  model::Segment s;
  s.dpl = attr & 3;
  s.unusable = (attr >> 2) & 1;
  s.db = (attr >> 3) & 1;
  s.l = (attr >> 4) & 1;
  s.avl = (attr >> 5) & 1;
  s.g = (attr >> 6) & 1;
  s.present = (attr >> 7) & 1;
  s.type = (attr >> 8) & 0xf;
  s.s = (attr >> 15) & 1;
  return s;
}
std::uint64_t encode_attr(const model::Segment& s) {
  const bool code = s.s && (s.type & 8);
  const bool data = s.s && !code;
  const bool writable = data ? (s.type & 2) != 0 : !s.s;
  const bool readable = code ? (s.type & 2) != 0 : true;
  const bool expand_down = data && (s.type & 4);
  return std::uint64_t{s.dpl} | std::uint64_t{s.unusable} << 2 | std::uint64_t{s.db} << 3 |
         std::uint64_t{s.l} << 4 | std::uint64_t{s.avl} << 5 | std::uint64_t{s.g} << 6 |
         std::uint64_t{s.present} << 7 | std::uint64_t{s.type} << 8 | std::uint64_t{writable} << 12 |
         std::uint64_t{readable} << 13 | std::uint64_t{expand_down} << 14 | std::uint64_t{s.s} << 15;
}

// The cycle count the TSC is an offset from: v24 counts the cycle in progress (v24 spec §3.6), 2011's
// curCycle() is curTick / period (2011 spec §3.5, index 26).
std::uint64_t cycles_at(Tick cur_tick, Era era) {
  return era == Era::v2011 ? cur_tick / cpu_cycle_ticks : (cur_tick + cpu_cycle_ticks - 1) / cpu_cycle_ticks;
}

std::size_t misc_count(Era era) { return era == Era::v2011 ? misc::count_2011 : misc::count_v24; }
// The section holding `regVal`: `<cpu>.isa` in v24, the thread context in 2011.
std::string misc_section(const std::string& cpu, Era era) { return cpu + (era == Era::v2011 ? ".xc.0" : ".isa"); }

// The register files of one thread, whatever the era stores them as.
struct RegFiles {
  std::vector<std::uint64_t> ints, fprs, misc;
  std::uint64_t cc_flags = 0;  // the RFLAGS bits kept apart from misc Rflags (cc_mask)
};

RegFiles read_reg_files(const CptReader& in, const std::string& cpu) {
  const std::string xc = cpu + ".xc.0";
  RegFiles f;
  f.misc = in.int_array<std::uint64_t>(misc_section(cpu, in.era()), "regVal", misc_count(in.era()));
  if (in.era() == Era::v2011) {
    f.ints = in.int_array<std::uint64_t>(xc, "intRegs", int_regs);
    f.fprs = in.int_array<std::uint64_t>(xc, "floatRegs.i", float_regs);
    f.cc_flags = f.ints[cc_flag_bits] & cc_mask;  // drops the microcode flags ECF (bit 3) and EZF (bit 5)
  } else {
    f.ints = blob(in, xc, "regs.integer", int_regs);
    f.fprs = blob(in, xc, "regs.floating_point", float_regs);
    const auto ccs = blob(in, xc, "regs.condition_code", cc_regs);
    f.cc_flags = (ccs[0] | ccs[1] | ccs[2]) & cc_mask;
  }
  return f;
}

void write_reg_files(RegFiles& f, const std::string& cpu, Era era, CptFile& out) {
  Section& thread = *out.find(cpu + ".xc.0");
  if (era == Era::v2011) {
    f.ints[cc_flag_bits] = f.cc_flags;
    thread.set("intRegs", encode_int_array<std::uint64_t>(f.ints));
    thread.set("floatRegs.i", encode_int_array<std::uint64_t>(f.fprs));
  } else {
    const std::vector<std::uint64_t> ccs = {f.cc_flags & zaps_mask, f.cc_flags & cfof_mask, f.cc_flags & df_mask, 0, 0};
    thread.set("regs.integer", encode_blob(f.ints));
    thread.set("regs.floating_point", encode_blob(f.fprs));
    thread.set("regs.condition_code", encode_blob(ccs));
  }
  out.find(misc_section(cpu, era))->set("regVal", encode_int_array<std::uint64_t>(f.misc));
}

// A quiesced thread wakes at an absolute tick, 0 = not quiesced: 2011 keeps it in the thread context,
// v24 in [system] per context (2011 spec §3.2, §5.3 item 7).
std::pair<std::string, std::string> quiesce_key(const std::string& cpu, std::size_t index, Era era) {
  if (era == Era::v2011) return {cpu + ".xc.0", "quiesceEndTick"};
  return {"system", fmt::format("quiesceEndTick_{}", index)};
}

// 2011 keeps the run state twice more (2011 spec §3.1): BaseSimpleCPU's `_status` (0 Idle, 1 Running)
// and the CPU's tick event, scheduled at the next clock edge while the thread runs (flags: the
// Initialized bits 0x7a40 | IsMainQueue 0x20, plus Scheduled 0x2).
void write_cpu_2011_state(bool running, Tick cur_tick, const std::string& cpu, CptFile& out) {
  constexpr unsigned tick_event_flags = 0x7a60, scheduled = 0x2;
  out.find(cpu)->set("_status", running ? "1" : "0");
  Section* tick = out.find(cpu + ".tickEvent");
  if (!tick) throw UsageError(fmt::format("{}: the target checkpoint has no section [{}.tickEvent]", out.source, cpu));
  const Tick edge = (cur_tick + cpu_cycle_ticks - 1) / cpu_cycle_ticks * cpu_cycle_ticks;
  tick->set("_when", encode_int(running ? edge : Tick{0}));
  tick->set("_priority", "50");
  tick->set("_flags", encode_int(tick_event_flags | (running ? scheduled : 0)));
}

}  // namespace

std::string cpu_section_name(std::size_t index, std::size_t count) {
  if (count == 1) return "system.cpu";
  const std::size_t width = std::to_string(count - 1).size();
  return fmt::format("system.cpu{:0{}}", index, width);
}

std::vector<std::string> cpu_sections(const CptFile& cpt) {
  if (cpt.find("system.cpu.xc.0")) return {"system.cpu"};
  std::vector<std::string> out;
  for (std::size_t count : {std::size_t{10}, std::size_t{100}}) {  // one- and two-digit names
    out.clear();
    for (std::size_t i = 0; i < count; ++i) {
      const std::string name = cpu_section_name(i, count);
      if (!cpt.find(name + ".xc.0")) break;
      out.push_back(name);
    }
    if (out.size() > 1 || (count == 10 && out.size() == 1)) break;
  }
  if (out.empty())
    throw InputError({cpt.source, std::nullopt, std::nullopt, "system.cpu.xc.0"},
                     "no processor: neither [system.cpu.xc.0] nor [system.cpu0.xc.0]");
  return out;
}

model::Cpu read_cpu(const CptReader& in, const std::string& sec, std::size_t cpu_index, Tick cur_tick,
                    Report& report, const std::string& path) {
  const std::string xc = sec + ".xc.0", apic = sec + ".interrupts";
  const Era era = in.era();
  const RegFiles files = read_reg_files(in, sec);
  const auto& r = files.misc;
  const auto& fprs = files.fprs;

  model::Cpu c;
  for (std::size_t i = 0; i < 16; ++i) c.regs.*gpr_order[i] = files.ints[i];
  c.rflags = ((r[index("Rflags")] | files.cc_flags) & rflags_mask) | rflags_fixed;
  c.rip = in.integer<std::uint64_t>(xc, "_pc") - r[misc::eff_base(misc::cs)];

  for (auto [member, seg] : segment_map) {
    model::Segment s = decode_attr(r[misc::attr(seg)]);
    // gem5's SYSCALL can leave bits above 15 in CS/SS (v24 spec §3.4 note).
    s.selector = static_cast<std::uint16_t>(r[misc::selector(seg)]);
    s.base = r[misc::base(seg)];
    s.limit = static_cast<std::uint32_t>(r[misc::limit(seg)]);
    c.segments.*member = s;
  }
  c.cpl = c.segments.cs.dpl;
  // LGDT/LIDT leave garbage above the 16-bit limit (v24 spec §3.4 note).
  c.gdtr = {r[misc::base(misc::tsg)], static_cast<std::uint16_t>(r[misc::limit(misc::tsg)])};
  c.idtr = {r[misc::base(misc::idtr)], static_cast<std::uint16_t>(r[misc::limit(misc::idtr)])};
  c.cr = {r[index("Cr0")], r[index("Cr2")], r[index("Cr3")], r[index("Cr4")],
          static_cast<std::uint8_t>(r[index("Cr8")] & 0xf)};
  c.efer = r[index("Efer")];
  c.dr = {r[index("Dr0")], r[index("Dr1")], r[index("Dr2")], r[index("Dr3")], r[index("Dr6")], r[index("Dr7")]};

  model::Msrs& msr = c.msr;
  msr.star = r[index("Star")];
  msr.lstar = r[index("Lstar")];
  msr.cstar = r[index("Cstar")];
  msr.sfmask = r[index("SfMask")];
  msr.kernel_gs_base = r[index("KernelGsBase")];
  msr.sysenter_cs = r[index("SysenterCs")] & 0xffffffff;
  msr.sysenter_esp = r[index("SysenterEsp")];
  msr.sysenter_eip = r[index("SysenterEip")];
  msr.pat = r[index("Pat")];
  msr.tsc = r[index("Tsc")] + cycles_at(cur_tick, era);  // stored as an offset from the cycle count (§3.6)
  msr.tsc_aux = r[index("TscAux")] & 0xffffffff;
  msr.apic_base = r[index("ApicBase")] | (cpu_index == 0 ? apic_bsp : 0);
  msr.mtrr.def_type = r[index("DefType")];
  for (std::size_t i = 0; i < msr.mtrr.fixed.size(); ++i) msr.mtrr.fixed[i] = r[index("MtrrFix64k00000") + i];
  for (std::size_t i = 0; i < msr.mtrr.var.size(); ++i)
    msr.mtrr.var[i] = {r[index("MtrrPhysBase0") + i], r[index("MtrrPhysMask0") + i]};

  model::X87& fpu = c.fpu;
  const unsigned top = r[index("X87Top")] & 7;
  fpu.fcw = static_cast<std::uint16_t>(r[index("Fcw")]);
  fpu.fsw = static_cast<std::uint16_t>((r[index("Fsw")] & ~std::uint64_t{0x3800}) | top << 11);
  const auto ftw = r[index("Ftw")];
  for (unsigned i = 0; i < 8; ++i)
    if (((ftw >> (2 * i)) & 3) != 3) fpu.ftw |= static_cast<std::uint8_t>(1u << i);
  fpu.fop = r[index("Fop")] & 0x7ff;
  fpu.fip = r[index("Fioff")];
  fpu.fcs = static_cast<std::uint16_t>(r[index("Fiseg")]);
  fpu.fdp = r[index("Fooff")];
  fpu.fds = static_cast<std::uint16_t>(r[index("Foseg")]);
  for (unsigned i = 0; i < 8; ++i) fpu.st[i] = widen(fprs[(top + i) % 8]);
  for (std::size_t k = 0; k < c.sse.xmm.size(); ++k) c.sse.xmm[k] = {fprs[xmm_first + 2 * k], fprs[xmm_first + 2 * k + 1]};
  c.sse.mxcsr = static_cast<std::uint32_t>(r[index("Mxcsr")]);

  read_lapic(in, apic, cur_tick, lapic_clock(in, sec), c);
  compare_lapic_copies(in, sec, report, path);
  // ThreadContext::Status: 0 Active, 1 Suspended, 2 Halting, 3 Halted (v24 spec §3.1); 2011 has
  // 0 Active, 1 Suspended, 2 Halted (2011 spec §3.2). An AP that has not accepted a SIPI yet is
  // waiting for one.
  const unsigned last_status = era == Era::v2011 ? 2 : 3;
  const auto status = in.integer<std::uint8_t>(xc, "_status");
  if (status > last_status)
    throw InputError(in.where(xc, "_status", in.required(xc, "_status").line),
                     fmt::format("expected 0..{}", last_status));
  if (status == 0)
    c.activity = model::Activity::running;
  else if (cpu_index > 0 && !in.boolean(apic, "startedUp"))
    c.activity = model::Activity::wait_for_sipi;
  else
    c.activity = model::Activity::halted;
  if (in.boolean(apic, "pendingStartup"))
    report.note(path + ".activity", Carry::approximated,
                "a SIPI received but not yet taken is not carried: the processor keeps waiting for one");
  const auto [quiesce_section, quiesce] = quiesce_key(sec, cpu_index, era);
  if (const Tick wake = in.opt_integer<Tick>(quiesce_section, quiesce).value_or(0); wake > cur_tick)
    report.note(path + ".activity", Carry::approximated,
                fmt::format("quiesced until tick {}: the model keeps no wake-up time", wake));
  if (in.integer<std::uint16_t>(xc, "_upc") != 0)
    report.note(path + ".rip", Carry::approximated, "checkpoint taken inside a macro-instruction (_upc != 0)");
  return c;
}

void write_cpu(const model::Cpu& c, const std::string& sec, std::size_t cpu_index, Tick cur_tick, Era era,
               CptFile& out, Report& report, const std::string& path) {
  const std::string xc = sec + ".xc.0", apic = sec + ".interrupts";
  for (const std::string& s : {sec, xc, misc_section(sec, era), apic})
    if (!out.find(s)) throw UsageError(fmt::format("{}: the target checkpoint has no section [{}]", out.source, s));
  const CptReader target(out, era);
  // Registers the model has no field for keep the target's values (power-on values by default).
  RegFiles files;
  files.misc = target.int_array<std::uint64_t>(misc_section(sec, era), "regVal", misc_count(era));
  files.ints.assign(int_regs, 0);  // microcode temporaries are dead between instructions: 0
  files.fprs.assign(float_regs, 0);
  auto& r = files.misc;
  auto& fprs = files.fprs;
  for (std::size_t i = 0; i < 16; ++i) files.ints[i] = c.regs.*gpr_order[i];
  if ((c.rflags & ~rflags_mask) != rflags_fixed)
    report.note(path + ".rflags", Carry::approximated, "reserved RFLAGS bits are not kept by gem5");
  files.cc_flags = c.rflags & cc_mask;
  r[index("Rflags")] = c.rflags & rflags_mask & ~cc_mask;

  // gem5 keeps the CPL as CS's DPL (M5Reg.cpl = CsAttr.dpl).
  model::Segments segs = c.segments;
  if (segs.cs.dpl != c.cpl)
    report.note(path + ".segments.cs.dpl", Carry::approximated, "gem5 holds the CPL in CS.DPL; the CPL was kept");
  segs.cs.dpl = c.cpl;
  const bool long_mode = (c.efer & efer_lma) && segs.cs.l;
  for (auto [member, seg] : segment_map) {
    const model::Segment& s = segs.*member;
    r[misc::selector(seg)] = s.selector;
    r[misc::base(seg)] = s.base;
    // In 64-bit mode ES, CS, SS and DS have effective base 0 (v24 spec §3.5).
    const bool flat = long_mode && (seg == misc::es || seg == misc::cs || seg == misc::ss || seg == misc::ds);
    r[misc::eff_base(seg)] = flat ? 0 : s.base;
    r[misc::limit(seg)] = s.limit;
    r[misc::attr(seg)] = encode_attr(s);
  }
  for (auto [table, seg] : {std::pair{&c.gdtr, misc::tsg}, std::pair{&c.idtr, misc::idtr}}) {
    r[misc::base(seg)] = r[misc::eff_base(seg)] = table->base;
    r[misc::limit(seg)] = table->limit;
  }
  r[index("Cr0")] = c.cr.cr0;
  r[index("Cr2")] = c.cr.cr2;
  r[index("Cr3")] = c.cr.cr3;
  r[index("Cr4")] = c.cr.cr4;
  r[index("Cr8")] = c.cr.cr8;
  r[index("Efer")] = c.efer;
  r[index("Dr0")] = c.dr.dr0;
  r[index("Dr1")] = c.dr.dr1;
  r[index("Dr2")] = c.dr.dr2;
  r[index("Dr3")] = c.dr.dr3;
  r[index("Dr6")] = c.dr.dr6;
  r[index("Dr7")] = c.dr.dr7;

  const model::Msrs& msr = c.msr;
  r[index("Star")] = msr.star;
  r[index("Lstar")] = msr.lstar;
  r[index("Cstar")] = msr.cstar;
  r[index("SfMask")] = msr.sfmask;
  r[index("KernelGsBase")] = msr.kernel_gs_base;
  r[index("SysenterCs")] = msr.sysenter_cs;
  r[index("SysenterEsp")] = msr.sysenter_esp;
  r[index("SysenterEip")] = msr.sysenter_eip;
  r[index("Pat")] = msr.pat;
  r[index("Tsc")] = msr.tsc - cycles_at(cur_tick, era);
  r[index("TscAux")] = msr.tsc_aux;
  if (((msr.apic_base & apic_bsp) != 0) != (cpu_index == 0))
    report.note(path + ".msr.apic_base", Carry::approximated, "gem5 derives the BSP bit from the processor's index");
  r[index("ApicBase")] = msr.apic_base & ~apic_bsp;
  r[index("DefType")] = msr.mtrr.def_type;
  for (std::size_t i = 0; i < msr.mtrr.fixed.size(); ++i) r[index("MtrrFix64k00000") + i] = msr.mtrr.fixed[i];
  for (std::size_t i = 0; i < msr.mtrr.var.size(); ++i) {
    r[index("MtrrPhysBase0") + i] = msr.mtrr.var[i].base;
    r[index("MtrrPhysMask0") + i] = msr.mtrr.var[i].mask;
  }

  const model::X87& fpu = c.fpu;
  const unsigned top = (fpu.fsw >> 11) & 7;
  r[index("X87Top")] = top;
  r[index("Fcw")] = fpu.fcw;
  r[index("Fsw")] = fpu.fsw;
  std::uint64_t ftw = 0;  // full tag word: 11 = empty; a non-empty register is tagged valid (00)
  for (unsigned i = 0; i < 8; ++i)
    if (!(fpu.ftw & (1u << i))) ftw |= std::uint64_t{3} << (2 * i);
  r[index("Ftw")] = r[index("Ftag")] = ftw;
  r[index("Fop")] = fpu.fop;
  r[index("Fioff")] = fpu.fip;
  r[index("Fiseg")] = fpu.fcs;
  r[index("Fooff")] = fpu.fdp;
  r[index("Foseg")] = fpu.fds;
  for (unsigned i = 0; i < 8; ++i) {
    const Narrowed n = narrow(fpu.st[i]);
    fprs[(top + i) % 8] = n.double_bits;
    if (!n.exact)
      report.note(fmt::format("{}.fpu.st[{}]", path, i), Carry::transformed,
                  "rounded from 80-bit extended to the 64-bit double gem5 keeps");
  }
  for (std::size_t k = 0; k < c.sse.xmm.size(); ++k) {
    fprs[xmm_first + 2 * k] = c.sse.xmm[k].lo;
    fprs[xmm_first + 2 * k + 1] = c.sse.xmm[k].hi;
  }
  r[index("Mxcsr")] = c.sse.mxcsr;
  const std::uint64_t pc = c.rip + r[misc::eff_base(misc::cs)];
  write_reg_files(files, sec, era, out);

  const bool started_up = cpu_index > 0 && c.activity != model::Activity::wait_for_sipi;
  if (cpu_index == 0 && c.activity == model::Activity::wait_for_sipi)
    report.note(path + ".activity", Carry::approximated, "the bootstrap processor cannot wait for a SIPI in gem5");
  Section& thread = *out.find(xc);
  write_lapic(c, started_up, cur_tick, era, *out.find(lapic_copy_section(sec, era)));
  write_lapic(c, started_up, cur_tick, era, *out.find(apic));
  const bool running = c.activity == model::Activity::running;
  thread.set("_status", running ? "0" : "1");
  const auto [quiesce_section, quiesce] = quiesce_key(sec, cpu_index, era);
  if (Section* s = out.find(quiesce_section); s && s->find(quiesce)) s->set(quiesce, "0");
  if (era == Era::v2011) write_cpu_2011_state(running, cur_tick, sec, out);
  // PC state at an instruction boundary (v24 spec §3.3).
  thread.set("_pc", encode_int(pc));
  thread.set("_upc", "0");
  thread.set("_npc", encode_int(pc + 8));
  thread.set("_nupc", "1");
  thread.set("_size", "0");
}

void cover_cpu(mapping::Coverage& c) {
  static constexpr CoverageRule rows[] = {
      {"cpu", Carry::exact, "the thread context, its register files and misc registers"},
      {"cpu[].segments.cs.dpl", Carry::approximated, "gem5 keeps the CPL as CS.DPL"},
      {"cpu[].segments.tr.selector", Carry::approximated, "gem5's LTR leaves the TR selector stale"},
      {"cpu[].msr.apic_base", Carry::approximated, "the BSP bit is derived from the processor's index"},
      {"cpu[].msr.misc_enable", Carry::none, "gem5 has no IA32_MISC_ENABLE"},
      {"cpu[].rflags", Carry::approximated, "reserved bits are not kept; bit 1 reads as 1"},
      {"cpu[].activity", Carry::approximated, "Active/Suspended, with wait-for-SIPI from the APIC's startedUp (APs only)"},
      {"cpu[].events.exception", Carry::none, "no pending exception at an instruction boundary in gem5"},
      {"cpu[].events.interrupt", Carry::exact, "LAPIC pendingExtInt/extIntVector (an 8259 interrupt whose vector was fetched)"},
      {"cpu[].events.nmi_blocked", Carry::none, "not kept"},
      {"cpu[].events.shadow", Carry::none, "not kept"},
  };
  c.declare(rows);
  cover_lapic(c);
  cover_x87(c);
}

}  // namespace cptx::gem5
