// serial (spec §5.9): one section per ISA 16550, instance 0..3 = COM1..COM4 (or the legacy alias
// instance, its I/O base).
#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/qemu/bind.hpp"
#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/sections.hpp"
#include "model/power_on.hpp"

namespace cptx::qemu {

namespace {

using model::Uart;

constexpr Bind<Uart> fields[] = {
    {"divider", 0, &Uart::divisor}, {"rbr", 0, &Uart::rbr}, {"ier", 0, &Uart::ier}, {"iir", 0, &Uart::iir},
    {"lcr", 0, &Uart::lcr},         {"mcr", 0, &Uart::mcr}, {"msr", 0, &Uart::msr},
    {"scr", 0, &Uart::scr},         {"fcr_vmstate", 0, &Uart::fcr},
    {"lsr", 0, &Uart::lsr, mapping::defaulted("QEMU loads only an empty transmitter (TEMT and THRE set)")},
    beside(&Uart::irq, mapping::defaulted("QEMU's ISA serial lines: 4, 3, 4, 3")),
};

constexpr std::uint32_t io_base[] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};
// QEMU's isa-serial lines for COM1..COM4 (not saved).
constexpr std::uint8_t isa_irq[] = {4, 3, 4, 3};
constexpr std::size_t fifo_capacity = 16;
constexpr std::uint8_t lsr_thre = 0x20, lsr_temt = 0x40, iir_id = 0x06, iir_thri = 0x02;

std::optional<std::size_t> port_of(std::uint32_t instance) {
  for (std::size_t i = 0; i < 4; ++i)
    if (instance == i || instance == io_base[i]) return i;
  return std::nullopt;
}

model::Bytes load_fifo(const Stream& s, const Section& sec, const Record* f) {
  if (!f) return {};
  const std::uint64_t head = f->get("head"), num = f->get("num");
  if (head >= fifo_capacity || num > fifo_capacity)
    throw InputError({s.path, sec.offset, std::nullopt, "serial"}, fmt::format("FIFO head {} count {} outside 0..16", head, num));
  model::Bytes out;
  for (std::uint64_t i = 0; i < num; ++i) out.push_back(static_cast<std::uint8_t>(f->get("data", (head + i) % fifo_capacity)));
  return out;
}

void store_fifo(const model::Bytes& in, Record& f) {
  for (std::size_t i = 0; i < in.size(); ++i) f.set("data", in[i], i);
  f.set("head", 0);
  f.set("num", in.size());
}

// "COM1 only", "COM1, COM2 only", "no serial port"
std::string ports_of(const SerialPorts& ports) {
  std::string out;
  for (std::size_t i = 0; i < ports.size(); ++i)
    if (ports[i]) out += fmt::format("{}COM{}", out.empty() ? "" : ", ", i + 1);
  return out.empty() ? "no serial port" : out + " only";
}

}  // namespace

SerialPorts target_serial_ports(const Stream* skeleton) {
  SerialPorts ports;
  if (!skeleton) {
    ports[0] = 0;
    return ports;
  }
  for (const Section* sec : skeleton->all("serial"))
    if (const auto port = port_of(sec->instance)) ports[*port] = sec->instance;
  return ports;
}

void read_uarts(const Stream& s, model::Machine& m, Report&) {
  for (const Section* sec : s.all("serial")) {
    const auto port = port_of(sec->instance);
    if (!port) throw InputError({s.path, sec->offset, std::nullopt, "serial"}, fmt::format("serial instance {} is not COM1-COM4", sec->instance));
    const Record& r = sec->record;
    Uart& u = m.uart[*port];
    if (u.present) throw InputError({s.path, sec->offset, std::nullopt, "serial"}, "two sections for one serial port");
    u.present = true;
    u.irq = isa_irq[*port];
    load<Uart>(r, u, fields);
    const Record* thr = r.sub("serial/thr_ipending");
    u.thr_ipending = thr ? thr->get("value") != 0 : (u.iir & iir_id) == iir_thri;
    const Record* timeout = r.sub("serial/timeout_ipending");
    u.timeout_ipending = timeout && timeout->get("value") != 0;
    u.rx_fifo = load_fifo(s, *sec, r.sub("serial/recv_fifo"));
    u.tx_fifo = load_fifo(s, *sec, r.sub("serial/xmit_fifo"));
  }
  for (std::size_t i = 0; i < m.uart.size(); ++i)
    if (!m.uart[i].present) m.uart[i] = model::reset_uart(i, false);
}

void write_uarts(const model::Machine& m, const SerialPorts& target, const RecordFor& out, Report& report) {
  for (std::uint32_t i = 0; i < 4; ++i) {
    const Uart& u = m.uart[i];
    if (!u.present) {
      if (target[i])
        report.note(fmt::format("uart[{}]", i), Carry::approximated,
                    fmt::format("the source had no COM{}; the target's keeps the state QEMU or the skeleton gives it", i + 1));
      else if (u != model::reset_uart(i, false))
        // No section for a port the machine lacks: it reads back absent, at reset.
        report.note(fmt::format("uart[{}]", i), Carry::none,
                    fmt::format("COM{} is absent: QEMU saves no state of a port it does not have", i + 1));
      continue;
    }
    if (!target[i]) {
      report.note(fmt::format("uart[{}]", i), Carry::none,
                  fmt::format("COM{} is not carried: the target QEMU machine has {} (give --skeleton, a stream "
                              "saved on a target with COM{}, to keep it)",
                              i + 1, ports_of(target), i + 1));
      continue;
    }
    Record& r = out(layout::serial(), *target[i]);
    store<Uart>(u, r, fields);
    // QEMU refuses a transmitter that is not empty unless a byte awaits a retry (serial/tsr), and
    // an empty transmitter has an empty holding register too (TEMT implies THRE on a 16550).
    if (!(u.lsr & lsr_temt)) {
      r.set("lsr", u.lsr | lsr_temt | lsr_thre);
      report.note(fmt::format("uart[{}].lsr", i), Carry::approximated,
                  "QEMU loads only an empty transmitter: LSR.TEMT and THRE set");
    }
    r.subsections.clear();
    add_subsection(r, layout::serial(), "serial/thr_ipending").set("value", u.thr_ipending);
    add_subsection(r, layout::serial(), "serial/timeout_ipending").set("value", u.timeout_ipending);
    if (!u.rx_fifo.empty()) store_fifo(u.rx_fifo, add_subsection(r, layout::serial(), "serial/recv_fifo"));
    if (!u.tx_fifo.empty()) store_fifo(u.tx_fifo, add_subsection(r, layout::serial(), "serial/xmit_fifo"));
  }
}

void cover_uarts(mapping::Coverage& c) {
  static constexpr CoverageRule declared[] = {mapping::row(
      "uart[]", mapping::exact("vmstate serial of the port (instance 0-3 or its I/O base) and its FIFO subsections"))};
  c.declare(declared);
  cover<Uart>(c, "uart[]", "serial", fields);
}

}  // namespace cptx::qemu
