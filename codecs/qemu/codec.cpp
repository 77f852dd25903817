#include "codecs/qemu/codec.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include <fmt/format.h>

#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/text.hpp"
#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/lapic.hpp"
#include "codecs/qemu/sections.hpp"
#include "codecs/qemu/stream.hpp"

namespace cptx {

namespace fs = std::filesystem;

namespace qemu {
namespace {

[[maybe_unused]] const bool ram_encoding_registered = register_ram_encoding();

constexpr std::string_view machine_type = "pc-i440fx-7.2";

// The host clock when the stream was saved: QEMU writes the file as it saves, so its modification
// time is the best witness the stream has (the RTC's times are on that clock, spec §5.10).
std::int64_t saved_at(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

std::int64_t host_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string concrete(std::string_view idstr, std::uint32_t instance) { return fmt::format("qemu.{}[{}]", idstr, instance); }

bool detect(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && looks_like_stream(p.string());
}

model::Machine read(const fs::path& p, const ReadOptions&, Report& report) {
  const Stream s = read_stream(p.string());
  model::Machine m;
  const Record& timer = need(s, "timer", 0, "platform.time");
  Clocks clk;
  clk.vm_ns = timer.get_signed("cpu_clock_offset", 8);
  clk.tcg_ticks = timer.get_signed("cpu_ticks_offset", 8);
  clk.host_ns = saved_at(p.string());
  if (clk.vm_ns < 0) throw InputError({s.path, std::nullopt, std::nullopt, "timer"}, "negative VM clock");
  const bool kvm = s.find("kvmclock", 0) != nullptr;
  m.platform.source = model::System::qemu;
  m.platform.source_detail = fmt::format("QEMU {} ({})", io::printable(s.machine), kvm ? "KVM" : "TCG");
  m.platform.time.guest_ns = static_cast<std::uint64_t>(clk.vm_ns);
  m.platform.time.lapic_timer_hz = lapic_timer_hz;

  read_cpus(s, clk, m, report);
  read_pic(s, m);
  read_ioapic(s, m);
  read_pit(s, clk, m, report);
  read_uarts(s, m, report);
  read_rtc(s, clk, m);
  read_i8042(s, m, report);

  const std::string file = fs::absolute(p).lexically_normal().string();
  for (const RamBlock& b : s.blocks) {
    if (b.name != main_ram_block) {
      report.note(fmt::format("qemu.ram.{}", b.name), Carry::none, fmt::format("RAM block {} is not carried", b.name));
      continue;
    }
    if (b.length % model::page_size || b.length == 0)
      throw InputError({s.path, s.ram_offset, std::nullopt, "ram"}, "pc.ram is not a whole number of pages");
    m.memory.regions = main_ram_regions(b.length);
    for (auto& r : m.memory.regions) r.backing = model::FileBacking{file, s.ram_offset, model::Encoding::qemu};
  }
  for (const Section& sec : s.sections)
    if (!sec.schema)
      report.note(concrete(sec.idstr, sec.instance), Carry::none,
                  fmt::format("section {} (instance {}) is not carried by the model", sec.idstr, sec.instance));
  model::derive(m);
  return m;
}

// The pc devices whose sections are not written without a skeleton (spec §4): the destination
// keeps their reset state.
constexpr std::string_view unwritten =
    "kvm-tpr-opt, fw_cfg, PCIHost, PCIBUS, I440FX, dma, PIIX3, vga, hpet, port92, fdc, ide, piix4_pm, "
    "vmmouse, parallel_isa, e1000, acpi_build, globalstate and the ROM and video RAM blocks";

std::uint64_t ram_length_of(const model::Memory& mem) {
  std::uint64_t end = 0;
  for (const auto& r : mem.regions) end = std::max(end, block_offset_of(r.gpa) + r.size);
  return end;
}

void write(const model::Machine& m, const fs::path& p, const WriteOptions& opts, Report& report) {
  Stream out;
  out.machine = machine_type;
  std::uint64_t ram_length = ram_length_of(m.memory);
  for (const auto& r : m.memory.regions)
    if (r.gpa >= (std::uint64_t{3} << 30) && r.gpa < (std::uint64_t{4} << 30))
      throw UsageError(fmt::format("RAM at guest-physical 0x{:x}: -machine pc has no RAM between 3 and 4 GiB", r.gpa));
  if (!opts.skeleton.empty()) {
    Stream sk = read_stream(opts.skeleton.string());
    out.machine = sk.machine;
    out.vmdesc = std::move(sk.vmdesc);
    for (Section& sec : sk.sections) {
      if (sec.idstr == "kvmclock") {
        report.note("qemu.kvmclock[0]", Carry::none, "the skeleton's kvmclock section is dropped: the output targets TCG");
        continue;
      }
      if (!sec.schema)
        report.note(concrete(sec.idstr, sec.instance), Carry::none,
                    fmt::format("section {} (instance {}) kept from the skeleton", sec.idstr, sec.instance));
      out.sections.push_back(std::move(sec));
    }
    if (out.all("cpu").size() != m.cpu.size())
      throw UsageError(fmt::format("the skeleton has {} processors, the checkpoint {}", out.all("cpu").size(), m.cpu.size()));
    const auto main = std::find_if(sk.blocks.begin(), sk.blocks.end(), [](const RamBlock& b) { return b.name == main_ram_block; });
    if (ram_length > main->length)
      throw UsageError(fmt::format("the checkpoint has 0x{:x} bytes of RAM, the skeleton's pc.ram 0x{:x}", ram_length, main->length));
    ram_length = main->length;
  } else {
    report.note("qemu.omitted", Carry::none, fmt::format("not written, so left at reset by QEMU: {}", unwritten));
  }
  const bool skeleton = !opts.skeleton.empty();
  // Taken before the model's sections are added: the target's own ports.
  const SerialPorts serial_ports = target_serial_ports(skeleton ? &out : nullptr);
  const RecordFor record_for = [&](const Schema& schema, std::uint32_t instance) -> Record& {
    for (Section& sec : out.sections)
      if (sec.idstr == schema.name && sec.instance == instance) return sec.record;
    if (skeleton)
      report.note(concrete(schema.name, instance), Carry::approximated,
                  fmt::format("the skeleton has no section {} instance {}; it was added", schema.name, instance));
    out.sections.push_back({std::string(schema.name), instance, schema.version, &schema, reset_record(schema), {}, 0});
    return out.sections.back().record;
  };

  const Clocks clk{static_cast<std::int64_t>(m.platform.time.guest_ns), host_now(),
                   static_cast<std::int64_t>(m.cpu.empty() ? 0 : m.cpu[0].msr.tsc)};
  // Creation order is QEMU's registration order, so a stream without skeleton reads like QEMU's.
  Record& timer = record_for(layout::timer(), 0);
  timer.set("cpu_ticks_offset", static_cast<std::uint64_t>(clk.tcg_ticks));
  timer.set("cpu_clock_offset", static_cast<std::uint64_t>(clk.vm_ns));
  // A target's APIC instances are its processors' initial APIC ids: the skeleton's, or 0..n-1 as
  // QEMU numbers them for `-smp n`.
  std::vector<std::uint32_t> apic_instances;
  const auto skeleton_apics = out.all("apic");
  for (std::uint32_t i = 0; i < m.cpu.size(); ++i) {
    apic_instances.push_back(i < skeleton_apics.size() ? skeleton_apics[i]->instance : i);
    record_for(layout::cpu_common(), i);
    record_for(layout::cpu(), i);
    record_for(layout::apic(), apic_instances.back());
  }
  write_cpus(m, clk, apic_instances, record_for, report);
  write_pic(m, record_for);
  write_ioapic(m, record_for);
  write_rtc(m, clk, record_for);
  write_pit(m, clk, record_for, report);
  write_uarts(m, serial_ports, record_for, report);
  write_i8042(m, record_for, report);

  // pc maps pc.ram by its length alone (§3.3): RAM elsewhere would be restored at other addresses.
  const auto pc_layout = main_ram_regions(ram_length);
  for (const auto& r : m.memory.regions)
    if (std::none_of(pc_layout.begin(), pc_layout.end(), [&](const model::RamRegion& l) {
          return r.gpa >= l.gpa && r.gpa + r.size <= l.gpa + l.size;
        }))
      throw UsageError(fmt::format("RAM at guest-physical [0x{:x}, 0x{:x}): -machine pc with 0x{:x} bytes of RAM has "
                                   "it below 3.5 GiB all from 0, else below 3 GiB and from 4 GiB",
                                   r.gpa, r.gpa + r.size, ram_length));

  AtomicOutput file(p, AtomicOutput::Kind::file, opts.force);
  {
    std::ofstream f(file.temp_path(), std::ios::binary | std::ios::trunc);
    write_stream(f, p.string(), out, m.memory, ram_length);
    if (!f.flush()) io::write_failed(p);
  }
  file.commit();
}

constexpr std::string_view options[] = {"--skeleton"};

// The platform as the stream holds it (read() above).
constexpr CoverageRule platform_rows[] = {
    mapping::row("platform", mapping::exact("the processors' sections and pc.ram's length; guest_ns from timer")),
    mapping::row("platform.source", mapping::defaulted("a stream read names QEMU as its source")),
    mapping::row("platform.source_detail", mapping::defaulted("machine type and accelerator of the stream")),
    mapping::row("platform.time.guest_sub_ns", mapping::not_held("QEMU's clocks count whole nanoseconds")),
    mapping::row("platform.time.tsc_hz",
                 mapping::defaulted("TCG runs the TSC at the host's rate, which the stream does not name; KVM "
                                    "saves cpu/tsc_khz")),
    mapping::row("platform.time.lapic_timer_hz",
                 mapping::defaulted("QEMU's APIC timer always counts at 1 GHz before the divider")),
};

const mapping::Coverage& derived_coverage() {
  static const mapping::Coverage derived = [] {
    mapping::Coverage c;
    c.declare(platform_rows);
    cover_cpus(c);
    cover_pic(c);
    cover_ioapic(c);
    cover_pit(c);
    cover_uarts(c);
    cover_rtc(c);
    cover_i8042(c);
    cover_ram(c);
    return c;
  }();
  return derived;
}

}  // namespace

const std::span<const CoverageRule> coverage = derived_coverage().rules();

}  // namespace qemu

const Codec qemu_codec{"qemu", "QEMU 7.2 x86 migration stream saved to a file", qemu::coverage, qemu::options,
                       qemu::detect, qemu::read, qemu::write, {},
                       // TCG runs the TSC at the host's rate
                       {{ClockRate::Kind::host}, {ClockRate::Kind::fixed, qemu::lapic_timer_hz}}};

}  // namespace cptx
