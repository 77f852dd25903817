#include "codecs/gem5/skeleton.hpp"

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "codecs/gem5/cpu.hpp"
#include "codecs/gem5/misc_regs.hpp"
#include "codecs/gem5/values.hpp"

namespace cptx::gem5 {

namespace {

// The 29 upgrader tags of v24.0.0.1, sorted (v24 spec §1.5).
constexpr std::string_view version_tags =
    "arm-ccregs arm-contextidr-el2 arm-gem5-gic-ext arm-gicv2-banked-regs arm-hdlcd-upgrade arm-miscreg-teehbr "
    "arm-sve arm-sysreg-mapping-ns armv8 cpu-pid dvfs-perflevel etherswitch globals-to-root ide-dma-abort "
    "isa-is-simobject memory-per-range mempool-sections mempool-to-seworkload multiple-event-queues "
    "process-fdmap-rename register-files remove-arm-cpsr-mode-miscreg riscv-dyn-vlen riscv-pcstate riscv-vext "
    "ruby-block-size-bytes smt-interrupts x86-add-tlb x86-add-xcr0";

// A section and its keys in gem5's write order, `key=value` lines. "@" stands for the power-state
// pair currState/prvEvalTick (v24 spec §2.3).
struct Layout {
  std::string_view name;
  std::string_view keys;
};

constexpr std::string_view power = "@";

// Objects with no per-CPU or per-memory variation, at their constructor values (v24 spec §7).
constexpr Layout platform[] = {
    {"system.apicbridge", power}, {"system.apicbridge.power_state", power},
    {"system.bridge", power}, {"system.bridge.power_state", power},
    {"system.clk_domain", "_perfLevel=0"},
    {"system.cpu_clk_domain", "_perfLevel=0"}, {"system.cpu_voltage_domain", "_perfLevel=0"},
    {"system.dvfs_handler", "enableHandler=false\ndomain_ids=\nperf_levels=\nwhens="},
    {"system.iobridge", power}, {"system.iobridge.power_state", power},
    {"system.iobus", power}, {"system.iobus.power_state", power},
    {"system.membus", power}, {"system.membus.badaddr_responder", power},
    {"system.membus.badaddr_responder.power_state", power}, {"system.membus.power_state", power},
    {"system.membus.snoop_filter", ""},
    {"system.pc", ""}, {"system.pc.bad_addr", power}, {"system.pc.bad_addr.power_state", power},
    {"system.pc.com_1", "status=0\nIER=0\nLCR=0\nMCR=0\nrxintrwhen=0\ntxintrwhen=0"},
    {"system.pc.com_1.device", ""}, {"system.pc.com_1.power_state", power},
    {"system.pc.default_bus", power}, {"system.pc.default_bus.power_state", power},
    {"system.pc.empty_isa", power}, {"system.pc.empty_isa.power_state", power},
    {"system.pc.fake_com_2", power}, {"system.pc.fake_com_2.power_state", power},
    {"system.pc.fake_com_3", power}, {"system.pc.fake_com_3.power_state", power},
    {"system.pc.fake_com_4", power}, {"system.pc.fake_com_4.power_state", power},
    {"system.pc.fake_floppy", power}, {"system.pc.fake_floppy.power_state", power},
    {"system.pc.pci_host", power}, {"system.pc.pci_host.power_state", power},
    {"system.pc.south_bridge", ""},
    {"system.pc.south_bridge.cmos",
     "address=0\nregs=*128\nrtc.clock_data=0 0 0 0 0 0 1 1 1 18\nrtc.stat_regA=38\nrtc.stat_regB=66\n"
     "rtcTimerInterruptTickOffset=5000000000\nrtcClockTickOffset=1000000000000"},
    {"system.pc.south_bridge.cmos.power_state", power},
    {"system.pc.south_bridge.dma1", "maskReg=15"}, {"system.pc.south_bridge.dma1.power_state", power},
    {"system.pc.south_bridge.ide",
     "config.data=134 128 17 113 0 0 128 2 0 128 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 "
     "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 255 1 0 0\n"
     "pmcap.pid=0\npmcap.pc=0\npmcap.pmcs=0\nmsicap.mid=0\nmsicap.mc=0\nmsicap.ma=0\nmsicap.mua=0\nmsicap.md=0\n"
     "msicap.mmask=0\nmsicap.mpend=0\nmsixcap.mxid=0\nmsixcap.mxc=0\nmsixcap.mtab=0\nmsixcap.mpba=0\npxcap.pxid=0\n"
     "pxcap.pxcap=0\npxcap.pxdcap=0\npxcap.pxdc=0\npxcap.pxds=0\npxcap.pxlcap=0\npxcap.pxlc=0\npxcap.pxls=0\n"
     "pxcap.pxdcap2=0\npxcap.pxdc2=0\nprimary.bmiRegs.command=0\nprimary.bmiRegs.reserved0=0\n"
     "primary.bmiRegs.status=96\nprimary.bmiRegs.reserved1=0\nprimary.bmiRegs.bmidtp=0\nprimary.selectBit=false\n"
     "secondary.bmiRegs.command=0\nsecondary.bmiRegs.reserved0=0\nsecondary.bmiRegs.status=96\n"
     "secondary.bmiRegs.reserved1=0\nsecondary.bmiRegs.bmidtp=0\nsecondary.selectBit=false\nprimaryTiming=32768\n"
     "secondaryTiming=32768\ndeviceTiming=0\nudmaControl=0\nudmaTiming=0"},
    {"system.pc.south_bridge.ide.BAR0", ""}, {"system.pc.south_bridge.ide.BAR1", ""},
    {"system.pc.south_bridge.ide.BAR2", ""}, {"system.pc.south_bridge.ide.BAR3", ""},
    {"system.pc.south_bridge.ide.BAR4", ""}, {"system.pc.south_bridge.ide.BAR5", ""},
    {"system.pc.south_bridge.ide.power_state", power},
    {"system.pc.south_bridge.io_apic",
     "regSel=0\ninitialApicId={cpus}\nid={cpus}\narbId={cpus}\nlowestPriorityOffset=0\nredirTableArray=65536*24\n"
     "pinStates=false*24"},
    {"system.pc.south_bridge.io_apic.power_state", power},
    {"system.pc.south_bridge.keyboard",
     "dataPort=9223372036854775904\ncommandPort=9223372036854775908\nstatusReg=16\ncommandByte=112\ndataReg=0\n"
     "lastCommand=65535"},
    {"system.pc.south_bridge.keyboard.keyboard", "outBuffer=\ninBuffer=\nshiftDown=false\nenabled=false"},
    {"system.pc.south_bridge.keyboard.mouse", "outBuffer=\ninBuffer=\nstatus=0\nresolution=4\nsampleRate=100"},
    {"system.pc.south_bridge.keyboard.power_state", power},
    {"system.pc.south_bridge.pic1",
     "pinStates=false*8\nmode=0\nIRR=0\nISR=0\nIMR=0\nvectorOffset=0\ncascadeMode=false\ncascadeBits=0\n"
     "edgeTriggered=true\nreadIRR=true\nexpectICW4=false\ninitControlWord=0\nautoEOI=false"},
    {"system.pc.south_bridge.pic1.power_state", power},
    {"system.pc.south_bridge.pic2",
     "pinStates=false*8\nmode=1\nIRR=0\nISR=0\nIMR=0\nvectorOffset=0\ncascadeMode=false\ncascadeBits=0\n"
     "edgeTriggered=true\nreadIRR=true\nexpectICW4=false\ninitControlWord=0\nautoEOI=false"},
    {"system.pc.south_bridge.pic2.power_state", power},
    {"system.pc.south_bridge.pit", "{pit}"},
    {"system.pc.south_bridge.pit.power_state", power},
    {"system.pc.south_bridge.speaker", "controlVal=0"}, {"system.pc.south_bridge.speaker.power_state", power},
    {"system.voltage_domain", "_perfLevel=0"},
    {"system.workload", "symtab.size=0"},
    {"system.workload.acpi_description_table_pointer", ""},
    {"system.workload.acpi_description_table_pointer.rsdt", ""},
    {"system.workload.acpi_description_table_pointer.rsdt.entries", ""},
    {"system.workload.acpi_description_table_pointer.xsdt", ""},
    {"system.workload.e820_table", ""},
    {"system.workload.intel_mp_pointer", ""}, {"system.workload.intel_mp_table", ""},
    {"system.workload.intel_mp_table.ext_entries", ""},
    {"system.workload.smbios_table", ""}, {"system.workload.smbios_table.structures", ""},
};

// The LAPIC keys at reset (v24 spec §7), written to `<cpu>.xc.0` and `<cpu>.interrupts`.
constexpr std::string_view lapic_keys =
    "regs=0 327700 0 0 0 0 0 4294967295 255 0*51 65536*6 0*4\npendingSmi=false\nsmiVector=0\npendingNmi=false\n"
    "nmiVector=0\npendingExtInt=false\nextIntVector=0\npendingInit=false\ninitVector=0\npendingStartup=false\n"
    "startupVector=0\nstartedUp=false\npendingUnmaskableInt=false\npendingIPIs=0\nIRRV=0\nISRV=0\n"
    "apicTimerEventScheduled=false\napicTimerEventTick=0";

constexpr std::string_view thread_keys =
    "_status=1\nregs.integer=0*312\nregs.floating_point=0*384\nregs.vector=0*8\nregs.vector_element=0*16\n"
    "regs.vector_predicate=0*8\nregs.matrix=\nregs.condition_code=0*40\n_pc=0\n_upc=0\n_npc=8\n_nupc=1\n_size=0";

constexpr Layout per_cpu[] = {
    {"", "instCnt=0\n_pid=4294967295"},
    {".decoder", ""},
    {".interrupts", "{lapic}"},
    {".interrupts.clk_domain", ""},
    {".isa", "isaName=x86\nregVal={regval}"},
    {".mmu", ""},
    {".mmu.dtb", "_size=0\nlruSeq=0"}, {".mmu.dtb.walker", power}, {".mmu.dtb.walker.power_state", power},
    {".mmu.itb", "_size=0\nlruSeq=0"}, {".mmu.itb.walker", power}, {".mmu.itb.walker.power_state", power},
    {".power_state", "currState=1\nprvEvalTick=0"},
    {".tracer", ""}, {".tracer.disassembler", ""},
};

std::string pit_keys() {
  std::string s;
  for (int k = 0; k < 3; ++k)
    for (std::string_view f : {"initial_count", "latched_count", "period", "mode"})
      s += fmt::format("pit.counter{}.{}=0\n", k, f),
          s += f == "mode" ? fmt::format("pit.counter{0}.output_high=false\npit.counter{0}.latch_on=false\n"
                                         "pit.counter{0}.read_byte=0\npit.counter{0}.write_byte=0\n"
                                         "pit.counter{0}.event_tick_offset=0\n",
                                         k)
                           : "";
  s.pop_back();
  return s;
}

// Expands `value*N` into N space-separated copies (a single token before `*`), and the placeholders.
std::string expand(std::string_view value) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= value.size()) {
    const std::size_t end = std::min(value.find(' ', pos), value.size());
    const std::string_view tok = value.substr(pos, end - pos);
    const std::size_t star = tok.find('*');
    if (star == std::string_view::npos) {
      out += (out.empty() ? "" : " ") + std::string(tok);
    } else {
      const std::string rep(tok.substr(0, star));
      const auto n = std::stoul(std::string(tok.substr(star + 1)));
      for (unsigned long i = 0; i < n; ++i) out += (out.empty() ? "" : " ") + rep;
    }
    pos = end + 1;
  }
  return out;
}

