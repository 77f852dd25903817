#include "cli/summary.hpp"

#include <fmt/format.h>

namespace cptx {

namespace {

std::string bytes_text(std::uint64_t n) {
  if (n && n % (1ull << 30) == 0) return fmt::format("{} GiB", n >> 30);
  if (n && n % (1ull << 20) == 0) return fmt::format("{} MiB", n >> 20);
  if (n && n % (1ull << 10) == 0) return fmt::format("{} KiB", n >> 10);
  return fmt::format("{} bytes", n);
}

std::string pit_channel(const model::PitChannel& ch) {
  return fmt::format("mode {} reload {} {}", ch.mode, ch.reload ? ch.reload : 65536u, name_of(ch.run));
}

}  // namespace

std::string cpu_mode(const model::Cpu& c) {
  const bool pe = c.cr.cr0 & 1, pg = c.cr.cr0 >> 31 & 1, lma = c.efer >> 10 & 1, vm = c.rflags >> 17 & 1;
  std::string mode;
  if (!pe)
    mode = "real mode";
  else if (lma)
    mode = c.segments.cs.l ? "long mode (64-bit)" : "long mode (compatibility)";
  else if (vm)
    mode = "virtual-8086 mode";
  else
    mode = c.segments.cs.db ? "protected mode (32-bit)" : "protected mode (16-bit)";
  return mode + (pg ? ", paging" : "");
}

std::string summarize(const model::Machine& m, const std::function<std::string(std::string_view)>& mark) {
  std::string s;
  const auto line = [&](std::string_view key, const std::string& value, std::string_view path = {}) {
    s += fmt::format("{:<8} {}{}\n", key, value, mark && !path.empty() ? mark(path) : "");
  };

  line("source", std::string(name_of(m.platform.source)) +
                     (m.platform.source_detail.empty() ? "" : " (" + m.platform.source_detail + ")"));
  line("time", fmt::format("{} ns since power-on; TSC {} Hz, APIC timer {} Hz", m.platform.time.guest_ns,
                           m.platform.time.tsc_hz, m.platform.time.lapic_timer_hz),
       "platform.time");
  std::string ram = fmt::format("{} in {} region{}", bytes_text(m.platform.ram_size), m.memory.regions.size(),
                                m.memory.regions.size() == 1 ? "" : "s");
  for (const auto& r : m.memory.regions)
    ram += fmt::format("\n{:<8} 0x{:x}-0x{:x} {}", "", r.gpa, r.gpa + r.size - 1,
                       r.backing ? fmt::format("{} {} @{}", name_of(r.backing->encoding), r.backing->path, r.backing->offset)
                                 : std::string("zero"));
  line("ram", ram);

  for (std::size_t i = 0; i < m.cpu.size(); ++i) {
    const model::Cpu& c = m.cpu[i];
    line(fmt::format("cpu[{}]", i),
         fmt::format("{}, {}, rip 0x{:x} (cs 0x{:x} base 0x{:x}), cpl {}, cr3 0x{:x}", cpu_mode(c), name_of(c.activity),
                     c.rip, c.segments.cs.selector, c.segments.cs.base, c.cpl, c.cr.cr3),
         fmt::format("cpu[{}]", i));
    const model::Lapic& a = c.lapic;
    line("", fmt::format("lapic id {} {}, timer {} initial {} current {} divide 0x{:x}", a.id,
                         a.svr & 0x100 ? "enabled" : "disabled", a.lvt.timer & 0x10000 ? "masked" : "unmasked",
                         a.timer.initial_count, a.timer.current_count, a.timer.divide),
         fmt::format("cpu[{}].lapic", i));
  }

  line("pic", fmt::format("master base 0x{:02x} imr 0x{:02x} {}; slave base 0x{:02x} imr 0x{:02x} {}",
                          m.pic.master.vector_base, m.pic.master.imr, name_of(m.pic.master.init), m.pic.slave.vector_base,
                          m.pic.slave.imr, name_of(m.pic.slave.init)),
       "pic");
  line("pit", fmt::format("ch0 {}; ch1 {}; ch2 {}", pit_channel(m.pit.channel[0]), pit_channel(m.pit.channel[1]),
                          pit_channel(m.pit.channel[2])),
       "pit");
  std::string routes;
  for (std::size_t pin = 0; pin < m.ioapic.redirection.size(); ++pin)
    if (!(m.ioapic.redirection[pin] & 0x10000))
      routes += fmt::format(" {}->0x{:02x}", pin, m.ioapic.redirection[pin] & 0xff);
  line("ioapic", fmt::format("id {}, unmasked pins:{}", m.ioapic.id, routes.empty() ? " none" : routes), "ioapic");
  std::string uarts;
  static constexpr unsigned io_base[] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};
  for (std::size_t i = 0; i < m.uart.size(); ++i)
    if (m.uart[i].present)
      uarts += fmt::format("{}COM{} (0x{:x}, irq {}, divisor {})", uarts.empty() ? "" : ", ", i + 1, io_base[i],
                           m.uart[i].irq, m.uart[i].divisor);
  line("uart", uarts.empty() ? "none" : uarts, "uart");
  line("rtc", fmt::format("20{:02x}-{:02x}-{:02x} {:02x}:{:02x}:{:02x} (as stored), register B 0x{:02x}", m.rtc.cmos[9],
                          m.rtc.cmos[8], m.rtc.cmos[7], m.rtc.cmos[4], m.rtc.cmos[2], m.rtc.cmos[0], m.rtc.cmos[0xb]),
       "rtc");
  return s;
}

}  // namespace cptx
