#include "codecs/platform/pair.hpp"

#include <charconv>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/json/parse.hpp"
#include "codecs/palacios/tables.hpp"
#include "codecs/platform/text_file.hpp"

namespace cptx::platform {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr std::uint64_t mib = 1 << 20;
// gem5's fs.py platform needs 2 MiB (FSConfig's E820 table); the IOAPIC's id field is 4 bits wide
// in QEMU and Palacios (8 in gem5), so the smallest is the pair's.
constexpr std::uint64_t min_memory = 2 * mib;
constexpr unsigned ioapic_id_bits = 4;
// The ISA devices every platform of a pair has, as pair.json lists them.
struct IsaDevice {
  Device device;
  const char* name;
  const char* ports;
  int irq;  // -1: none of its own
};
constexpr IsaDevice isa_devices[] = {
    {Device::pic, "pic", "0x20-0x21, 0xa0-0xa1", 2},  // IRQ 2: the cascade
    {Device::pit, "pit", "0x40-0x43, 0x61", 0},
    {Device::i8042, "i8042", "0x60, 0x64", 1},
    {Device::rtc, "rtc", "0x70-0x71", 8},
    {Device::com1, "com1", "0x3f8-0x3ff", 4},
};

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

// A Python string literal: JSON's escapes are Python's for these characters.
std::string py(const std::string& s) { return json(s).dump(); }
// A shell word.
std::string sh(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
std::string xml_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

// Replaces each @NAME@ of `text`.
std::string fill(std::string text, std::initializer_list<std::pair<std::string_view, std::string>> values) {
  for (const auto& [name, value] : values) {
    const std::string key = fmt::format("@{}@", name);
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  }
  return text;
}

}  // namespace

void check_spec(const PairSpec& s) {
  if (s.memory < min_memory || s.memory > pci_hole_start || s.memory % mib)
    throw UsageError(fmt::format("--memory of {} bytes: a pair's RAM is a whole number of MiB from 2 MiB to 3 GiB, so "
                                 "that it lies below the PCI hole on all three systems",
                                 s.memory));
  if (s.cpus < 1 || s.cpus > 15)
    throw UsageError(fmt::format("--cpus {}: a pair has 1 to 15 processors (the IOAPIC takes the next APIC id, a "
                                 "4-bit one on QEMU and Palacios)",
                                 s.cpus));
  if (!s.initrd.empty() && !s.disk.empty()) throw UsageError("give --initrd or --disk, not both");
}

std::string pair_json(const PairSpec& s) {
  ordered_json j;
  j["cptx_pair"] = pair_schema_version;
  const auto path_or_null = [](const fs::path& p) { return p.empty() ? ordered_json(nullptr) : ordered_json(p.string()); };
  j["guest"] = {{"kernel", s.kernel.string()},
                {"gem5_kernel", path_or_null(s.gem5_kernel)},
                {"initrd", path_or_null(s.initrd)},
                {"disk", path_or_null(s.disk)},
                {"cmdline", s.cmdline}};
  ordered_json map = ordered_json::array();
  for (const auto& r : ram_below_hole(s.memory)) map.push_back({{"gpa", hex(r.gpa)}, {"size", hex(r.size)}});
  j["ram"] = {{"size", hex(s.memory)},
              {"map", map},
              {"pci_hole", {{"start", hex(pci_hole_start)}, {"end", hex(pci_hole_end)}}},
              {"e820_usable",
               {{{"gpa", "0x0"}, {"size", "0x9fc00"}}, {{"gpa", "0x100000"}, {"size", hex(s.memory - 0x100000)}}}}};
  ordered_json apic_ids = ordered_json::array();
  for (std::size_t i = 0; i < s.cpus; ++i) apic_ids.push_back(i);
  j["cpus"] = {{"count", s.cpus}, {"apic_ids", apic_ids}, {"lapic_address", "0xfee00000"}};
  ordered_json pins = ordered_json::array();
  for (const auto& p : pc_isa_pins()) pins.push_back(p ? ordered_json(*p) : ordered_json(nullptr));
  j["ioapic"] = {{"address", "0xfec00000"},
                 {"id_bits", ioapic_id_bits},
                 {"firmware_id", {{"palacios", s.cpus}, {"gem5", s.cpus}, {"qemu", 0}}},
                 {"isa_pins", pins}};
  ordered_json devices = ordered_json::array();
  for (const auto& d : isa_devices) devices.push_back({{"device", d.name}, {"ports", d.ports}, {"irq", d.irq}});
  j["devices"] = devices;
  return j.dump(2) + "\n";
}

std::string palacios_xml(const PairSpec& s) {
  std::string x = fmt::format(
      "<!-- The Palacios VM of a cptx pair (pair.json): {} MiB, {} core(s), the devices cptx maps with the ids its\n"
      "     codec uses by default, in that order. Palacios boots through its BIOS: {} -->\n"
      "<vm class=\"PC\">\n  <memory>{}</memory>\n  <paging mode=\"shadow\"/>\n  <schedule_hz>100</schedule_hz>\n"
      "  <cores count=\"{}\">\n",
      s.memory / mib, s.cpus,
      s.disk.empty() ? "boot.iso is a CD image holding the kernel, its initrd and command line (docs/pairs.md)."
                     : "the disk must hold a boot loader that starts the kernel with its command line.",
      s.memory / mib, s.cpus);
  for (std::size_t i = 0; i < s.cpus; ++i) x += "    <core/>\n";
  x += "  </cores>\n";
  if (s.disk.empty()) x += "  <files>\n    <file id=\"boot-cd\" filename=\"boot.iso\"/>\n  </files>\n";
  x += "  <devices>\n";
  std::string serial_id = "serial", ide_id = "ide";
  for (const auto& c : palacios::device_classes()) {
    x += fmt::format("    <device class=\"{}\" id=\"{}\"", c.xml_class, c.default_id);
    if (c.xml_class == "IOAPIC") x += fmt::format(">\n      <apic>{}</apic>\n    </device>\n", palacios::device_class_by_xml("LAPIC")->default_id);
    else x += "/>\n";
    if (c.xml_class == "SERIAL") serial_id = std::string(c.default_id);
  }
  x += fmt::format(
      "    <!-- COM1 (0x3f8, IRQ 4) on a host stream: v3_stream /dev/v3-vmN com1 -->\n"
      "    <device class=\"CHAR_STREAM\" id=\"com1-stream\">\n      <name>com1</name>\n"
      "      <frontend tag=\"{}\">\n        <com_port>1</com_port>\n      </frontend>\n    </device>\n",
      serial_id);
  if (s.disk.empty()) {
    x += fmt::format(
        "    <device class=\"{}\" id=\"{}\"/>\n"
        "    <device class=\"RAMDISK\" id=\"cd0\">\n      <file>boot-cd</file>\n      <frontend tag=\"{}\">\n"
        "        <model>V3VEE CDROM</model>\n        <type>cdrom</type>\n        <bus_num>0</bus_num>\n"
        "        <drive_num>0</drive_num>\n      </frontend>\n    </device>\n",
        "IDE", ide_id, ide_id);
  } else {
    x += fmt::format(
        "    <device class=\"PCI\" id=\"pci0\"/>\n"
        "    <device class=\"i440FX\" id=\"northbridge\">\n      <bus>pci0</bus>\n    </device>\n"
        "    <device class=\"PIIX3\" id=\"southbridge\">\n      <bus>pci0</bus>\n    </device>\n"
        "    <device class=\"IDE\" id=\"{}\">\n      <bus>pci0</bus>\n      <controller>southbridge</controller>\n"
        "    </device>\n"
        "    <device class=\"FILEDISK\" id=\"hd0\">\n      <path>{}</path>\n      <writable>1</writable>\n"
        "      <frontend tag=\"{}\">\n        <model>V3VEE HD</model>\n        <type>hd</type>\n"
        "        <bus_num>0</bus_num>\n        <drive_num>0</drive_num>\n      </frontend>\n    </device>\n",
        ide_id, xml_text(s.disk.string()), ide_id);
  }
  x += fmt::format(
      "    <!-- CMOS/RTC: Palacios does not checkpoint it (P15) -->\n"
      "    <device class=\"NVRAM\" id=\"nvram\">\n      <storage>{}</storage>\n      <bootseq>{}</bootseq>\n"
      "    </device>\n"
      "    <!-- MP tables: the processors, the IOAPIC (id {}) and IRQ 0 on pin 2, as QEMU and gem5 state them -->\n"
      "    <device class=\"MPTABLE\" id=\"mptable\"/>\n  </devices>\n</vm>\n",
      ide_id, s.disk.empty() ? "cd" : "hd", s.cpus);
  return x;
}

std::string gem5_script(const PairSpec& s) {
  return fill(R"PY(# The gem5 v24 platform of a cptx pair (pair.json): the X86 full-system machine of gem5's fs.py
# (configs/common/FSConfig.py), with this pair's RAM, processors, kernel and command line.
#
#   gem5.opt [-d OUTDIR] gem5.py [--configs DIR] [--cpu-type atomic|timing|o3]
#            [--take-checkpoint TICK] [--restore CPT_DIR] [--max-tick TICK]
#
# --configs is gem5's configs/ directory (default $GEM5_CONFIGS, else ./configs). --take-checkpoint
# runs to TICK and writes OUTDIR/cpt.<tick>, as fs.py names its checkpoints; --restore starts from a
# checkpoint directory (one gem5 wrote, or one cptx converted).
import argparse
import os

import m5
from m5.objects import (
    Bridge,
    DDR3_1600_8x8,
    MemCtrl,
    Root,
    SrcClockDomain,
    VoltageDomain,
    X86AtomicSimpleCPU,
    X86O3CPU,
    X86TimingSimpleCPU,
)
from m5.util import addToPath

KERNEL = @KERNEL@
DISKS = @DISKS@
MEMORY = "@MEMORY@MB"
CPUS = @CPUS@
COMMAND_LINE = @CMDLINE@

parser = argparse.ArgumentParser(description="the gem5 platform of a cptx pair")
parser.add_argument("--configs", default=os.environ.get("GEM5_CONFIGS", "configs"))
parser.add_argument("--cpu-type", choices=["atomic", "timing", "o3"], default="atomic")
parser.add_argument("--take-checkpoint", type=int, metavar="TICK")
parser.add_argument("--restore", metavar="CPT_DIR")
parser.add_argument("--max-tick", type=int, default=m5.MaxTick)
args = parser.parse_args()

addToPath(args.configs)
from common.Benchmarks import SysConfig
from common.FSConfig import makeLinuxX86System

cpu_class = {
    "atomic": X86AtomicSimpleCPU,
    "timing": X86TimingSimpleCPU,
    "o3": X86O3CPU,
}[args.cpu_type]
mem_mode = "atomic" if args.cpu_type == "atomic" else "timing"

system = makeLinuxX86System(
    mem_mode, CPUS, SysConfig(mem=MEMORY, disks=DISKS), False, cmdline=COMMAND_LINE
)
system.voltage_domain = VoltageDomain(voltage="1.0V")
system.clk_domain = SrcClockDomain(
    clock="1GHz", voltage_domain=system.voltage_domain
)
system.cpu_voltage_domain = VoltageDomain()
system.cpu_clk_domain = SrcClockDomain(
    clock="2GHz", voltage_domain=system.cpu_voltage_domain
)
system.workload.object_file = KERNEL
system.cpu = [
    cpu_class(clk_domain=system.cpu_clk_domain, cpu_id=i) for i in range(CPUS)
]
# No caches: processors and the I/O bus reach memory over the memory bus, as fs.py without --caches.
system.iobridge = Bridge(delay="50ns", ranges=system.mem_ranges)
system.iobridge.cpu_side_port = system.iobus.mem_side_ports
system.iobridge.mem_side_port = system.membus.cpu_side_ports
for cpu in system.cpu:
    cpu.createThreads()
    cpu.createInterruptController()
    cpu.connectAllPorts(
        system.membus.cpu_side_ports,
        system.membus.cpu_side_ports,
        system.membus.mem_side_ports,
    )
system.mem_ctrls = [
    MemCtrl(dram=DDR3_1600_8x8(range=r), port=system.membus.mem_side_ports)
    for r in system.mem_ranges
]

root = Root(full_system=True, system=system)
m5.instantiate(args.restore)

limit = args.max_tick
if args.take_checkpoint is not None:
    limit = args.take_checkpoint
event = m5.simulate(limit - m5.curTick())
print("stopped at tick %d: %s" % (m5.curTick(), event.getCause()))
if args.take_checkpoint is not None and m5.curTick() >= args.take_checkpoint:
    m5.checkpoint(os.path.join(m5.options.outdir, "cpt.%d" % m5.curTick()))
)PY",
              {{"KERNEL", py((s.gem5_kernel.empty() ? s.kernel : s.gem5_kernel).string())},
               {"DISKS", s.disk.empty() ? "[]" : "[" + py(s.disk.string()) + "]"},
               {"MEMORY", std::to_string(s.memory / mib)},
               {"CPUS", std::to_string(s.cpus)},
               {"CMDLINE", py(s.cmdline)}});
}

