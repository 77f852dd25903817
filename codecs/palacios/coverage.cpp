#include "codecs/palacios/coverage.hpp"

namespace cptx::palacios {

namespace {

constexpr Carry exact = Carry::exact, approx = Carry::approximate, none = Carry::none;

constexpr CoverageRule rules[] = {
    {"platform.source", none, "not stored; set to palacios on read"},
    {"platform.source_detail", approx, "the header text on read; not written"},
    {"platform.ram_size", approx,
     "Palacios records no RAM size and saves whole regions of region_size: read from the VM's <memory> when "
     "--input-config gives its XML, else rounded up to whole regions (or the raw dump's size)"},
    {"platform.cpu_count", exact, "one guest_info context per core"},
    {"platform.time.guest_ns", none, "Palacios saves no time state (P15)"},
    {"platform.time.tsc_hz", approx, "implied by PIT_RELOAD (host cycles per PIT clock), rounded to whole cycles"},
    {"platform.time.lapic_timer_hz", approx, "Palacios's APIC timer counts host cycles: taken to equal tsc_hz"},

    {"cpu[].regs", exact, "guest_info RAX..R15"},
    {"cpu[].rip", exact, "guest_info RIP"},
    {"cpu[].rflags", exact, "guest_info RFLAGS"},
    {"cpu[].cpl", exact, "guest_info CPL (and vmcb_data CPL)"},
    {"cpu[].segments", exact, "guest_info segment entries (struct v3_segment)"},
    {"cpu[].gdtr", exact, "guest_info GDTR (limit widened to 32 bits)"},
    {"cpu[].idtr", exact, "guest_info IDTR (limit widened to 32 bits)"},
    {"cpu[].cr", exact, "guest_info CR0/CR2/CR3/CR4 and GUEST_CR0/GUEST_CR3 (shadow paging)"},
    {"cpu[].cr.cr8", approx, "Palacios derives CR8 from APIC_TPR bits 7:4 and ignores the saved CR8 (P6)"},
    {"cpu[].efer", exact, "guest_info EFER and GUEST_EFER"},
    {"cpu[].dr", exact, "guest_info DR0-DR3, DR6, DR7"},
    {"cpu[].msr", none, "not saved by Palacios"},
    {"cpu[].msr.star", exact, "guest_info STAR"},
    {"cpu[].msr.lstar", exact, "guest_info LSTAR"},
    {"cpu[].msr.sfmask", exact, "guest_info SFMASK"},
    {"cpu[].msr.kernel_gs_base", exact, "guest_info KERN_GS_BASE"},
    {"cpu[].msr.cstar", exact, "vmcb_data CSTAR (SVM only)"},
    {"cpu[].msr.sysenter_cs", exact, "vmcb_data SYSENTER_CS (SVM only)"},
    {"cpu[].msr.sysenter_esp", exact, "vmcb_data SYSENTER_ESP (SVM only)"},
    {"cpu[].msr.sysenter_eip", exact, "vmcb_data SYSENTER_EIP (SVM only)"},
    {"cpu[].msr.pat", exact, "VMCB G_PAT at 0x668 (SVM only)"},
    {"cpu[].msr.apic_base", exact, "LAPIC BASE_ADDR_MSR"},
    {"cpu[].fpu", exact, "FP_STATE_BLOB (FXSAVE image)"},
    {"cpu[].fpu.fcs", none, "the 64-bit FXSAVE format Palacios saves has no FCS"},
    {"cpu[].fpu.fds", none, "the 64-bit FXSAVE format Palacios saves has no FDS"},
    {"cpu[].sse", exact, "FP_STATE_BLOB (FXSAVE image)"},
    {"cpu[].activity", approx, "run_state: halted is saved as running; CORE_INVALID starts the core afresh"},
    {"cpu[].events", none, "Palacios saves no other event state (P15)"},
    {"cpu[].events.exception", exact,
     "VMCB EXITINTINFO type 3 with its error code, re-injected at the next entry (SVM only; lost when loaded with "
     "option 8, which keeps the loading VM's VMCB control area). EXITINTINFO holds one event"},
    {"cpu[].events.interrupt", exact,
     "VMCB EXITINTINFO type 0, re-injected at the next entry (SVM only; lost with load option 8)"},
    {"cpu[].events.nmi_pending", approx,
     "VMCB EXITINTINFO type 2: an NMI being delivered reads as pending; a pending NMI is written as being delivered, "
     "so it is injected at the next entry even if NMIs are blocked (SVM only; lost with load option 8)"},
    {"cpu[].events.shadow", approx,
     "VMCB interrupt shadow (0x068 bit 0): STI and MOV SS shadows are one bit, read back as sti (SVM only; lost with "
     "load option 8)"},
    {"cpu[].events.nmi_blocked", none, "Palacios keeps no NMI blocking state"},
    {"cpu[].lapic", exact, "LAPIC context, per-core entries"},
    {"cpu[].lapic.tpr", exact, "guest_info APIC_TPR and LAPIC TASK_PRIO"},

    {"pic", exact, "8259A context"},
    {"pic.master.last_irr", none, "Palacios keeps no edge-detection state"},
    {"pic.slave.last_irr", none, "Palacios keeps no edge-detection state"},
    {"pic.master.priority_add", none, "Palacios does not rotate priorities"},
    {"pic.slave.priority_add", none, "Palacios does not rotate priorities"},

    {"pit", exact, "8254_PIT context"},
    {"pit.channel[].bcd", none, "Palacios's 8254 counts in binary only"},
    {"pit.channel[].count_latch", approx, "LATCH_STATE is a flag; the bytes left follow from the access mode"},
    {"pit.channel[].status_latched", none, "Palacios has no read-back status latch"},
    {"pit.channel[].latched_status", none, "Palacios has no read-back status latch"},
    {"pit.channel[].write_lsb", none, "the half-written count is not saved"},
    {"pit.channel[].write_next", approx, "ACCESS_STATE follows the access mode unless it is a word access"},
    {"pit.channel[].output", approx, "PIT_CH<c>_PINS is saved but not restored (P4)"},
    {"pit.channel[].gate", approx, "PIT_CH<c>_PINS is saved but not restored (P4); channel 2's is PIT_SPEAKER bit 0"},

    {"ioapic", exact, "IOAPIC context"},
    {"ioapic.irr", none, "Palacios's IOAPIC keeps no pending-input state"},

    {"uart", exact, "SERIAL context, ports COM0-COM3"},
    {"uart[].present", approx, "Palacios's SERIAL device always emulates all four ports"},
    {"uart[].thr_ipending", approx, "int_state TX_EMPTY bit; the other interrupt bits are recomputed"},
    {"uart[].timeout_ipending", approx, "int_state RX_TIMEOUT bit"},

    {"rtc", none, "Palacios cannot checkpoint the NVRAM (RTC/CMOS) device: it stays as initialised"},

    {"i8042", exact, "KEYBOARD context"},
    {"i8042.pending_command", approx, "STATE: controller commands 0x60, 0xa5, 0xd1-0xd4 only"},
    {"i8042.output_byte", none, "the output queue is not saved; Palacios resets it on load"},
    {"i8042.keyboard_queue", none, "not saved; Palacios resets it on load (P15)"},
    {"i8042.mouse_queue", none, "not saved; Palacios resets it on load (P15)"},
    {"i8042.keyboard_enabled", none, "not saved"},

    {"memory", approx,
     "memory_img: contiguous regions of region_size from GPA 0, or a raw dump from GPA 0 beside a checkpoint saved "
     "with option 1; holes are written as zero RAM and the last region or the dump is padded"},
};

}  // namespace

std::span<const CoverageRule> coverage() { return rules; }

}  // namespace cptx::palacios
