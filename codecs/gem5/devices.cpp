// The platform devices: a KeyRow table per section, each row with its rule, from which reading,
// writing and coverage (cover_devices) follow. The PIT's counting element, the RTC and the i8042
// queues need tick arithmetic and queue encodings, so they are hand-written: their tables name those
// members in beside rows, and what no table holds is declared beside the code that maps it.
#include "codecs/gem5/devices.hpp"

#include <fmt/format.h>

#include "codecs/gem5/key_map.hpp"
#include "codecs/io/error.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"

namespace cptx::gem5 {

namespace {

using model::I8042;
using model::IoApic;
using model::PicChip;
using model::PitChannel;
using model::Uart;

using mapping::approximated;
using mapping::defaulted;
using mapping::exact;
using mapping::not_held;

// v24 spec §4.1. `mode` (master/slave) comes from the configuration and is left as the target has it.
// gem5 stores ICW1's LTIM bit as-is under the name edgeTriggered.
constexpr KeyRow<PicChip> pic_rows[] = {
    held<&PicChip::irr>("IRR", u8),
    held<&PicChip::isr>("ISR", u8),
    held<&PicChip::imr>("IMR", u8),
    converted<&PicChip::vector_base>("vectorOffset", false, u8, [](const PicChip& p) -> std::uint64_t { return p.vector_base; },
                                     [](PicChip& p, std::uint64_t v) { p.vector_base = static_cast<std::uint8_t>(v & 0xf8); }),
    converted<&PicChip::single>("cascadeMode", true, flag, [](const PicChip& p) -> std::uint64_t { return !p.single; },
                                [](PicChip& p, std::uint64_t v) { p.single = !v; }, exact("negated")),
    held<&PicChip::icw3>("cascadeBits", u8),
    held<&PicChip::level_triggered>("edgeTriggered", flag),
    converted<&PicChip::read_isr>("readIRR", true, flag, [](const PicChip& p) -> std::uint64_t { return !p.read_isr; },
                                  [](PicChip& p, std::uint64_t v) { p.read_isr = !v; }, exact("negated")),
    held<&PicChip::icw4_needed>("expectICW4", flag),
    held<&PicChip::init>("initControlWord", 3),
    held<&PicChip::auto_eoi>("autoEOI", flag),
    beside<&PicChip::last_irr>(approximated("gem5's pinStates: input levels")),
    beside<&PicChip::elcr>(not_held("gem5 has no ELCR")),
    beside<&PicChip::elcr_mask>(not_held("gem5 has no ELCR")),
    beside<&PicChip::mode_8086>(defaulted("gem5 supports 8086 mode only")),
    beside<&PicChip::special_fully_nested>(not_held("not modelled")),
    beside<&PicChip::rotate_on_auto_eoi>(not_held("not modelled")),
    beside<&PicChip::priority_add>(not_held("fixed priorities")),
    beside<&PicChip::poll>(not_held("not modelled")),
    beside<&PicChip::special_mask>(not_held("not modelled")),
};

// v24 spec §4.2: keys `pit.counter<k>.<row>`. gem5 implements modes 0, 2 and 3 only. The counting
// element is kept as the tick of the next expiry (read_pit).
constexpr KeyRow<PitChannel> pit_rows[] = {
    held<&PitChannel::reload>("initial_count", u16),
    held<&PitChannel::latched_count>("latched_count", u16),
    held<&PitChannel::mode>("mode", 5, approximated("gem5 implements modes 0, 2 and 3")),
    held<&PitChannel::output>("output_high", flag),
    held<&PitChannel::read_next>("read_byte", 1),
    held<&PitChannel::write_next>("write_byte", 1),
    // gem5 keeps only "a latched value is pending"; which bytes remain follows from read_byte.
    converted<&PitChannel::count_latch>(
        "latch_on", true, flag, [](const PitChannel& c) -> std::uint64_t { return c.count_latch != model::PitLatch::none; },
        [](PitChannel& c, std::uint64_t v) {
          c.count_latch = !v ? model::PitLatch::none
                             : (c.read_next == model::PitByte::msb ? model::PitLatch::msb : model::PitLatch::word);
        },
        approximated("only whether a latch is pending")),
    beside<&PitChannel::count>(approximated("as the tick of the next expiry, only while the counter runs")),
    beside<&PitChannel::run>(approximated("running iff an expiry is scheduled")),
    beside<&PitChannel::gate>(approximated("channels 0 and 1 are always gated on; channel 2's gate is port 0x61")),
    beside<&PitChannel::access>(defaulted("not kept; word access assumed")),
    beside<&PitChannel::bcd>(not_held("binary counting only")),
    beside<&PitChannel::status_latched>(not_held("no read-back command")),
    beside<&PitChannel::latched_status>(not_held("no read-back command")),
    beside<&PitChannel::write_lsb>(not_held("not kept")),
};

// v24 spec §4.4. The version register is synthesised by gem5 (0x14 with 24 entries).
constexpr KeyRow<IoApic> ioapic_rows[] = {
    held<&IoApic::index>("regSel", u8),
    held<&IoApic::id>("id", u8),
    converted<&IoApic::arb_id>("arbId", false, u8, [](const IoApic& a) -> std::uint64_t { return a.arb_id; },
                               [](IoApic& a, std::uint64_t v) { a.arb_id = static_cast<std::uint8_t>(v & 0xf); }),
    beside<&IoApic::redirection>(exact("redirTableArray")),
    beside<&IoApic::irr>(approximated("gem5's pinStates: input levels")),
    beside<&IoApic::version>(defaulted("synthesised by gem5: 0x14")),
};

// v24 spec §4.6. `status` holds RX_INT (1) and TX_INT (2); only the latter has a model field. The
// rows hold COM1 only: COM2-4 are IsaFake placeholders without state.
constexpr KeyRow<Uart> uart_rows[] = {
    held<&Uart::ier>("IER", u8, approximated("COM1 only")),
    held<&Uart::lcr>("LCR", u8, approximated("COM1 only")),
    held<&Uart::mcr>("MCR", u8, approximated("COM1 only")),
    converted<&Uart::thr_ipending>(
        "status", false, i32,
        [](const Uart& u) -> std::uint64_t { return (u.thr_ipending ? 2u : 0u) | (!u.rx_fifo.empty() && (u.ier & 1) ? 1u : 0u); },
        [](Uart& u, std::uint64_t v) { u.thr_ipending = (v & 2) != 0; }, approximated("COM1 only (TX_INT)")),
    beside<&Uart::present>(defaulted("COM1 present, COM2-4 absent")),
    beside<&Uart::irq>(defaulted("COM1 on IRQ 4")),
};
// Every other register of the model's UART, under one row rather than a beside row each.
constexpr CoverageRule uart_code_rows[] = {
    mapping::row("uart", not_held("gem5 keeps of COM1 (Uart8250) only IER, LCR, MCR and its TX interrupt: not the "
                                  "divisor, FIFOs or other registers; COM2-4 are stateless IsaFake")),
};

// v24 spec §4.7; lastCommand 65535 = no command awaiting its data byte. The queues and the mouse's
// enable bit live in the PS/2 devices' sections (read_i8042).
constexpr KeyRow<I8042> i8042_rows[] = {
    held<&I8042::status>("statusReg", u8),
    held<&I8042::command_byte>("commandByte", u8),
    held<&I8042::output_byte>("dataReg", u8),
    converted<&I8042::pending_command>(
        "lastCommand", false, u16, [](const I8042& k) -> std::uint64_t { return k.pending_command ? *k.pending_command : 0xffff; },
        [](I8042& k, std::uint64_t v) {
          k.pending_command = v <= 0xff ? std::optional<std::uint8_t>(static_cast<std::uint8_t>(v)) : std::nullopt;
        }),
    beside<&I8042::keyboard_queue>(exact("[keyboard.keyboard] outBuffer")),
    beside<&I8042::mouse_queue>(exact("[keyboard.mouse] outBuffer")),
    beside<&I8042::mouse_enabled>(exact("[keyboard.mouse] status bit 5")),
    beside<&I8042::scancode_set>(defaulted("gem5's keyboard speaks set 2 only")),
    beside<&I8042::output_port>(not_held("not modelled by gem5")),
};

constexpr KeyRow<I8042> ps2_keyboard_rows[] = {
    held<&I8042::keyboard_enabled>("enabled", flag),
};

// 2011 spec §4.6: one section, the PS/2 devices under `keyboard.` and `mouse.`; lastCommand is a
// uint8_t, 255 = no command awaiting its data byte.
constexpr KeyRow<I8042> i8042_rows_2011[] = {
    held<&I8042::status>("statusRegData", u8),
    held<&I8042::command_byte>("commandByteData", u8),
    held<&I8042::output_byte>("dataReg", u8),
    converted<&I8042::pending_command>(
        "lastCommand", false, u8, [](const I8042& k) -> std::uint64_t { return k.pending_command.value_or(0xff); },
        [](I8042& k, std::uint64_t v) {
          k.pending_command = v < 0xff ? std::optional<std::uint8_t>(static_cast<std::uint8_t>(v)) : std::nullopt;
        }),
    beside<&I8042::keyboard_queue>(exact("keyboard.outBuffer.size and .elts")),
    beside<&I8042::mouse_queue>(exact("mouse.outBuffer.size and .elts")),
    beside<&I8042::mouse_enabled>(exact("mouse.status bit 5")),
    beside<&I8042::keyboard_enabled>(not_held("2011's keyboard has no enable flag: read as enabled")),
    beside<&I8042::scancode_set>(defaulted("gem5's keyboard speaks set 2 only")),
    beside<&I8042::output_port>(not_held("not modelled by gem5")),
};

constexpr std::uint8_t mouse_enabled_bit = 1 << 5;  // PS2Mouse status bit 5 (v24 spec §4.7)
constexpr std::uint8_t speaker_gate = 1 << 0, speaker_data = 1 << 1;  // port 0x61 (v24 spec §4.8)
constexpr std::uint8_t nmi_mask_bit = 0x80;  // CmosAddress bit 7 (v24 spec §4.5)
constexpr std::uint8_t rtc_pie = 0x40;       // status register B bit 6
constexpr std::size_t rtc_clock_bytes = 10, cmos_nvram_first = 0x0e, cmos_bytes = 128;
constexpr std::uint64_t rtc_second_ticks = 1'000'000'000'000, rtc_periodic_ticks = 5'000'000'000;
constexpr std::uint8_t uart_dlab = 0x80;  // LCR bit 7; 2011 also keeps it as `DLAB` (2011 spec §4.9)

// Keys whose names changed between the eras (2011 spec §4.2, §4.7; v24 spec §4.2, §4.8).
std::string_view speaker_key(Era era) { return era == Era::v2011 ? "controlValData" : "controlVal"; }
std::string_view pit_event_key(Era era) { return era == Era::v2011 ? "event_tick" : "event_tick_offset"; }

std::string counter_prefix(std::size_t k) { return fmt::format("pit.counter{}.", k); }

// The reload value gem5 counts with (v24 spec §4.2): one less than the count in modes 2 and 3.
std::uint64_t pit_period(const PitChannel& c) {
  const std::uint64_t count = c.reload ? c.reload : 0x10000;
  return (c.mode == 2 || c.mode == 3) ? count - 1 : (c.reload ? c.reload : 0xffff);
}

model::Bytes queue(const CptReader& in, std::string_view sec, std::string_view key, std::size_t max) {
  auto bytes = in.int_array<std::uint8_t>(sec, key, std::nullopt);
  if (bytes.size() > max)
    throw InputError(in.where(sec, key, in.required(sec, key).line),
                     fmt::format("{} queued bytes: more than the {} the model holds", bytes.size(), max));
  return model::Bytes(bytes.begin(), bytes.end());
}

template <class T>
std::string encode_bytes(const T& bytes) {
  std::vector<std::uint8_t> v(bytes.begin(), bytes.end());
  return encode_int_array<std::uint8_t>(v);
}

std::vector<bool> bits_of(std::uint64_t value, std::size_t n) {
  std::vector<bool> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = (value >> i) & 1;
  return out;
}
std::uint64_t bits_from(const std::vector<bool>& v) {
  std::uint64_t out = 0;
  for (std::size_t i = 0; i < v.size(); ++i) out |= std::uint64_t{v[i]} << i;
  return out;
}

// The ticks until a PIT counter's next expiry: v24 stores them, 2011 the absolute tick (0 = none).
std::uint64_t pit_ticks_ahead(const CptReader& in, const std::string& key, Tick cur_tick) {
  const auto value = in.integer<std::uint64_t>(section::pit, key);
  if (in.era() != Era::v2011 || value == 0) return value;
  if (value < cur_tick)
    throw InputError(in.where(section::pit, key, in.required(section::pit, key).line),
                     fmt::format("expiry {} lies before curTick {}", value, cur_tick));
  return value == cur_tick ? 1 : value - cur_tick;  // due now: one tick, so that it stays scheduled
}

// The speaker's port 0x61 is no PitChannel member: read_pit and write_pit map it.
constexpr CoverageRule pit_code_rows[] = {
    mapping::row("pit.speaker_data", exact("[speaker] controlVal bit 1 (2011: controlValData)")),
};

void read_pit(const CptReader& in, Tick cur_tick, model::Machine& m) {
  for (std::size_t k = 0; k < 3; ++k) {
    PitChannel& c = m.pit.channel[k];
    const std::string prefix = counter_prefix(k);
    read_rows<PitChannel>(in, section::pit, pit_rows, c, prefix);
    c.access = model::PitAccess::word;  // gem5 does not keep the RW mode; word is what guests program
    c.gate = k != 2;                    // channel 2's gate is the speaker port, read below
    const auto period = in.integer<std::uint16_t>(section::pit, prefix + "period");
    const auto offset = pit_ticks_ahead(in, prefix + std::string(pit_event_key(in.era())), cur_tick);
    // gem5 restarts the counter only if both are non-zero (v24 spec §4.2).
    if (period > 0 && offset > 0) {
      c.run = model::PitRun::counting;
      c.count = static_cast<std::uint16_t>(std::min<std::uint64_t>((offset + pit_tick - 1) / pit_tick, 0x10000));
    } else {
      c.run = model::PitRun::idle;
      c.count = 0;
    }
  }
  const auto control = in.integer<std::uint8_t>(section::speaker, speaker_key(in.era()));
  m.pit.channel[2].gate = control & speaker_gate;
  m.pit.speaker_data = control & speaker_data;
}

void write_pit(const model::Machine& m, Tick cur_tick, Era era, CptFile& out) {
  Section& pit = existing(out, section::pit);
  for (std::size_t k = 0; k < 3; ++k) {
    const PitChannel& c = m.pit.channel[k];
    const std::string prefix = counter_prefix(k);
    write_rows<PitChannel>(pit, pit_rows, c, prefix);
    const std::uint64_t period = pit_period(c);
    pit.set(prefix + "period", encode_int(period));
    const std::uint64_t count = c.count ? c.count : 0x10000;
    const std::uint64_t ahead = c.run == model::PitRun::counting && period > 0 ? count * pit_tick : 0;
    pit.set(prefix + std::string(pit_event_key(era)),
            encode_int(era == Era::v2011 && ahead ? cur_tick + ahead : ahead));
  }
  existing(out, section::speaker)
      .set(std::string(speaker_key(era)), encode_int((m.pit.channel[2].gate ? speaker_gate : 0) | (m.pit.speaker_data ? speaker_data : 0)));
}

// The RTC spreads over two arrays and two event offsets, so read_rtc and write_rtc map it by hand.
constexpr CoverageRule rtc_code_rows[] = {
    mapping::row("rtc", exact("cmos and its MC146818")),
    mapping::row("rtc.cmos", approximated("registers C and D are not kept")),
    mapping::row("rtc.until_periodic_ns", approximated("kept only while PIE is set")),
};
// 2011 spec §4.5.
constexpr CoverageRule rtc_code_rows_2011[] = {
    mapping::row("rtc.until_update_ns",
                 approximated("gem5 of 2011 before Oct 2011 wrote the periodic event's offset here; read as written")),
};

// v24 spec §4.5: clock bytes 0-9 and registers A/B live in the MC146818, the rest in Cmos `regs`;
// the two event offsets are relative ticks, the periodic one meaningful only while PIE is set.
void read_rtc(const CptReader& in, model::Rtc& rtc, Report& report) {
  const auto address = in.integer<std::uint8_t>(section::cmos, "address");
  rtc.index = address & 0x7f;
  rtc.nmi_masked = address & nmi_mask_bit;
  const auto regs = in.int_array<std::uint8_t>(section::cmos, "regs", cmos_bytes);
  for (std::size_t i = cmos_nvram_first; i < cmos_bytes; ++i) rtc.cmos[i] = regs[i];
  const auto clock = in.int_array<std::uint8_t>(section::cmos, "rtc.clock_data", rtc_clock_bytes);
  for (std::size_t i = 0; i < rtc_clock_bytes; ++i) rtc.cmos[i] = clock[i];
  rtc.cmos[0x0a] = in.integer<std::uint8_t>(section::cmos, "rtc.stat_regA");
  rtc.cmos[0x0b] = in.integer<std::uint8_t>(section::cmos, "rtc.stat_regB");
  const auto clock_ticks = in.integer<std::uint64_t>(section::cmos, "rtcClockTickOffset");
  const auto periodic_ticks = in.integer<std::uint64_t>(section::cmos, "rtcTimerInterruptTickOffset");
  if (clock_ticks > rtc_second_ticks)
    report.note("rtc.until_update_ns", Carry::approximated, "gem5's clock-update offset exceeds one second; clamped");
  rtc.until_update_ns = std::min(clock_ticks, rtc_second_ticks) / ticks_per_ns;
  rtc.until_periodic_ns = 0;
  if (rtc.cmos[0x0b] & rtc_pie) {
    if (periodic_ticks > rtc_second_ticks)
      report.note("rtc.until_periodic_ns", Carry::approximated, "periodic-interrupt offset beyond one second; clamped");
    rtc.until_periodic_ns = std::min(periodic_ticks, rtc_second_ticks) / ticks_per_ns;
  }
}

void write_rtc(const model::Rtc& rtc, CptFile& out) {
  Section& s = existing(out, section::cmos);
  s.set("address", encode_int((rtc.index & 0x7f) | (rtc.nmi_masked ? nmi_mask_bit : 0)));
  std::vector<std::uint8_t> regs(cmos_bytes, 0);  // 0x00-0x0d are served by the RTC, not this array
  for (std::size_t i = cmos_nvram_first; i < cmos_bytes; ++i) regs[i] = rtc.cmos[i];
  s.set("regs", encode_int_array<std::uint8_t>(regs));
  s.set("rtc.clock_data", encode_bytes(std::span(rtc.cmos).first(rtc_clock_bytes)));
  s.set("rtc.stat_regA", encode_int(rtc.cmos[0x0a]));
  s.set("rtc.stat_regB", encode_int(rtc.cmos[0x0b]));
  // With PIE set and nothing scheduled in the model, the next periodic interrupt is one period away.
  const std::uint64_t periodic = rtc.until_periodic_ns ? rtc.until_periodic_ns * ticks_per_ns : rtc_periodic_ticks;
  s.set("rtcTimerInterruptTickOffset", encode_int(periodic));
  s.set("rtcClockTickOffset", encode_int(rtc.until_update_ns * ticks_per_ns));
}

void read_i8042(const CptReader& in, I8042& k) {
  read_rows<I8042>(in, section::i8042, i8042_rows, k);
  read_rows<I8042>(in, section::ps2_keyboard, ps2_keyboard_rows, k);
  k.keyboard_queue = queue(in, section::ps2_keyboard, "outBuffer", 256);
  k.mouse_queue = queue(in, section::ps2_mouse, "outBuffer", 256);
  k.mouse_enabled = in.integer<std::uint8_t>(section::ps2_mouse, "status") & mouse_enabled_bit;
  k.scancode_set = 2;      // gem5's PS2Keyboard speaks set 2 only
  k.output_port = 0xcf;    // not modelled by gem5: reset line high, A20 enabled
}

// 2011 spec §4.6: the PS/2 queues as a count and its elements; the keyboard has no enable flag.
void read_i8042_2011(const CptReader& in, I8042& k) {
  read_rows<I8042>(in, section::i8042, i8042_rows_2011, k);
  for (auto [prefix, queue_of] : {std::pair{"keyboard.", &I8042::keyboard_queue}, std::pair{"mouse.", &I8042::mouse_queue}}) {
    const std::string size_key = std::string(prefix) + "outBuffer.size";
    k.*queue_of = queue(in, section::i8042, std::string(prefix) + "outBuffer.elts", 256);
    if (in.integer<std::int32_t>(section::i8042, size_key) != static_cast<std::int32_t>((k.*queue_of).size()))
      throw InputError(in.where(section::i8042, size_key, in.required(section::i8042, size_key).line),
                       fmt::format("expected the {} elements of outBuffer.elts", (k.*queue_of).size()));
  }
  k.mouse_enabled = in.integer<std::uint8_t>(section::i8042, "mouse.status") & mouse_enabled_bit;
  k.keyboard_enabled = true;  // 2011's PS/2 keyboard always scans
  k.scancode_set = 2;
  k.output_port = 0xcf;
}

void write_i8042_2011(const I8042& k, CptFile& out, const CptReader& target, Report& report) {
  Section& s = existing(out, section::i8042);
  write_rows<I8042>(s, i8042_rows_2011, k);
  if (!k.keyboard_enabled)
    report.note("i8042.keyboard_enabled", Carry::none, "2011's gem5 keyboard cannot be disabled");
  if (k.pending_command == 0xff)
    report.note("i8042.pending_command", Carry::approximated, "2011 writes 255 for no pending command");
  for (auto [prefix, queue_of] : {std::pair{"keyboard.", &I8042::keyboard_queue}, std::pair{"mouse.", &I8042::mouse_queue}}) {
    s.set(std::string(prefix) + "outBuffer.size", encode_int((k.*queue_of).size()));
    s.set(std::string(prefix) + "outBuffer.elts", encode_bytes(k.*queue_of));
  }
  auto status = target.opt_integer<std::uint8_t>(section::i8042, "mouse.status").value_or(0);
  status = static_cast<std::uint8_t>(k.mouse_enabled ? status | mouse_enabled_bit : status & ~mouse_enabled_bit);
  s.set("mouse.status", encode_int(status));
}

void write_i8042(const I8042& k, CptFile& out, const CptReader& target) {
  write_rows<I8042>(existing(out, section::i8042), i8042_rows, k);
  Section& kbd = existing(out, section::ps2_keyboard);
  write_rows<I8042>(kbd, ps2_keyboard_rows, k);
  kbd.set("outBuffer", encode_bytes(k.keyboard_queue));
  Section& mouse = existing(out, section::ps2_mouse);
  mouse.set("outBuffer", encode_bytes(k.mouse_queue));
  auto status = target.opt_integer<std::uint8_t>(section::ps2_mouse, "status").value_or(0);
  status = static_cast<std::uint8_t>(k.mouse_enabled ? status | mouse_enabled_bit : status & ~mouse_enabled_bit);
  mouse.set("status", encode_int(status));
}

}  // namespace

Section& existing(CptFile& out, std::string_view name) {
  Section* s = out.find(name);
  if (!s) throw UsageError(fmt::format("{}: the target checkpoint has no section [{}]", out.source, name));
  return *s;
}

void read_devices(const CptReader& in, Tick cur_tick, model::Machine& m, Report& report) {
  read_rows<PicChip>(in, section::pic1, pic_rows, m.pic.master);
  read_rows<PicChip>(in, section::pic2, pic_rows, m.pic.slave);
  m.pic.master.last_irr = static_cast<std::uint8_t>(bits_from(in.bool_array(section::pic1, "pinStates", 8)));
  m.pic.slave.last_irr = static_cast<std::uint8_t>(bits_from(in.bool_array(section::pic2, "pinStates", 8)));
  for (PicChip* p : {&m.pic.master, &m.pic.slave}) p->mode_8086 = true;  // gem5 supports 8086 mode only

  read_pit(in, cur_tick, m);

  read_rows<IoApic>(in, section::io_apic, ioapic_rows, m.ioapic);
  m.ioapic.version = 0x14;
  const auto redir = in.int_array<std::uint64_t>(section::io_apic, "redirTableArray", 24);
  std::copy(redir.begin(), redir.end(), m.ioapic.redirection.begin());
  m.ioapic.irr = static_cast<std::uint32_t>(bits_from(in.bool_array(section::io_apic, "pinStates", 24)));

  Uart& com1 = m.uart[0];
  read_rows<Uart>(in, section::com1, uart_rows, com1);
  com1.present = true;
  com1.irq = 4;
  for (std::size_t i = 1; i < m.uart.size(); ++i) m.uart[i] = model::reset_uart(i, false);  // IsaFake placeholders

  read_rtc(in, m.rtc, report);
  if (in.era() == Era::v2011)
    read_i8042_2011(in, m.i8042);
  else
    read_i8042(in, m.i8042);
}

void write_devices(const model::Machine& m, Tick cur_tick, Era era, CptFile& out, Report& report) {
  const CptReader target(out, era);
  for (auto [name, chip] : {std::pair{section::pic1, &m.pic.master}, std::pair{section::pic2, &m.pic.slave}}) {
    Section& s = existing(out, name);
    write_rows<PicChip>(s, pic_rows, *chip);
    s.set("pinStates", encode_bool_array(bits_of(chip->last_irr, 8)));
  }
  write_pit(m, cur_tick, era, out);

  Section& io = existing(out, section::io_apic);
  write_rows<IoApic>(io, ioapic_rows, m.ioapic);
  io.set("redirTableArray", encode_int_array<std::uint64_t>(m.ioapic.redirection));
  io.set("pinStates", encode_bool_array(bits_of(m.ioapic.irr, 24)));

  Section& com1 = existing(out, section::com1);
  write_rows<Uart>(com1, uart_rows, m.uart[0]);
  com1.set("rxintrwhen", "0");  // no UART event in flight; an absolute tick of 0 means none
  com1.set("txintrwhen", "0");
  if (era == Era::v2011) com1.set("DLAB", (m.uart[0].lcr & uart_dlab) ? "1" : "0");
  for (std::size_t i = 1; i < m.uart.size(); ++i)
    if (m.uart[i].present)
      report.note(fmt::format("uart[{}]", i), Carry::none, "gem5's PC has COM1 only; COM2-4 are stateless IsaFake");

  write_rtc(m.rtc, out);
  if (era == Era::v2011)
    write_i8042_2011(m.i8042, out, target, report);
  else
    write_i8042(m.i8042, out, target);
}

void cover_devices(mapping::Coverage& c, Era era) {
  c.declare(pit_code_rows).declare(rtc_code_rows).declare(uart_code_rows);
  if (era == Era::v2011) c.declare(rtc_code_rows_2011);
  cover<PicChip>(c, "pic.master", section::pic1, pic_rows);
  cover<PicChip>(c, "pic.slave", section::pic2, pic_rows);
  cover<PitChannel>(c, "pit.channel[]", section::pit, pit_rows, "pit.counter<k>.");
  cover<IoApic>(c, "ioapic", section::io_apic, ioapic_rows);
  cover<Uart>(c, "uart[]", section::com1, uart_rows);
  if (era == Era::v2011) {
    cover<I8042>(c, "i8042", section::i8042, i8042_rows_2011);
  } else {
    cover<I8042>(c, "i8042", section::i8042, i8042_rows);
    cover<I8042>(c, "i8042", section::ps2_keyboard, ps2_keyboard_rows);
  }
}

}  // namespace cptx::gem5
