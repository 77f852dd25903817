// i8254 (spec §5.8) and pcspk. QEMU keeps no current count: it derives it from the VM clock and
// `count_load_time`, at 1 193 182 Hz. Reading evaluates that at the checkpoint; writing chooses
// the load time that gives back the model's count (the formulas mirror hw/timer/i8254_common.c).
// Hand-written rather than a Bind table: every field depends on that clock arithmetic, so its
// coverage rows are declared beside the code (cover_pit).
#include <fmt/format.h>

#include "codecs/io/error.hpp"

#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {

namespace {

constexpr std::uint64_t pit_hz = 1193182, ns_per_s = 1'000'000'000;
__extension__ typedef unsigned __int128 u128;  // QEMU's muldiv64 works in 128 bits

// Ticks elapsed in `ns` nanoseconds (QEMU's muldiv64, rounding down).
std::uint64_t ticks_in(std::int64_t ns) {
  if (ns <= 0) return 0;
  return static_cast<std::uint64_t>(static_cast<u128>(ns) * pit_hz / ns_per_s);
}
// The shortest time in which `ticks` elapse.
std::int64_t ns_for(std::uint64_t ticks) {
  return static_cast<std::int64_t>((static_cast<u128>(ticks) * ns_per_s + pit_hz - 1) / pit_hz);
}

struct Channel {
  std::uint32_t count;  // reload value, 1..0x10000
  std::uint8_t mode;
  std::int64_t load_time;
};

std::uint16_t current_count(const Channel& c, std::uint64_t d) {
  switch (c.mode) {
    case 0: case 1: case 4: case 5: return static_cast<std::uint16_t>((c.count - d) & 0xffff);
    case 3: return static_cast<std::uint16_t>(c.count - (2 * d) % c.count);
    default: return static_cast<std::uint16_t>(c.count - d % c.count);
  }
}

bool output(const Channel& c, std::uint64_t d) {
  switch (c.mode) {
    case 1: return d < c.count;
    case 2: return d % c.count == 0 && d != 0;
    case 3: return d % c.count < (c.count + 1) / 2;
    case 4: case 5: return d == c.count;
    default: return d >= c.count;
  }
}

// Ticks since loading that leave `want` in the counter; `exact` false if none does.
std::uint64_t ticks_for(const Channel& c, std::uint16_t want, bool& exact) {
  const std::uint64_t n = c.count, w = want == 0 && c.mode != 0 && c.mode != 1 && c.mode != 4 && c.mode != 5 ? n : want;
  exact = true;
  switch (c.mode) {
    case 0: case 1: case 4: case 5: return (n - w) & 0xffff;
    case 3: {
      const std::uint64_t gap = (n - w % n) % n;  // 2d ≡ gap (mod n)
      if (gap % 2 == 0) return gap / 2;
      if (n % 2 == 1) return (gap + n) / 2;
      exact = false;
      return (gap - 1) / 2;
    }
    default:
      if (w == 0 || w > n) exact = false;
      return (n - std::min(w, n)) % n;
  }
}

// VM-clock time of the channel's next output change, or -1 (pit_get_next_transition_time).
std::int64_t next_transition(const Channel& c, std::int64_t now) {
  const std::uint64_t d = ticks_in(now - c.load_time), n = c.count;
  std::uint64_t next = 0;
  switch (c.mode) {
    case 2: {
      const std::uint64_t base = d / n * n;
      next = (d - base == 0 && d != 0) ? base + n : base + 1;
      break;
    }
    case 3: {
      const std::uint64_t base = d / n * n, half = (n + 1) / 2;
      next = d - base < half ? base + half : base + n;
      break;
    }
    case 4: case 5:
      if (d < n) next = n;
      else if (d == n) next = n + 1;
      else return -1;
      break;
    default:
      if (d < n) next = n;
      else return -1;
  }
  std::int64_t t = c.load_time + static_cast<std::int64_t>(static_cast<u128>(next) * ns_per_s / pit_hz);
  return t <= now ? now + 1 : t;
}

std::string ch(std::size_t i, const char* field) { return fmt::format("ch[{}].{}", i, field); }

constexpr std::uint8_t rw_word = 3, state_word0 = 3, state_word1 = 4;

}  // namespace

