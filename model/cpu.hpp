// Architectural state of one x86-64 logical processor at an instruction boundary.
#pragma once

#include "model/describe.hpp"
#include "model/lapic.hpp"

namespace cptx::model {

// A segment register's visible selector and hidden descriptor cache, in one canonical encoding:
// byte-granular limit and the descriptor's attribute bits as named fields.
struct Segment {
  std::uint16_t selector{};
  std::uint64_t base{};
  std::uint32_t limit{};
  std::uint8_t type{};
  bool s{}, present{}, avl{}, l{}, db{}, g{}, unusable{};
  std::uint8_t dpl{};

  template <class V> static void describe(V& v) {
    v(&Segment::selector, "selector", bits(16).hex(), "visible selector");
    v(&Segment::base, "base", any().hex(), "linear base address");
    v(&Segment::limit, "limit", bits(32).hex().in("bytes"), "limit expanded to byte granularity");
    v(&Segment::type, "type", bits(4), "descriptor type field");
    v(&Segment::s, "s", any(), "descriptor kind: true = code or data, false = system");
    v(&Segment::dpl, "dpl", range(0, 3), "descriptor privilege level");
    v(&Segment::present, "present", any(), "segment present (P)");
    v(&Segment::avl, "avl", any(), "available to software (AVL)");
    v(&Segment::l, "l", any(), "64-bit code segment (L)");
    v(&Segment::db, "db", any(), "default operation size / big (D/B)");
    v(&Segment::g, "g", any(), "granularity (G): limit was given in 4 KiB units");
    v(&Segment::unusable, "unusable", any(), "segment unusable (null selector loaded)");
  }
  bool operator==(const Segment&) const = default;
};

struct Segments {
  Segment es, cs, ss, ds, fs, gs, ldtr, tr;

  template <class V> static void describe(V& v) {
    v(&Segments::es, "es", any(), "ES");
    v(&Segments::cs, "cs", any(), "CS");
    v(&Segments::ss, "ss", any(), "SS");
    v(&Segments::ds, "ds", any(), "DS");
    v(&Segments::fs, "fs", any(), "FS");
    v(&Segments::gs, "gs", any(), "GS");
    v(&Segments::ldtr, "ldtr", any(), "local descriptor table register");
    v(&Segments::tr, "tr", any(), "task register");
  }
  bool operator==(const Segments&) const = default;
};

struct DescriptorTable {
  std::uint64_t base{};
  std::uint16_t limit{};

  template <class V> static void describe(V& v) {
    v(&DescriptorTable::base, "base", any().hex(), "linear base address");
    v(&DescriptorTable::limit, "limit", bits(16).hex().in("bytes"), "table limit");
  }
  bool operator==(const DescriptorTable&) const = default;
};

struct Gprs {
  std::uint64_t rax{}, rbx{}, rcx{}, rdx{}, rsi{}, rdi{}, rbp{}, rsp{};
  std::uint64_t r8{}, r9{}, r10{}, r11{}, r12{}, r13{}, r14{}, r15{};

  template <class V> static void describe(V& v) {
    v(&Gprs::rax, "rax", any().hex(), "");
    v(&Gprs::rbx, "rbx", any().hex(), "");
    v(&Gprs::rcx, "rcx", any().hex(), "");
    v(&Gprs::rdx, "rdx", any().hex(), "");
    v(&Gprs::rsi, "rsi", any().hex(), "");
    v(&Gprs::rdi, "rdi", any().hex(), "");
    v(&Gprs::rbp, "rbp", any().hex(), "");
    v(&Gprs::rsp, "rsp", any().hex(), "");
    v(&Gprs::r8, "r8", any().hex(), "");
    v(&Gprs::r9, "r9", any().hex(), "");
    v(&Gprs::r10, "r10", any().hex(), "");
    v(&Gprs::r11, "r11", any().hex(), "");
    v(&Gprs::r12, "r12", any().hex(), "");
    v(&Gprs::r13, "r13", any().hex(), "");
    v(&Gprs::r14, "r14", any().hex(), "");
    v(&Gprs::r15, "r15", any().hex(), "");
  }
  bool operator==(const Gprs&) const = default;
};

struct ControlRegs {
  std::uint64_t cr0{}, cr2{}, cr3{}, cr4{};
  std::uint8_t cr8{};

  template <class V> static void describe(V& v) {
    v(&ControlRegs::cr0, "cr0", any().hex(), "");
    v(&ControlRegs::cr2, "cr2", any().hex(), "page-fault linear address");
    v(&ControlRegs::cr3, "cr3", any().hex(), "page-table root (guest view)");
    v(&ControlRegs::cr4, "cr4", any().hex(), "");
    v(&ControlRegs::cr8, "cr8", bits(4), "task priority class; the local APIC's TPR bits 7:4");
  }
  bool operator==(const ControlRegs&) const = default;
};

struct DebugRegs {
  std::uint64_t dr0{}, dr1{}, dr2{}, dr3{}, dr6{}, dr7{};