std::string qemu_script(const PairSpec& s) {
  std::string boot = "-kernel \"$kernel\" -append \"$cmdline\"";
  if (!s.initrd.empty()) boot += " -initrd \"$initrd\"";
  if (!s.disk.empty()) boot += " -drive \"file=$disk,format=raw,if=ide\"";
  return fill(R"SH(#!/bin/sh
# The QEMU platform of a cptx pair (pair.json): -machine pc with this pair's RAM, processors, kernel
# and command line, COM1 as its only serial port, TCG unless --kvm.
#
#   qemu.sh [--kvm] [--serial FILE] [--qmp SOCKET] [--restore FILE] [-- QEMU-ARGS...]
#   qemu.sh --save SOCKET FILE
#
# --serial writes COM1 to FILE (default: standard output); --qmp opens QMP on a Unix socket, which
# --save uses to stop the guest and write its state to FILE (a QEMU migration stream, which cptx
# reads); --restore starts the machine from such a file.
set -eu

# The platform: cptx pair check reads these assignments.
memory_mib=@MEMORY@
cpus=@CPUS@
kernel=@KERNEL@
initrd=@INITRD@
disk=@DISK@
cmdline=@CMDLINE@

# A QMP client: `qmp SOCKET save FILE` stops the guest, writes its state to FILE and ends QEMU;
# `qmp SOCKET resume` waits for an incoming state to be loaded and lets the guest run on (a state
# saved while stopped loads stopped).
qmp() {
  python3 - "$@" <<'EOF'
import json, os, socket, sys, time
path, action = sys.argv[1], sys.argv[2]
for _ in range(600):
    if os.path.exists(path):
        break
    time.sleep(0.05)
sock = socket.socket(socket.AF_UNIX)
sock.connect(path)
stream = sock.makefile("rw")
def command(name, **arguments):
    stream.write(json.dumps({"execute": name, "arguments": arguments}) + "\n")
    stream.flush()
    while True:
        reply = json.loads(stream.readline())
        if "error" in reply:
            sys.exit("qemu.sh: %s: %s" % (name, reply["error"]["desc"]))
        if "return" in reply:
            return reply["return"]
json.loads(stream.readline())  # the greeting
command("qmp_capabilities")
def wait_for(query, done, failed=()):
    for _ in range(12000):
        status = command(query)["status"]
        if status in done:
            return status
        if status in failed:
            sys.exit("qemu.sh: %s: %s" % (query, status))
        time.sleep(0.05)
    sys.exit("qemu.sh: %s: no end after 10 minutes" % query)
if action == "save":
    command("stop")
    command("migrate-set-parameters", **{"max-bandwidth": 1 << 40})
    command("migrate", uri="exec:cat > '%s'" % sys.argv[3].replace("'", "'\\''"))
    wait_for("query-migrate", ("completed",), ("failed", "cancelled"))
    command("quit")
else:
    wait_for("query-status", ("paused", "postmigrate", "running"), ("internal-error", "shutdown"))
    command("cont")
EOF
}

if [ "${1:-}" = --save ]; then
  [ $# -eq 3 ] || { echo "usage: $0 --save SOCKET FILE" >&2; exit 2; }
  qmp "$2" save "$3"
  exit
fi

accel=tcg
serial=stdio
qmp=
restore=
while [ $# -gt 0 ]; do
  case "$1" in
    --kvm) accel=kvm ;;
    --serial) serial="file:$2"; shift ;;
    --qmp) qmp="$2"; shift ;;
    --restore) restore="$2"; shift ;;
    --) shift; break ;;
    *) echo "$0: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
