// The 2011 fs.py checkpoint at power-on: the section tree of the 2011 spec §2 with the keys of §3-§4
// (layout as in §6), device registers at their constructor values as in the v24 skeleton.
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "codecs/gem5/cpu.hpp"
#include "codecs/gem5/misc_regs.hpp"
#include "codecs/gem5/skeleton.hpp"
#include "codecs/gem5/values.hpp"

namespace cptx::gem5 {

namespace {

struct Layout {
  std::string_view name;
  std::string_view keys;
};

// Sections without per-CPU or per-memory variation; "" = a header without keys (2011 spec §4.13).
constexpr Layout platform[] = {
    {"root", ""},
    {"system", "kernel_symtab.size=0"},
    {"system.membus", ""}, {"system.membus.badaddr_responder", ""}, {"system.iobus", ""}, {"system.bridge", ""},
    {"system.intrctrl", ""},
    {"system.pc", ""}, {"system.pc.pciconfig", ""}, {"system.pc.terminal", ""},
    {"system.pc.i_dont_exist", ""}, {"system.pc.behind_pci", ""}, {"system.pc.fake_com_2", ""},
    {"system.pc.fake_com_3", ""}, {"system.pc.fake_com_4", ""}, {"system.pc.fake_floppy", ""},
    {"system.pc.south_bridge", ""},
    {"system.pc.com_1", "status=0\nIER=0\nDLAB=0\nLCR=0\nMCR=0\nrxintrwhen=0\ntxintrwhen=0"},
    {"system.pc.south_bridge.pic1",
     "pinStates=false*8\nmode=0\nIRR=0\nISR=0\nIMR=0\nvectorOffset=0\ncascadeMode=false\ncascadeBits=0\n"
     "edgeTriggered=true\nreadIRR=true\nexpectICW4=false\ninitControlWord=0\nautoEOI=false"},
    {"system.pc.south_bridge.pic2",
     "pinStates=false*8\nmode=1\nIRR=0\nISR=0\nIMR=0\nvectorOffset=0\ncascadeMode=false\ncascadeBits=0\n"
     "edgeTriggered=true\nreadIRR=true\nexpectICW4=false\ninitControlWord=0\nautoEOI=false"},
    {"system.pc.south_bridge.pic1.output", ""}, {"system.pc.south_bridge.pic2.output", ""},
    {"system.pc.south_bridge.cmos",
     "address=0\nregs=0*128\nrtc.clock_data=0 0 0 0 0 0 1 1 1 18\nrtc.stat_regA=38\nrtc.stat_regB=66\n"
     "rtcTimerInterruptTickOffset=5000000000\nrtcClockTickOffset=1000000000000"},
    {"system.pc.south_bridge.cmos.int_pin", ""},
    {"system.pc.south_bridge.dma1", "maskReg=0"},
    {"system.pc.south_bridge.keyboard",
     "dataPort=9223372036854775904\ncommandPort=9223372036854775908\nstatusRegData=16\ncommandByteData=112\n"
     "dataReg=0\nlastCommand=255\nmouse.lastCommand=255\nmouse.outBuffer.size=0\nmouse.outBuffer.elts=\n"
     "mouse.status=0\nmouse.resolution=4\nmouse.sampleRate=100\nkeyboard.lastCommand=255\n"
     "keyboard.outBuffer.size=0\nkeyboard.outBuffer.elts="},
    {"system.pc.south_bridge.keyboard.keyboard_int_pin", ""}, {"system.pc.south_bridge.keyboard.mouse_int_pin", ""},
    {"system.pc.south_bridge.pit", "{pit}"},
    {"system.pc.south_bridge.pit.int_pin", ""},
    {"system.pc.south_bridge.speaker", "controlValData=0"},
    {"system.pc.south_bridge.io_apic",
     "regSel=0\ninitialApicId={cpus}\nid={cpus}\narbId={cpus}\nlowestPriorityOffset=0\nredirTableArray=65536*24\n"
     "pinStates=false*24"},
    {"system.pc.south_bridge.ide",
     "BARSize=8 3 8 3 16 0\n"
     "BARAddrs=9223372036854776304 9223372036854776820 9223372036854776176 9223372036854776692 "
     "9223372036854779904 0\n"
     "config.data=134 128 17 113 0 0 128 2 0 128 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 "
     "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 255 1 0 0\n"
     "primary.cmdAddr=9223372036854776304\nprimary.cmdSize=8\nprimary.ctrlAddr=9223372036854776820\n"
     "primary.ctrlSize=3\nprimary.bmiRegs.command=0\nprimary.bmiRegs.reserved0=0\nprimary.bmiRegs.status=0\n"
     "primary.bmiRegs.reserved1=0\nprimary.bmiRegs.bmidtp=0\nprimary.selectBit=false\n"
     "secondary.cmdAddr=9223372036854776176\nsecondary.cmdSize=8\nsecondary.ctrlAddr=9223372036854776692\n"
     "secondary.ctrlSize=3\nsecondary.bmiRegs.command=0\nsecondary.bmiRegs.reserved0=0\n"
     "secondary.bmiRegs.status=0\nsecondary.bmiRegs.reserved1=0\nsecondary.bmiRegs.bmidtp=0\n"
     "secondary.selectBit=false\nprimaryTiming=0\nsecondaryTiming=0\ndeviceTiming=0\nudmaControl=0\nudmaTiming=0\n"
     "ideConfig=0\nioEnabled=true\nbmEnabled=true\nbmiAddr=9223372036854779904\nbmiSize=16"},
    {"system.smbios_table", ""}, {"system.smbios_table.structures", ""},
    {"system.intel_mp_pointer", ""}, {"system.intel_mp_table", ""}, {"system.intel_mp_table.ext_entries", ""},
    {"system.acpi_description_table_pointer", ""}, {"system.acpi_description_table_pointer.xsdt", ""},
    {"system.e820_table", ""}, {"system.e820_table.entries0", ""}, {"system.e820_table.entries1", ""},
};

// An idle IDE disk after reset (2011 spec §4.11); `{id}` 0 master, 1 slave.
constexpr std::string_view disk_keys =
    "reschedule=0\nevent=0\ncmdReg.data=0\ncmdReg.sec_count=1\ncmdReg.sec_num=1\ncmdReg.cyl_low=0\n"
    "cmdReg.cyl_high=0\ncmdReg.drive={drive}\ncmdReg.command=0\nstatus=80\nnIENBit=false\ndevID={id}\n"
    "curPrd.entry.baseAddr=0\ncurPrd.entry.byteCount=0\ncurPrd.entry.endOfTable=0\ncurPrdAddr=0\ncmdBytesLeft=0\n"
    "cmdBytes=0\ndrqBytesLeft=0\ncurSector=0\ndmaRead=false\nintrPending=false\ndevState=0\ndmaState=0\n"
    "dataBuffer=0*131072";

// The LAPIC keys at reset (2011 spec §4.3), in `<cpu>` and `<cpu>.interrupts`.
constexpr std::string_view lapic_keys =
    "regs=0 327700 0 0 0 0 0 4294967295 255 0*51 65536*6 0*4\nclock=8000\npendingSmi=false\nsmiVector=0\n"
    "pendingNmi=false\nnmiVector=0\npendingExtInt=false\nextIntVector=0\npendingInit=false\ninitVector=0\n"
    "pendingStartup=false\nstartupVector=0\nstartedUp=false\npendingUnmaskableInt=false\npendingIPIs=0\nIRRV=0\n"
    "ISRV=0\napicTimerEventScheduled=false\napicTimerEventTick=0";

constexpr std::string_view thread_keys =
    "_status=1\nfuncExeInst=0\nquiesceEndTick=0\niplLast=0\niplLastTick=0\nfloatRegs.i=0*48\nintRegs=0*39\n_pc=0\n"
    "_npc=8\n_upc=0\n_nupc=1\n_size=0\nregVal={regval}";

// 2011 spec §4.2: nine keys per counter, the expiry as an absolute tick (0 = not scheduled).
std::string pit_keys() {
  std::string s;
  for (int k = 0; k < 3; ++k)
    s += fmt::format(
        "pit.counter{0}.initial_count=0\npit.counter{0}.latched_count=0\npit.counter{0}.period=0\n"
        "pit.counter{0}.mode=0\npit.counter{0}.output_high=false\npit.counter{0}.latch_on=false\n"
        "pit.counter{0}.read_byte=0\npit.counter{0}.write_byte=0\npit.counter{0}.event_tick=0\n",
        k);
  return s;
}

std::string substitute(std::string text, std::string_view from, const std::string& to) {
  for (std::size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

CptFile fs_py_2011_skeleton(std::size_t cpus, std::uint64_t ram_size) {
  CptFile cpt;
  cpt.preamble = {"## checkpoint generated: Thu Jan  1 00:00:00 1970"};
  set_keys(cpt.section("Globals"), "curTick=0");
  set_keys(cpt.section("MainEventQueue"), "numEvents=0");
  set_keys(cpt.section("system.physmem"),
           fmt::format("filename=system.physmem.physmem\n_size={}\nlal_addr=\nlal_cid=", ram_size));
  for (std::size_t i = 0; i < cpus; ++i) {
    const std::string cpu = cpu_section_name(i, cpus);
    set_keys(cpt.section(cpu), "so_state=2\nlocked=false\n_status=0\ninstCnt=0\n" + std::string(lapic_keys));
    set_keys(cpt.section(cpu + ".xc.0"),
             substitute(std::string(thread_keys), "{regval}", reset_regval(misc::count_2011)));
    set_keys(cpt.section(cpu + ".tickEvent"), "_when=0\n_priority=50\n_flags=31328");
    set_keys(cpt.section(cpu + ".interrupts"), lapic_keys);
    for (std::string_view sub : {".itb", ".dtb", ".itb.walker", ".dtb.walker", ".tracer"})
      cpt.section(cpu + std::string(sub));
  }
  for (const Layout& l : platform)
    set_keys(cpt.section(std::string(l.name)),
             substitute(substitute(std::string(l.keys), "{pit}", pit_keys()), "{cpus}", std::to_string(cpus)));
  for (std::size_t i = 0; i < 7; ++i) {
    cpt.section(fmt::format("system.pc.south_bridge.int_lines{}", i));
    cpt.section(fmt::format("system.pc.south_bridge.int_lines{}.sink", i));
  }
  for (std::size_t d = 0; d < 2; ++d) {
    const std::string disk = fmt::format("system.pc.south_bridge.ide.disks{}", d);
    set_keys(cpt.section(disk), substitute(substitute(std::string(disk_keys), "{id}", std::to_string(d)), "{drive}",
                                           d ? "240" : "224"));
    set_keys(cpt.section(disk + ".image"), fmt::format("cowFilename={}.image.cow", disk));
    cpt.section(disk + ".image.child");
  }
  // One MP processor entry per CPU, then the IOAPIC, 2 buses, PCI INTA and 2 x 14 ISA assignments.
  const std::size_t entries = cpus + 32;
  for (std::size_t i = 0; i < entries; ++i) cpt.section(element("system.intel_mp_table.base_entries", i, entries));
  return cpt;
}

}  // namespace cptx::gem5
