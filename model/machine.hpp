// The guest-visible state of an x86 PC at a checkpoint: the machine model every codec translates
// to and from. docs/model.md lists every field (generated from these declarations).
#pragma once

#include <string>

#include "model/cpu.hpp"
#include "model/describe.hpp"
#include "model/i8042.hpp"
#include "model/ioapic.hpp"
#include "model/lapic.hpp"
#include "model/pic.hpp"
#include "model/pit.hpp"
#include "model/rtc.hpp"
#include "model/uart.hpp"

namespace cptx::model {

// Bumped whenever a declaration changes meaning; model JSON carries it.
inline constexpr unsigned schema_version = 2;
inline constexpr std::uint64_t page_size = 4096;
inline constexpr std::size_t max_cpus = 64;
// Palacios keeps RAM in regions of 128 MiB by default: 1 TiB, the most RAM cptx writes, in 8192.
inline constexpr std::size_t max_ram_regions = 8192;
// A PC with RAM above 4 GiB, as gem5's x86 board and QEMU's pc lay it out, has RAM below
// pci_hole_start and from pci_hole_end on; the hole between is for PCI devices.
inline constexpr std::uint64_t pci_hole_start = 3ull << 30, pci_hole_end = 4ull << 30;

enum class System : std::uint8_t { unknown, palacios, gem5, gem5_2011, qemu };
inline constexpr std::string_view system_names[] = {"unknown", "palacios", "gem5", "gem5-2011", "qemu"};
constexpr std::span<const std::string_view> names_of(System) { return system_names; }

// Rates of the source machine's clocks. Device timers are stored relative to the checkpoint in
// their own units; these say how fast those units ran where the state came from.
struct TimeBase {
  std::uint64_t guest_ns{}, tsc_hz{}, lapic_timer_hz{};
  std::uint16_t guest_sub_ns{};

  template <class V> static void describe(V& v) {
    v(&TimeBase::guest_ns, "guest_ns", any().in("ns"), "guest time elapsed since power-on");
    // gem5 counts picoseconds: without them a checkpoint at tick 80000000500 would come back at 80000000000.
    v(&TimeBase::guest_sub_ns, "guest_sub_ns", range(0, 999).in("ps"),
      "guest time beyond guest_ns, for a source that counts finer than nanoseconds");
    v(&TimeBase::tsc_hz, "tsc_hz", any().in("Hz"), "time-stamp counter rate; 0 = unknown");
    v(&TimeBase::lapic_timer_hz, "lapic_timer_hz", any().in("Hz"),
      "local APIC timer input clock before its divider; 0 = unknown");
  }
  bool operator==(const TimeBase&) const = default;
};

struct Platform {
  System source{};
  std::string source_detail;
  std::uint64_t ram_size{};
  std::uint32_t cpu_count{};
  TimeBase time;

  template <class V> static void describe(V& v) {
    v(&Platform::source, "source", any().provenance(), "system the checkpoint was taken on");
    v(&Platform::source_detail, "source_detail", upto(256).provenance(), "free text: version, checkpoint name");
    v(&Platform::ram_size, "ram_size", any().in("bytes").derived(), "guest RAM: the sum of memory.regions sizes");
    v(&Platform::cpu_count, "cpu_count", range(1, max_cpus).derived(), "number of processors: entries of cpu");
    v(&Platform::time, "time", any(), "time base");
  }
  bool operator==(const Platform&) const = default;
};

// qemu: the page records of a QEMU migration stream's RAM section (pages of block pc.ram).
enum class Encoding : std::uint8_t { raw, gzip, hex, qemu };
inline constexpr std::string_view encoding_names[] = {"raw", "gzip", "hex", "qemu"};
constexpr std::span<const std::string_view> names_of(Encoding) { return encoding_names; }

// Where a RAM region's bytes are: memory is never held in the model, only referenced.
struct FileBacking {
  std::string path;
  std::uint64_t offset{};
  Encoding encoding{};

  template <class V> static void describe(V& v) {
    v(&FileBacking::path, "path", any().len(1, 4096), "file, relative to the model JSON's directory or absolute");
    v(&FileBacking::offset, "offset", any().in("bytes"),
      "where the region starts: file offset for raw, offset of the first hex digit for hex, "
      "offset in the decompressed stream for gzip, offset of the RAM section's START record for qemu");
    v(&FileBacking::encoding, "encoding", any(), "raw bytes, gzip stream, two hex digits per byte, or QEMU migration stream pages");
  }
  bool operator==(const FileBacking&) const = default;
};

struct RamRegion {
  std::uint64_t gpa{}, size{};
  std::optional<FileBacking> backing;

  template <class V> static void describe(V& v) {
    v(&RamRegion::gpa, "gpa", any().hex().aligned(page_size), "guest-physical start address");
    v(&RamRegion::size, "size", range(page_size, ~std::uint64_t{0}).aligned(page_size).in("bytes"), "length");
    v(&RamRegion::backing, "backing", any(), "contents; null = all zero");
  }
  bool operator==(const RamRegion&) const = default;
};

struct Memory {
  std::vector<RamRegion> regions;

  template <class V> static void describe(V& v) {
    v(&Memory::regions, "regions", any().len(0, max_ram_regions),
      "guest RAM in ascending, non-overlapping guest-physical ranges; everything else is a hole");
  }
  bool operator==(const Memory&) const = default;
};

struct Machine {
  Platform platform;
  std::vector<Cpu> cpu;
  Pic pic;
  Pit pit;
  IoApic ioapic;
  std::array<Uart, 4> uart{};
  Rtc rtc;
  I8042 i8042;
  Memory memory;

  template <class V> static void describe(V& v) {
    v(&Machine::platform, "platform", any(), "platform description");
    v(&Machine::cpu, "cpu", any().len(1, max_cpus), "processors, in APIC-id order of the source");
    v(&Machine::pic, "pic", any(), "8259A pair");
    v(&Machine::pit, "pit", any(), "8254 interval timer");
    v(&Machine::ioapic, "ioapic", any(), "I/O APIC");
    v(&Machine::uart, "uart", any(), "COM1..COM4");
    v(&Machine::rtc, "rtc", any(), "real-time clock and CMOS");
    v(&Machine::i8042, "i8042", any(), "keyboard controller");
    v(&Machine::memory, "memory", any(), "guest RAM");
  }
  bool operator==(const Machine&) const = default;
};

// Sets every field declared `derived()` from the rest of the state.
void derive(Machine& m);

}  // namespace cptx::model