set -- "$@" -machine "pc,accel=$accel" -m "$memory_mib" -smp "$cpus" @BOOT@
if [ -n "$restore" ]; then
  [ -n "$qmp" ] || qmp="${TMPDIR:-/tmp}/qemu-pair-$$.qmp"
  set -- "$@" -incoming "exec:cat '$restore'"
fi
[ -n "$qmp" ] && set -- "$@" -qmp "unix:$qmp,server=on,wait=off"
if [ -z "$restore" ]; then
  exec qemu-system-x86_64 -display none -nodefaults -no-user-config -monitor none -serial "$serial" "$@"
fi
qemu-system-x86_64 -display none -nodefaults -no-user-config -monitor none -serial "$serial" "$@" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT INT TERM
qmp "$qmp" resume || exit 1
wait $pid
)SH",
              {{"MEMORY", std::to_string(s.memory / mib)},
               {"CPUS", std::to_string(s.cpus)},
               {"KERNEL", sh(s.kernel.string())},
               {"INITRD", sh(s.initrd.string())},
               {"DISK", sh(s.disk.string())},
               {"CMDLINE", sh(s.cmdline)},
               {"BOOT", boot}});
}

void write_pair(const PairSpec& spec, const fs::path& out, bool force) {
  check_spec(spec);
  AtomicOutput dir(out, AtomicOutput::Kind::directory, force);
  const auto put = [&](const char* name, const std::string& text, bool executable) {
    const fs::path p = dir.temp_path() / name;
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << text;
    f.close();
    if (!f) io::write_failed(p);
    if (executable)
      fs::permissions(p, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec, fs::perm_options::add);
  };
  put("pair.json", pair_json(spec), false);
  put("palacios.xml", palacios_xml(spec), false);
  put("gem5.py", gem5_script(spec), false);
  put("qemu.sh", qemu_script(spec), true);
  dir.commit();
}