void add(CptFile& cpt, const std::string& name, std::string_view keys, std::size_t cpus) {
  std::string text(keys);
  auto replace = [&](std::string_view from, const std::string& to) {
    for (std::size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
  };
  replace("{lapic}", std::string(lapic_keys));
  replace("{pit}", pit_keys());
  replace("{regval}", reset_regval(misc::count_v24));
  replace("{cpus}", std::to_string(cpus));
  if (text == power) text = "currState=0\nprvEvalTick=0";
  set_keys(cpt.section(name), text);
}

}  // namespace

void set_keys(Section& s, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    const std::size_t eq = line.find('=');
    s.set(std::string(line.substr(0, eq)), expand(line.substr(eq + 1)));
    pos = end + 1;
  }
}

std::string element(std::string_view base, std::size_t i, std::size_t n) {
  if (n == 1) return std::string(base);
  return fmt::format("{}{:0{}}", base, i, std::to_string(n - 1).size());
}

CptFile fs_py_skeleton(std::size_t cpus, const std::vector<std::uint64_t>& store_sizes) {
  CptFile cpt;
  cpt.preamble = {"## checkpoint generated: Thu Jan  1 00:00:00 1970"};
  add(cpt, "root", "FullSystem=true", cpus);
  add(cpt, "root.globals", "curTick=0\nversion_tags=" + std::string(version_tags), cpus);
  std::string system;
  for (std::size_t i = 0; i < cpus; ++i) system += fmt::format("{}quiesceEndTick_{}=0", i ? "\n" : "", i);
  add(cpt, "system", system, cpus);
  add(cpt, "system.physmem", fmt::format("lal_addr=\nlal_cid=\nnbr_of_stores={}", store_sizes.size()), cpus);
  for (std::size_t i = 0; i < store_sizes.size(); ++i)
    add(cpt, fmt::format("system.physmem.store{}", i),
        fmt::format("store_id={0}\nfilename=system.physmem.store{0}.pmem\nrange_size={1}", i, store_sizes[i]), cpus);
  for (std::size_t i = 0; i < cpus; ++i) {
    const std::string cpu = cpu_section_name(i, cpus);
    for (const Layout& l : per_cpu) {
      add(cpt, cpu + std::string(l.name), l.keys, cpus);
      if (l.name.empty()) add(cpt, cpu + ".xc.0", std::string(lapic_keys) + "\n" + std::string(thread_keys), cpus);
    }
  }
  // One memory controller per range (`mem_ctrls`, or `mem_ctrls0`, `mem_ctrls1` above 3 GiB).
  for (std::size_t i = 0; i < store_sizes.size(); ++i) {
    const std::string ctrl = element("system.mem_ctrls", i, store_sizes.size());
    for (std::string_view sub : {"", ".dram", ".dram.power_state", ".power_state"}) add(cpt, ctrl + std::string(sub), power, cpus);
  }
  for (const Layout& l : platform) add(cpt, std::string(l.name), l.keys, cpus);
  // BIOS tables: one MADT LAPIC record and one MP processor entry per CPU (key-less sections).
  const std::size_t records = cpus + 16, entries = cpus + 32;
  for (std::size_t i = 0; i < records; ++i)
    add(cpt, element("system.workload.acpi_description_table_pointer.rsdt.entries.records", i, records), "", cpus);
  for (std::size_t i = 0; i < 5; ++i) add(cpt, element("system.workload.e820_table.entries", i, 5), "", cpus);
  for (std::size_t i = 0; i < entries; ++i)
    add(cpt, element("system.workload.intel_mp_table.base_entries", i, entries), "", cpus);
  return cpt;
}

std::string reset_regval(std::size_t count) {
  std::vector<std::uint64_t> r(count, 0);
  r[misc::index("Cr0")] = 0x60000010;
  r[misc::index("Dr6")] = 0xffff0ff0;
  r[misc::index("Dr7")] = 0x400;
  r[misc::index("Mtrrcap")] = 0x508;
  r[misc::index("McgCap")] = 0x104;
  r[misc::index("Pat")] = 0x0007040600070406;
  r[misc::index("Syscfg")] = 0x20601;
  r[misc::index("TopMem")] = 0x4000000;
  r[misc::index("ApicBase")] = 0xfee00800;
  if (count > misc::index("Xcr0")) r[misc::index("Xcr0")] = 1;  // x87 enabled
  return encode_int_array<std::uint64_t>(r);
}

}  // namespace cptx::gem5
