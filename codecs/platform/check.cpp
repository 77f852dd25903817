#include "codecs/platform/check.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/power_on.hpp"

namespace cptx::platform {

namespace {

std::string mib(std::uint64_t bytes) {
  return bytes % (1 << 20) ? fmt::format("{} bytes", bytes) : fmt::format("{} MiB", bytes >> 20);
}

std::string ranges(const std::vector<RamRange>& map) {
  std::string s;
  for (const auto& r : map) s += fmt::format("{}[{:#x}, {:#x})", s.empty() ? "" : " ", r.gpa, r.gpa + r.size);
  return s.empty() ? "none" : s;
}

bool inside(const model::RamRegion& r, const std::vector<RamRange>& map) {
  return std::any_of(map.begin(), map.end(),
                     [&](const RamRange& t) { return r.gpa >= t.gpa && r.gpa + r.size <= t.gpa + t.size; });
}

bool has(const Target& t, Device d) { return t.has[static_cast<std::size_t>(d)].value_or(true); }

// Redirection entry bits (model/ioapic.hpp): mask 16, destination mode 11, destination 63:56.
bool masked(std::uint64_t entry) { return (entry >> 16) & 1; }
bool physical(std::uint64_t entry) { return !((entry >> 11) & 1); }
std::uint32_t destination(std::uint64_t entry) { return static_cast<std::uint32_t>(entry >> 56); }

}  // namespace

std::vector<Problem> check(const model::Machine& m, const Target& t, std::optional<std::uint64_t> raw_memory_size) {
  std::vector<Problem> out;
  const auto add = [&out](std::string what, std::string text) { out.push_back({std::move(what), std::move(text)}); };
  const std::string& there = t.described_by;

  std::uint64_t ram = 0;
  std::vector<RamRange> map;
  for (const auto& r : m.memory.regions) {
    ram += r.size;
    map.push_back({r.gpa, r.size});
  }
  if (t.ram_size && *t.ram_size != ram)
    add("ram", fmt::format("the checkpoint has {} of RAM; {} has {}", mib(ram), there, mib(*t.ram_size)));
  if (t.ram_map)
    for (const auto& r : m.memory.regions)
      if (!inside(r, *t.ram_map)) {
        add("ram", fmt::format("the checkpoint's RAM lies at {}, {}'s at {}", ranges(map), there, ranges(*t.ram_map)));
        break;
      }
  if (raw_memory_size && t.ram_size && *raw_memory_size < *t.ram_size)
    add("raw-memory", fmt::format("the raw memory dump holds {}, less than the {} of RAM of {}", mib(*raw_memory_size),
                                  mib(*t.ram_size), there));

  if (t.cpus && *t.cpus != m.cpu.size())
    add("cpus", fmt::format("the checkpoint has {} processors; {} has {}", m.cpu.size(), there, *t.cpus));
  if (t.apic_ids)
    for (std::size_t i = 0; i < std::min(m.cpu.size(), t.apic_ids->size()); ++i)
      if (m.cpu[i].lapic.id != (*t.apic_ids)[i])
        add("apic", fmt::format("processor {} has APIC id {} in the checkpoint, {} on {}", i, m.cpu[i].lapic.id,
                                (*t.apic_ids)[i], there));
  if (t.ioapic_id_bits && m.ioapic.id >> *t.ioapic_id_bits)
    add("ioapic", fmt::format("the checkpoint's IOAPIC id is {}; the IOAPIC of {} holds {}-bit ids", m.ioapic.id, there,
                              *t.ioapic_id_bits));

  for (auto d : {Device::pic, Device::pit, Device::lapic, Device::ioapic, Device::rtc, Device::i8042})
    if (!has(t, d))
      add("device", fmt::format("the checkpoint has a {}, {} has none", device_names[static_cast<std::size_t>(d)], there));
  // A port the guest never programmed can be left behind; one it did cannot.
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& u = m.uart[i];
    if (u.present && u != model::reset_uart(i, true) && !has(t, static_cast<Device>(static_cast<std::size_t>(Device::com1) + i)))
      add("serial", fmt::format("the guest uses COM{} (port {:#x}, IRQ {}), {} has no COM{}", i + 1,
                                std::array{0x3f8, 0x2f8, 0x3e8, 0x2e8}[i], u.irq, there, i + 1));
  }

  // Every system cptx reads routes the ISA lines like a PC (pc_isa_pins): a target that routes a line
  // the guest enabled to another pin leaves that device silent.
  const IsaPins source = pc_isa_pins();
  if (t.isa_pins)
    for (std::size_t irq = 0; irq < 16; ++irq)
      if (source[irq] && (*t.isa_pins)[irq] != source[irq] && !masked(m.ioapic.redirection[*source[irq]]))
        add("irq", fmt::format("ISA IRQ {} reaches IOAPIC pin {}, which the guest enabled; on {} it reaches {}", irq,
                               *source[irq], there,
                               (*t.isa_pins)[irq] ? fmt::format("pin {}", *(*t.isa_pins)[irq]) : "no pin"));
  if (t.apic_ids)
    for (std::size_t pin = 0; pin < m.ioapic.redirection.size(); ++pin) {
      const std::uint64_t e = m.ioapic.redirection[pin];
      if (masked(e) || !physical(e) || destination(e) == 0xff) continue;
      if (std::find(t.apic_ids->begin(), t.apic_ids->end(), destination(e)) == t.apic_ids->end())
        add("irq", fmt::format("IOAPIC pin {} is routed to APIC id {}, which {} does not have", pin, destination(e), there));
    }
  return out;
}

std::string describe(const std::vector<Problem>& problems) {
  std::string s;
  for (const auto& p : problems) s += fmt::format("{}: {}\n", p.what, p.text);
  return s;
}

}  // namespace cptx::platform
