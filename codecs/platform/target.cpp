#include "codecs/platform/target.hpp"

namespace cptx::platform {

IsaPins pc_isa_pins() {
  IsaPins pins;
  for (std::uint8_t irq = 0; irq < 16; ++irq) pins[irq] = irq;
  pins[0] = 2;
  pins[2] = std::nullopt;
  return pins;
}

std::vector<RamRange> ram_below_hole(std::uint64_t size) {
  if (size <= pci_hole_start) return {{0, size}};
  return {{0, pci_hole_start}, {pci_hole_end, size - pci_hole_start}};
}

Target target_of_machine(const model::Machine& m, std::string described_by) {
  Target t;
  t.described_by = std::move(described_by);
  t.ram_size = 0;
  t.ram_key = "memory";
  t.ram_map.emplace();
  for (const auto& r : m.memory.regions) {
    *t.ram_size += r.size;
    t.ram_map->push_back({r.gpa, r.size});
  }
  t.cpus = m.cpu.size();
  t.apic_ids.emplace();
  for (const auto& c : m.cpu) t.apic_ids->push_back(c.lapic.id);
  // The model holds these devices for every machine; the UARTs a machine has are marked present.
  for (auto d : {Device::pic, Device::pit, Device::lapic, Device::ioapic, Device::rtc, Device::i8042})
    t.has[static_cast<std::size_t>(d)] = true;
  for (std::size_t i = 0; i < 4; ++i) t.has[static_cast<std::size_t>(Device::com1) + i] = m.uart[i].present;
  return t;
}

}  // namespace cptx::platform
