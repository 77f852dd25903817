// What a target machine is, as far as a checkpoint's guest can tell: the platform a checkpoint must
// agree with before it is converted for that machine. Read from a pair (pair.json), a Palacios VM
// XML, a gem5 config.ini, a pair's qemu.sh, or a checkpoint of the target (a skeleton). A field a
// description does not fix is left unset and not checked.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/machine.hpp"

namespace cptx::platform {

struct RamRange {
  std::uint64_t gpa{}, size{};
  bool operator==(const RamRange&) const = default;
};

// The devices of the model a machine can lack. A UART is a device of its own (COM1..COM4).
enum class Device : std::uint8_t { pic, pit, lapic, ioapic, rtc, i8042, com1, com2, com3, com4 };
inline constexpr std::array<std::string_view, 10> device_names = {"8259A PIC", "8254 PIT", "local APIC", "IOAPIC",
                                                                  "RTC/CMOS", "i8042 keyboard controller", "COM1",
                                                                  "COM2", "COM3", "COM4"};
inline constexpr std::size_t device_count = device_names.size();

// ISA IRQ n arrives at IOAPIC pin isa_pins[n]; nullopt: the line reaches no pin (IRQ 2, the cascade).
using IsaPins = std::array<std::optional<std::uint8_t>, 16>;
// IRQ 0 (the PIT) on pin 2, the others on their own pin: the routing the MP tables of all three
// systems state (QEMU's and gem5's interrupt source override, Palacios's MPTABLE device).
IsaPins pc_isa_pins();

struct Target {
  std::string described_by;                      // the file, for messages
  std::optional<std::uint64_t> ram_size;         // bytes
  std::string ram_key;                           // where the description says it: "vm/memory", ...
  std::optional<std::vector<RamRange>> ram_map;  // where RAM is, ascending
  std::optional<std::size_t> cpus;
  std::optional<std::vector<std::uint32_t>> apic_ids;  // initial APIC id of processor i
  std::optional<unsigned> ioapic_id_bits;        // how wide an IOAPIC id the target's IOAPIC holds
  std::array<std::optional<bool>, device_count> has{};  // per Device: present, absent, unknown
  std::optional<IsaPins> isa_pins;
};

// RAM of `size` bytes as all three systems of a pair map it: from 0, below the PCI hole at 3 GiB.
std::vector<RamRange> ram_below_hole(std::uint64_t size);
inline constexpr std::uint64_t pci_hole_start = 0xc0000000, pci_hole_end = 0x100000000;

// A target described by the machine state of one of its checkpoints (a skeleton).
Target target_of_machine(const model::Machine& m, std::string described_by);

}  // namespace cptx::platform