Target read_pair_json(const fs::path& file) {
  const json j = parse_json_text(read_text_file(file), file.string());
  const auto bad = [&](const std::string& key, const std::string& what) -> InputError {
    return InputError({file.string(), std::nullopt, std::nullopt, key}, what);
  };
  const auto number = [&](const json& v, const std::string& key) -> std::uint64_t {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (v.is_string()) {
      const std::string t = v.get<std::string>();
      const bool hex = t.starts_with("0x");
      std::uint64_t n = 0;
      const char* first = t.data() + (hex ? 2 : 0);
      const auto [end, ec] = std::from_chars(first, t.data() + t.size(), n, hex ? 16 : 10);
      if (ec == std::errc() && end == t.data() + t.size() && end != first) return n;
    }
    throw bad(key, "expected a number or a \"0x...\" string");
  };
  if (!j.is_object() || !j.contains("cptx_pair")) throw bad("cptx_pair", "not a cptx pair description");
  if (j["cptx_pair"] != pair_schema_version)
    throw bad("cptx_pair", fmt::format("version {}; this cptx reads version {}", j["cptx_pair"].dump(), pair_schema_version));
  try {
    Target t;
    t.described_by = file.string();
    const json& ram = j.at("ram");
    t.ram_size = number(ram.at("size"), "ram.size");
    t.ram_key = "ram.size";
    t.ram_map.emplace();
    for (std::size_t i = 0; i < ram.at("map").size(); ++i) {
      const std::string key = fmt::format("ram.map[{}]", i);
      t.ram_map->push_back({number(ram["map"][i].at("gpa"), key + ".gpa"), number(ram["map"][i].at("size"), key + ".size")});
    }
    const json& cpus = j.at("cpus");
    t.cpus = number(cpus.at("count"), "cpus.count");
    t.apic_ids.emplace();
    for (std::size_t i = 0; i < cpus.at("apic_ids").size(); ++i)
      t.apic_ids->push_back(static_cast<std::uint32_t>(number(cpus["apic_ids"][i], fmt::format("cpus.apic_ids[{}]", i))));
    const json& ioapic = j.at("ioapic");
    t.ioapic_id_bits = static_cast<unsigned>(number(ioapic.at("id_bits"), "ioapic.id_bits"));
    const json& pins = ioapic.at("isa_pins");
    if (!pins.is_array() || pins.size() != 16) throw bad("ioapic.isa_pins", "expected 16 entries, ISA IRQ 0 to 15");
    t.isa_pins.emplace();
    for (std::size_t i = 0; i < 16; ++i)
      if (!pins[i].is_null()) {
        const std::string key = fmt::format("ioapic.isa_pins[{}]", i);
        const std::uint64_t pin = number(pins[i], key);
        if (pin >= model::IoApic{}.redirection.size()) throw bad(key, fmt::format("pin {}: the IOAPIC has 24", pin));
        (*t.isa_pins)[i] = static_cast<std::uint8_t>(pin);
      }
    // The local APIC and the IOAPIC are in every pair; the ISA devices are those listed.
    for (auto& h : t.has) h = false;
    t.has[static_cast<std::size_t>(Device::lapic)] = t.has[static_cast<std::size_t>(Device::ioapic)] = true;
    for (const auto& d : j.at("devices")) {
      const std::string name = d.at("device").get<std::string>();
      bool known = false;
      for (const auto& isa : isa_devices)
        if (name == isa.name) t.has[static_cast<std::size_t>(isa.device)] = known = true;
      for (int com = 2; com <= 4; ++com)
        if (name == fmt::format("com{}", com)) t.has[static_cast<std::size_t>(Device::com1) + com - 1] = known = true;
      if (!known) throw bad("devices", fmt::format("unknown device '{}'", name));
    }
    return t;
  } catch (const json::exception& e) {
    throw bad("", fmt::format("missing or mistyped key: {}", e.what()));
  }
}

}  // namespace cptx::platform