  template <class V> static void describe(V& v) {
    v(&DebugRegs::dr0, "dr0", any().hex(), "breakpoint address 0");
    v(&DebugRegs::dr1, "dr1", any().hex(), "breakpoint address 1");
    v(&DebugRegs::dr2, "dr2", any().hex(), "breakpoint address 2");
    v(&DebugRegs::dr3, "dr3", any().hex(), "breakpoint address 3");
    v(&DebugRegs::dr6, "dr6", any().hex(), "debug status");
    v(&DebugRegs::dr7, "dr7", any().hex(), "debug control");
  }
  bool operator==(const DebugRegs&) const = default;
};

struct VariableMtrr {
  std::uint64_t base{}, mask{};

  template <class V> static void describe(V& v) {
    v(&VariableMtrr::base, "base", any().hex(), "IA32_MTRR_PHYSBASEn");
    v(&VariableMtrr::mask, "mask", any().hex(), "IA32_MTRR_PHYSMASKn");
  }
  bool operator==(const VariableMtrr&) const = default;
};

struct Mtrrs {
  std::uint64_t def_type{};
  // IA32_MTRR_FIX64K_00000, FIX16K_80000, FIX16K_A0000, FIX4K_C0000 … FIX4K_F8000, in MSR order.
  std::array<std::uint64_t, 11> fixed{};
  std::array<VariableMtrr, 8> var{};

  template <class V> static void describe(V& v) {
    v(&Mtrrs::def_type, "def_type", any().hex(), "IA32_MTRR_DEF_TYPE (0x2ff)");
    v(&Mtrrs::fixed, "fixed", any().hex(), "fixed-range MTRRs 0x250, 0x258, 0x259, 0x268-0x26f");
    v(&Mtrrs::var, "var", any(), "variable-range MTRR pairs 0x200-0x20f");
  }
  bool operator==(const Mtrrs&) const = default;
};

// The model-specific registers a Linux guest depends on.
struct Msrs {
  std::uint64_t star{}, lstar{}, cstar{}, sfmask{}, kernel_gs_base{};
  std::uint64_t sysenter_cs{}, sysenter_esp{}, sysenter_eip{};
  std::uint64_t pat{}, tsc{}, tsc_aux{}, apic_base{}, misc_enable{};
  Mtrrs mtrr;

  template <class V> static void describe(V& v) {
    v(&Msrs::star, "star", any().hex(), "IA32_STAR (0xc0000081)");
    v(&Msrs::lstar, "lstar", any().hex(), "IA32_LSTAR (0xc0000082)");
    v(&Msrs::cstar, "cstar", any().hex(), "IA32_CSTAR (0xc0000083)");
    v(&Msrs::sfmask, "sfmask", any().hex(), "IA32_FMASK (0xc0000084)");
    v(&Msrs::kernel_gs_base, "kernel_gs_base", any().hex(), "IA32_KERNEL_GS_BASE (0xc0000102)");
    v(&Msrs::sysenter_cs, "sysenter_cs", bits(32).hex(), "IA32_SYSENTER_CS (0x174)");
    v(&Msrs::sysenter_esp, "sysenter_esp", any().hex(), "IA32_SYSENTER_ESP (0x175)");
    v(&Msrs::sysenter_eip, "sysenter_eip", any().hex(), "IA32_SYSENTER_EIP (0x176)");
    v(&Msrs::pat, "pat", any().hex(), "IA32_PAT (0x277)");
    v(&Msrs::tsc, "tsc", any().in("TSC ticks"), "time-stamp counter at the checkpoint (0x10)");
    v(&Msrs::tsc_aux, "tsc_aux", bits(32).hex(), "IA32_TSC_AUX (0xc0000103)");
    v(&Msrs::apic_base, "apic_base", any().hex(), "IA32_APIC_BASE (0x1b): base, BSP bit 8, enable bit 11");
    v(&Msrs::misc_enable, "misc_enable", any().hex(), "IA32_MISC_ENABLE (0x1a0)");
    v(&Msrs::mtrr, "mtrr", any(), "memory type range registers");
  }
  bool operator==(const Msrs&) const = default;
};

// An x87 register as the 80-bit extended-precision value the hardware holds.
struct Float80 {
  std::uint64_t significand{};
  std::uint16_t exponent{};
  bool sign{};

  template <class V> static void describe(V& v) {
    v(&Float80::significand, "significand", any().hex(), "64-bit significand, explicit integer bit 63");
    v(&Float80::exponent, "exponent", bits(15).hex(), "biased exponent");
    v(&Float80::sign, "sign", any(), "sign bit");
  }
  bool operator==(const Float80&) const = default;
};

struct X87 {
  std::uint16_t fcw{}, fsw{}, fop{}, fcs{}, fds{};
  std::uint8_t ftw{};
  std::uint64_t fip{}, fdp{};
  std::array<Float80, 8> st{};

