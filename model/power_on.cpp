#include "model/power_on.hpp"

#include <algorithm>

namespace cptx::model {

namespace {

// Intel SDM vol. 3A, table 9-1 (processor state following power-up).
Segment real_mode_segment(std::uint16_t selector, std::uint64_t base, std::uint8_t type, bool s) {
  Segment seg;
  seg.selector = selector;
  seg.base = base;
  seg.limit = 0xffff;
  seg.type = type;
  seg.s = s;
  seg.present = true;
  return seg;
}

Cpu reset_cpu(std::uint8_t apic_id, bool bsp) {
  Cpu c;
  c.rip = 0xfff0;
  c.rflags = 0x2;
  c.segments.cs = real_mode_segment(0xf000, 0xffff0000, 0xb, true);
  for (Segment* s : {&c.segments.ds, &c.segments.es, &c.segments.ss, &c.segments.fs, &c.segments.gs})
    *s = real_mode_segment(0, 0, 0x3, true);
  c.segments.ldtr = real_mode_segment(0, 0, 0x2, false);
  c.segments.tr = real_mode_segment(0, 0, 0x3, false);
  c.gdtr.limit = c.idtr.limit = 0xffff;
  c.cr.cr0 = 0x60000010;
  c.dr.dr6 = 0xffff0ff0;
  c.dr.dr7 = 0x400;
  c.msr.pat = 0x0007040600070406;
  c.msr.apic_base = 0xfee00000 | (1u << 11) | (bsp ? 1u << 8 : 0u);
  c.msr.misc_enable = 0x1;  // fast-string operations enabled
  c.fpu.fcw = 0x40;
  c.fpu.ftw = 0xff;  // power-up tag word 0x5555: every register tagged valid (zero)
  c.sse.mxcsr = 0x1f80;
  c.activity = bsp ? Activity::running : Activity::wait_for_sipi;

  Lapic& a = c.lapic;
  a.id = apic_id;
  a.version = 0x50014;  // version 0x14, six LVT entries
  a.dfr = 0xffffffff;
  a.svr = 0xff;
  for (std::uint32_t* lvt : {&a.lvt.timer, &a.lvt.thermal, &a.lvt.perf, &a.lvt.lint0, &a.lvt.lint1, &a.lvt.error})
    *lvt = 0x10000;  // masked
  return c;
}

}  // namespace

Uart reset_uart(std::size_t port, bool present) {
  static constexpr std::uint8_t com_irq[] = {4, 3, 4, 3};
  Uart u;
  u.present = present;
  u.irq = com_irq[port];
  u.iir = 0x01;  // no interrupt pending
  u.lsr = 0x60;  // transmitter empty
  u.msr = 0xb0;
  u.mcr = 0x08;
  return u;
}

Machine power_on(std::size_t cpus, std::uint64_t ram_bytes) {
  Machine m;
  m.platform.source = System::unknown;
  for (std::size_t i = 0; i < cpus; ++i) m.cpu.push_back(reset_cpu(static_cast<std::uint8_t>(i), i == 0));

  m.pic.master.elcr_mask = 0xf8;  // IRQ0-2 are always edge-triggered
  m.pic.slave.elcr_mask = 0xde;   // so are IRQ8 and IRQ13

  for (std::size_t i = 0; i < 3; ++i) m.pit.channel[i].gate = i != 2;  // channel 2's gate is port 0x61

  m.ioapic.id = static_cast<std::uint8_t>(cpus);  // after the local APICs, as MP tables number it
  m.ioapic.version = 0x11;
  m.ioapic.redirection.fill(0x10000);  // masked

  for (std::size_t i = 0; i < m.uart.size(); ++i) m.uart[i] = reset_uart(i, i == 0);

  // 2000-01-01 00:00:00, a Saturday, in BCD; registers A-D at their documented reset values.
  m.rtc.cmos[0x06] = 0x07;
  m.rtc.cmos[0x07] = 0x01;
  m.rtc.cmos[0x08] = 0x01;
  m.rtc.cmos[0x0a] = 0x26;
  m.rtc.cmos[0x0b] = 0x02;
  m.rtc.cmos[0x0d] = 0x80;
  m.rtc.cmos[0x32] = 0x20;  // century
  m.rtc.until_update_ns = 1'000'000'000;

  m.i8042.status = 0x18;        // last write was a command; keyboard not inhibited
  m.i8042.command_byte = 0x03;  // keyboard and mouse interrupts enabled
  m.i8042.output_port = 0xcf;   // reset line high, A20 enabled
  m.i8042.scancode_set = 2;
  m.i8042.keyboard_enabled = true;

  const std::uint64_t below = std::min(ram_bytes, pci_hole_start);
  if (below) m.memory.regions.push_back({0, below, std::nullopt});
  if (ram_bytes > below) m.memory.regions.push_back({pci_hole_end, ram_bytes - below, std::nullopt});
  derive(m);
  return m;
}

}  // namespace cptx::model
