#include "codecs/platform/describe.hpp"

#include <map>
#include <charconv>
#include <sstream>
#include <strings.h>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/palacios/vm_config.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/platform/pair.hpp"
#include "codecs/platform/text_file.hpp"

namespace cptx::platform {

namespace fs = std::filesystem;

namespace {

void set(Target& t, Device d, bool present) { t.has[static_cast<std::size_t>(d)] = present; }

// A decimal number of at most `digits` digits filling `text`; nullopt otherwise.
std::optional<std::uint64_t> decimal(std::string_view text, std::size_t digits = 19) {
  std::uint64_t n = 0;
  if (text.empty() || text.size() > digits) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::vector<std::uint32_t> first_ids(std::size_t n) {
  std::vector<std::uint32_t> ids;
  for (std::uint32_t i = 0; i < n; ++i) ids.push_back(i);
  return ids;
}

}  // namespace

// Palacios (§5): RAM from GPA 0, one LAPIC per core with ids 0..n-1, a 4-bit IOAPIC id (§3.4), the
// devices its classes give; the SERIAL device is COM1-COM4, NVRAM the RTC/CMOS.
Target palacios_target(const fs::path& xml) {
  const palacios::VmConfig cfg = palacios::read_vm_config(xml);
  Target t;
  t.described_by = xml.string();
  if (cfg.memory) {
    t.ram_size = *cfg.memory;
    t.ram_key = "vm/memory";
    t.ram_map = std::vector<RamRange>{{0, *cfg.memory}};
  }
  t.cpus = cfg.cores;
  if (cfg.cores) t.apic_ids = first_ids(*cfg.cores);
  t.ioapic_id_bits = 4;
  for (auto& h : t.has) h = false;
  for (const auto& d : cfg.devices) {
    const auto is = [&](const char* cls) { return strcasecmp(d.xml_class.c_str(), cls) == 0; };
    if (is("8259A")) set(t, Device::pic, true);
    if (is("8254_PIT")) set(t, Device::pit, true);
    if (is("LAPIC")) set(t, Device::lapic, true);
    if (is("IOAPIC")) set(t, Device::ioapic, true);
    if (is("NVRAM")) set(t, Device::rtc, true);
    if (is("KEYBOARD")) set(t, Device::i8042, true);
    if (is("SERIAL"))
      for (auto com : {Device::com1, Device::com2, Device::com3, Device::com4}) set(t, com, true);
  }
  t.isa_pins = pc_isa_pins();
  return t;
}

// gem5's config.ini: [system] mem_ranges, one [system.cpuN] per processor (cpu_id = APIC id), the
// south bridge's devices and the PC's com_1.
Target gem5_target(const fs::path& config_ini) {
  const std::string text = read_text_file(config_ini);
  std::map<std::string, std::map<std::string, std::string>> ini;
  std::istringstream in(text);
  std::string line, section;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      ini[section];
    } else if (const auto eq = line.find('='); eq != std::string::npos && !section.empty()) {
      ini[section][line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  if (!ini.contains("system")) throw InputError({config_ini.string(), std::nullopt, std::nullopt, "system"}, "no [system] section: not a gem5 config.ini");
  Target t;
  t.described_by = config_ini.string();
  t.ram_size = 0;
  t.ram_key = "system:mem_ranges";
  t.ram_map.emplace();
  std::istringstream ranges(ini["system"]["mem_ranges"]);
  for (std::string r; ranges >> r;) {
    const auto colon = r.find(':');
    const auto start = decimal(std::string_view(r).substr(0, colon)),
               end = colon == std::string::npos ? std::nullopt : decimal(std::string_view(r).substr(colon + 1));
    if (!start || !end)
      throw InputError({config_ini.string(), std::nullopt, std::nullopt, "system:mem_ranges"},
                       fmt::format("'{}' is not START:END", r.substr(0, 64)));
    if (*end < *start) throw InputError({config_ini.string(), std::nullopt, std::nullopt, "system:mem_ranges"}, "a range ends before it starts");
    t.ram_map->push_back({*start, *end - *start});
    *t.ram_size += *end - *start;
  }
  // system.cpu, or system.cpu0, system.cpu1, ...
  std::size_t cpus = 0;
  for (const auto& [name, keys] : ini)
    if (name.starts_with("system.cpu") && name.find_first_not_of("0123456789", 10) == std::string::npos &&
        keys.contains("cpu_id"))
      ++cpus;
  t.cpus = cpus;
  t.apic_ids = first_ids(cpus);
  t.ioapic_id_bits = 8;
  const auto has_section = [&](const char* name) { return ini.contains(name); };
  set(t, Device::pic, has_section("system.pc.south_bridge.pic1"));
  set(t, Device::pit, has_section("system.pc.south_bridge.pit"));
  set(t, Device::ioapic, has_section("system.pc.south_bridge.io_apic"));
  set(t, Device::rtc, has_section("system.pc.south_bridge.cmos"));
  set(t, Device::i8042, has_section("system.pc.south_bridge.keyboard"));
  set(t, Device::lapic, cpus > 0);
  set(t, Device::com1, has_section("system.pc.com_1"));
  for (auto com : {Device::com2, Device::com3, Device::com4}) set(t, com, false);
  t.isa_pins = pc_isa_pins();
  return t;
}

// A pair's qemu.sh: its `memory_mib=` and `cpus=` lines; -machine pc with one -serial (COM1).
Target qemu_target(const fs::path& qemu_sh) {
  const std::string text = read_text_file(qemu_sh);
  std::map<std::string, std::uint64_t> values;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    for (const char* key : {"memory_mib", "cpus"})
      if (line.starts_with(std::string(key) + "="))
        if (const auto v = decimal(std::string_view(line).substr(std::string_view(key).size() + 1), 9)) values[key] = *v;
  }
  for (const char* key : {"memory_mib", "cpus"})
    if (!values.contains(key))
      throw InputError({qemu_sh.string(), std::nullopt, std::nullopt, key},
                       fmt::format("no line '{}=N': not a qemu.sh that cptx pair create wrote", key));
  Target t;
  t.described_by = qemu_sh.string();
  t.ram_size = values["memory_mib"] << 20;
  t.ram_key = "memory_mib";
  t.ram_map = ram_below_hole(*t.ram_size);
  t.cpus = values["cpus"];
  t.apic_ids = first_ids(*t.cpus);
  t.ioapic_id_bits = 4;
  for (auto& h : t.has) h = true;
  for (auto com : {Device::com2, Device::com3, Device::com4}) set(t, com, false);
  t.isa_pins = pc_isa_pins();
  return t;
}

Target describe_target(const fs::path& p) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) return read_pair_json(p / "pair.json");
  const std::string ext = p.extension().string();
  if (ext == ".json") return read_pair_json(p);
  if (ext == ".xml") return palacios_target(p);
  if (ext == ".ini") return gem5_target(p);
  if (ext == ".sh") return qemu_target(p);
  throw UsageError(fmt::format("'{}': a target is a pair directory, pair.json, a Palacios VM .xml, a gem5 config.ini "
                               "or a pair's qemu.sh",
                               p.string()));
}

}  // namespace cptx::platform
