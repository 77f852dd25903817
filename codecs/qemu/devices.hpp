// Device mappings between QEMU sections and the model, one file each. Readers take the stream's
// records; writers fill records that start from the skeleton's section or from QEMU's reset
// values, so state the model does not hold keeps a sensible value.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "codecs/mapping.hpp"
#include "codecs/qemu/stream.hpp"
#include "model/machine.hpp"
#include "reports/report.hpp"

namespace cptx::qemu {

// The VM clock (QEMU_CLOCK_VIRTUAL, ns) at the checkpoint, and the host clock (QEMU_CLOCK_HOST,
// ns since 1970) the RTC runs on (spec §0.1 fact 9).
struct Clocks {
  std::int64_t vm_ns{};
  std::int64_t host_ns{};
  std::int64_t tcg_ticks{};  // timer.cpu_ticks_offset: TCG's time-stamp counter at the checkpoint
};

// The record a writer fills for (schema, instance): the skeleton's, or one at reset values.
using RecordFor = std::function<Record&(const Schema& schema, std::uint32_t instance)>;

// Reset values of the fields the model does not hold (QEMU 7.2, TCG).
Record reset_record(const Schema& schema);

void read_cpus(const Stream& s, const Clocks& c, model::Machine& m, Report& report);
// apic_instances[i]: the apic section of processor i (its initial APIC id on the target).
void write_cpus(const model::Machine& m, const Clocks& c, std::span<const std::uint32_t> apic_instances,
                const RecordFor& out, Report& report);

void read_pic(const Stream& s, model::Machine& m);
void write_pic(const model::Machine& m, const RecordFor& out);

void read_ioapic(const Stream& s, model::Machine& m);
void write_ioapic(const model::Machine& m, const RecordFor& out);

void read_pit(const Stream& s, const Clocks& c, model::Machine& m, Report& report);
void write_pit(const model::Machine& m, const Clocks& c, const RecordFor& out, Report& report);

// The serial ports a QEMU machine has, COM1..COM4, each with the instance of its section.
using SerialPorts = std::array<std::optional<std::uint32_t>, 4>;
// The target's ports: the serial sections of its skeleton, or else COM1 alone, as `-machine pc` has
// with one `-serial` (or none, by default).
SerialPorts target_serial_ports(const Stream* skeleton);

void read_uarts(const Stream& s, model::Machine& m, Report& report);
// Writes the ports the model and the target both have; reports a port the target lacks.
void write_uarts(const model::Machine& m, const SerialPorts& target, const RecordFor& out, Report& report);

void read_rtc(const Stream& s, const Clocks& c, model::Machine& m);
void write_rtc(const model::Machine& m, const Clocks& c, const RecordFor& out);

void read_i8042(const Stream& s, model::Machine& m, Report& report);
void write_i8042(const model::Machine& m, const RecordFor& out, Report& report);

// What each file maps of the model: its tables' rows and the rows its hand-written code declares.
void cover_cpus(mapping::Coverage& c);
void cover_pic(mapping::Coverage& c);
void cover_ioapic(mapping::Coverage& c);
void cover_pit(mapping::Coverage& c);
void cover_uarts(mapping::Coverage& c);
void cover_rtc(mapping::Coverage& c);
void cover_i8042(mapping::Coverage& c);
void cover_ram(mapping::Coverage& c);

// The record of a section the stream must have; throws InputError naming the stream otherwise.
const Record& need(const Stream& s, std::string_view idstr, std::uint32_t instance, const std::string& path);

}  // namespace cptx::qemu