void read_pit(const Stream& s, const Clocks& clk, model::Machine& m, Report& report) {
  const Record& r = need(s, "i8254", 0, "pit");
  const Section& sec = *s.find("i8254", 0);
  for (std::size_t i = 0; i < 3; ++i) {
    auto& out = m.pit.channel[i];
    const std::uint32_t count = static_cast<std::uint32_t>(r.get(ch(i, "count")));
    const std::uint8_t mode = static_cast<std::uint8_t>(r.get(ch(i, "mode")) & 7);
    if (count == 0 || count > 0x10000)
      throw InputError({s.path, sec.offset, std::nullopt, fmt::format("i8254:0.channels[{}].count", i)},
                       fmt::format("count {} outside 1..65536", count));
    const Channel c{count, static_cast<std::uint8_t>(mode > 5 ? mode - 4 : mode),
                    r.get_signed(ch(i, "count_load_time"), 8)};
    const std::uint64_t d = ticks_in(clk.vm_ns - c.load_time);
    out.mode = c.mode;
    out.reload = static_cast<std::uint16_t>(count & 0xffff);
    out.count = current_count(c, d);
    out.output = output(c, d);
    out.bcd = r.get(ch(i, "bcd")) != 0;
    out.gate = r.get(ch(i, "gate")) != 0;
    const auto rw = static_cast<std::uint8_t>(r.get(ch(i, "rw_mode")) & 3);
    out.access = static_cast<model::PitAccess>(rw);
    out.run = rw == 0 ? model::PitRun::idle : model::PitRun::counting;
    out.latched_count = static_cast<std::uint16_t>(r.get(ch(i, "latched_count")));
    out.count_latch = static_cast<model::PitLatch>(r.get(ch(i, "count_latched")) & 3);
    out.status_latched = r.get(ch(i, "status_latched")) != 0;
    out.latched_status = static_cast<std::uint8_t>(r.get(ch(i, "status")));
    out.write_lsb = static_cast<std::uint8_t>(r.get(ch(i, "write_latch")));
    const bool word = rw == rw_word;
    out.read_next = word && r.get(ch(i, "read_state")) == state_word1 ? model::PitByte::msb : model::PitByte::lsb;
    out.write_next = word && r.get(ch(i, "write_state")) == state_word1 ? model::PitByte::msb : model::PitByte::lsb;
  }
  if (r.get("channels[0].irq_disabled"))
    report.note("pit.channel[0].output", Carry::approximated, "QEMU had IRQ0 disabled (HPET legacy replacement)");
  if (const Section* spk = s.find("pcspk", 0)) m.pit.speaker_data = spk->record.get("data_on") != 0;
}

void write_pit(const model::Machine& m, const Clocks& clk, const RecordFor& out, Report& report) {
  Record& r = out(layout::i8254(), 0);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& in = m.pit.channel[i];
    const Channel probe{in.reload == 0 ? 0x10000u : in.reload, in.mode, 0};
    bool exact = true;
    const std::uint64_t d = in.run == model::PitRun::counting ? ticks_for(probe, in.count, exact) : 0;
    if (!exact)
      report.note(fmt::format("pit.channel[{}].count", i), Carry::approximated,
                  "QEMU cannot hold this count in this mode; the nearest was written");
    const Channel c{probe.count, probe.mode, clk.vm_ns - ns_for(d)};
    const auto rw = static_cast<std::uint8_t>(in.access);
    const bool word = rw == rw_word;
    r.set(ch(i, "count"), c.count);
    r.set(ch(i, "mode"), c.mode);
    r.set(ch(i, "bcd"), in.bcd);
    r.set(ch(i, "gate"), in.gate);
    r.set(ch(i, "rw_mode"), rw);
    r.set(ch(i, "read_state"), word ? (in.read_next == model::PitByte::msb ? state_word1 : state_word0) : rw);
    r.set(ch(i, "write_state"), word ? (in.write_next == model::PitByte::msb ? state_word1 : state_word0) : rw);
    r.set(ch(i, "latched_count"), in.latched_count);
    r.set(ch(i, "count_latched"), static_cast<std::uint64_t>(in.count_latch));
    r.set(ch(i, "status_latched"), in.status_latched);
    r.set(ch(i, "status"), in.latched_status);
    r.set(ch(i, "write_latch"), in.write_lsb);
    r.set(ch(i, "count_load_time"), static_cast<std::uint64_t>(c.load_time));
    const std::int64_t next = next_transition(c, clk.vm_ns);
    r.set(ch(i, "next_transition_time"), static_cast<std::uint64_t>(next));
    if (i == 0) r.set("channels[0].next_transition_time", static_cast<std::uint64_t>(next));
  }
  out(layout::pcspk(), 0).set("data_on", m.pit.speaker_data);
}

void cover_pit(mapping::Coverage& c) {
  using mapping::row, mapping::exact, mapping::transformed, mapping::approximated, mapping::defaulted;
  static constexpr CoverageRule declared[] = {
      row("pit", exact("vmstate i8254 channels and pcspk")),
      row("pit.channel[].count",
          transformed("derived from the load time; some counts are unreachable in modes 2 and 3")),
      row("pit.channel[].run", defaulted("QEMU loads a written count at once: no idle or null-count state")),
      row("pit.channel[].output", transformed("QEMU derives OUT from the count and mode")),
      row("pit.channel[].read_next", approximated("kept only in word access mode")),
      row("pit.channel[].write_next", approximated("kept only in word access mode")),
  };
  c.declare(declared);
}

}  // namespace cptx::qemu