  template <class V> static void describe(V& v) {
    v(&X87::fcw, "fcw", bits(16).hex(), "control word");
    v(&X87::fsw, "fsw", bits(16).hex(), "status word; TOP in bits 13:11");
    v(&X87::ftw, "ftw", bits(8).hex(), "abridged tag word: bit i set = physical register Ri not empty");
    v(&X87::fop, "fop", bits(11).hex(), "last non-control instruction opcode");
    v(&X87::fip, "fip", any().hex(), "last instruction pointer");
    v(&X87::fcs, "fcs", bits(16).hex(), "last instruction code segment");
    v(&X87::fdp, "fdp", any().hex(), "last data pointer");
    v(&X87::fds, "fds", bits(16).hex(), "last data segment");
    v(&X87::st, "st", any(), "ST(0)..ST(7) in stack order (ST(i) = physical register (TOP+i) mod 8)");
  }
  bool operator==(const X87&) const = default;
};

struct Xmm {
  std::uint64_t lo{}, hi{};

  template <class V> static void describe(V& v) {
    v(&Xmm::lo, "lo", any().hex(), "bits 63:0");
    v(&Xmm::hi, "hi", any().hex(), "bits 127:64");
  }
  bool operator==(const Xmm&) const = default;
};

struct Sse {
  std::array<Xmm, 16> xmm{};
  std::uint32_t mxcsr{};

  template <class V> static void describe(V& v) {
    v(&Sse::xmm, "xmm", any(), "XMM0..XMM15");
    v(&Sse::mxcsr, "mxcsr", bits(32).hex(), "SSE control and status");
  }
  bool operator==(const Sse&) const = default;
};

enum class Activity : std::uint8_t { running, halted, wait_for_sipi };
inline constexpr std::string_view activity_names[] = {"running", "halted", "wait_for_sipi"};
constexpr std::span<const std::string_view> names_of(Activity) { return activity_names; }

enum class InterruptShadow : std::uint8_t { none, sti, mov_ss };
inline constexpr std::string_view interrupt_shadow_names[] = {"none", "sti", "mov_ss"};
constexpr std::span<const std::string_view> names_of(InterruptShadow) { return interrupt_shadow_names; }

struct PendingException {
  std::uint8_t vector{};
  std::optional<std::uint32_t> error_code;

  template <class V> static void describe(V& v) {
    v(&PendingException::vector, "vector", range(0, 31), "exception vector");
    v(&PendingException::error_code, "error_code", bits(32).hex(), "error code, if the exception pushes one");
  }
  bool operator==(const PendingException&) const = default;
};

// Events recognised but not yet delivered at the checkpoint, and what blocks delivery.
struct Events {
  std::optional<PendingException> exception;
  std::optional<std::uint8_t> interrupt;
  bool nmi_pending{}, nmi_blocked{}, smi_pending{}, init_pending{};
  InterruptShadow shadow{};
  std::uint8_t sipi_vector{};

  template <class V> static void describe(V& v) {
    v(&Events::exception, "exception", any(), "exception to be delivered before the next instruction");
    v(&Events::interrupt, "interrupt", bits(8), "external interrupt vector accepted but not yet delivered");
    v(&Events::nmi_pending, "nmi_pending", any(), "an NMI is pending");
    v(&Events::nmi_blocked, "nmi_blocked", any(), "NMIs blocked (inside an NMI handler)");
    v(&Events::smi_pending, "smi_pending", any(), "an SMI is pending");
    v(&Events::init_pending, "init_pending", any(), "an INIT is pending");
    v(&Events::shadow, "shadow", any(), "interrupt shadow after STI or MOV SS");
    v(&Events::sipi_vector, "sipi_vector", bits(8).hex(), "start-up vector of a received SIPI");
  }
  bool operator==(const Events&) const = default;
};

struct Cpu {
  Gprs regs;
  std::uint64_t rip{}, rflags{}, efer{};
  std::uint8_t cpl{};
  Segments segments;
  DescriptorTable gdtr, idtr;
  ControlRegs cr;
  DebugRegs dr;
  Msrs msr;
  X87 fpu;
  Sse sse;
  Activity activity{};
  Events events;
  Lapic lapic;

  template <class V> static void describe(V& v) {
    v(&Cpu::regs, "regs", any(), "general-purpose registers");
    v(&Cpu::rip, "rip", any().hex(), "instruction pointer");
    v(&Cpu::rflags, "rflags", any().hex(), "flags register");
    v(&Cpu::cpl, "cpl", range(0, 3), "current privilege level");
    v(&Cpu::segments, "segments", any(), "segment registers");
    v(&Cpu::gdtr, "gdtr", any(), "global descriptor table register");
    v(&Cpu::idtr, "idtr", any(), "interrupt descriptor table register");
    v(&Cpu::cr, "cr", any(), "control registers");
    v(&Cpu::efer, "efer", any().hex(), "IA32_EFER (0xc0000080)");
    v(&Cpu::dr, "dr", any(), "debug registers");
    v(&Cpu::msr, "msr", any(), "model-specific registers");
    v(&Cpu::fpu, "fpu", any(), "x87 floating-point unit");
    v(&Cpu::sse, "sse", any(), "SSE registers");
    v(&Cpu::activity, "activity", any(), "run state");
    v(&Cpu::events, "events", any(), "pending events and interrupt blocking");
    v(&Cpu::lapic, "lapic", any(), "this processor's local APIC");
  }
  bool operator==(const Cpu&) const = default;
};

}  // namespace cptx::model
