// The local APIC register file `regs` (70 words, index table in v24 spec §4.3) and its event state.
// Hand-written rather than KeyRow tables: the registers are one indexed array and the timer an
// absolute tick; the coverage rows are declared beside the code (cover_lapic).
#include <fmt/format.h>

#include "codecs/gem5/cpu.hpp"
#include "codecs/io/error.hpp"
#include "reports/report.hpp"

namespace cptx::gem5 {

namespace {

enum Reg : std::size_t {
  id = 0, version = 1, tpr = 2, ldr = 6, dfr = 7, svr = 8, isr = 9, tmr = 25, irr = 41, esr = 57, icr_lo = 58,
  icr_hi = 59, lvt_timer = 60, lvt_thermal = 61, lvt_perf = 62, lvt_lint0 = 63, lvt_lint1 = 64, lvt_error = 65,
  initial_count = 66, divide = 68, internal_state = 69, reg_count = 70
};
constexpr std::uint32_t svr_enable = 1u << 8;  // mirrored into the internal-state word on SVR writes

std::uint64_t divisor(std::uint8_t divide_config) {
  const unsigned index = ((divide_config >> 1) & 4) | (divide_config & 3);
  return std::uint64_t{1} << ((index + 1) & 7);
}

// gem5 keeps the 256 vector bits as eight 32-bit words (of sixteen slots).
model::VectorSet vectors(const std::vector<std::uint32_t>& regs, std::size_t first) {
  model::VectorSet s;
  for (std::size_t w = 0; w < 4; ++w) s.words[w] = regs[first + 2 * w] | std::uint64_t{regs[first + 2 * w + 1]} << 32;
  return s;
}
void put_vectors(std::vector<std::uint32_t>& regs, std::size_t first, const model::VectorSet& s) {
  for (std::size_t w = 0; w < 4; ++w) {
    regs[first + 2 * w] = static_cast<std::uint32_t>(s.words[w]);
    regs[first + 2 * w + 1] = static_cast<std::uint32_t>(s.words[w] >> 32);
  }
}
unsigned highest(const model::VectorSet& s) {
  for (unsigned v = 256; v-- > 0;)
    if (s.test(v)) return v;
  return 0;
}

// Bounds the 2011 `clock` key: at least one tick, at most one second per count.
constexpr Tick max_lapic_clock = 1'000'000'000'000;

}  // namespace

std::string lapic_copy_section(const std::string& cpu, Era era) { return era == Era::v2011 ? cpu : cpu + ".xc.0"; }

Tick lapic_clock(const CptReader& in, const std::string& cpu) {
  if (in.era() != Era::v2011) return lapic_clock_ticks;
  const std::string sec = cpu + ".interrupts";
  const auto clock = in.integer<Tick>(sec, "clock");
  if (clock == 0 || clock > max_lapic_clock)
    throw InputError(in.where(sec, "clock", in.required(sec, "clock").line),
                     fmt::format("{} ticks per APIC clock: expected 1..{}", clock, max_lapic_clock));
  return clock;
}

void compare_lapic_copies(const CptReader& in, const std::string& cpu, Report& report, const std::string& path) {
  const std::string apic = cpu + ".interrupts", copy = lapic_copy_section(cpu, in.era());
  const Section* s = in.file().find(apic);
  if (!s) return;  // read_lapic names the missing section
  for (const Entry& e : s->entries()) {
    const Entry* other = in.optional(copy, e.key);
    if (!other || other->value != e.value)
      report.note(path + ".lapic", Carry::approximated,
                  fmt::format("[{}] {} differs from [{}], which was read", copy, e.key, apic));
  }
}

void read_lapic(const CptReader& in, const std::string& sec, Tick cur_tick, Tick clock, model::Cpu& c) {
  const auto regs = in.int_array<std::uint32_t>(sec, "regs", reg_count);
  model::Lapic& a = c.lapic;
  a.id = static_cast<std::uint8_t>(regs[id] >> 24);
  a.version = regs[version];
  a.tpr = static_cast<std::uint8_t>(regs[tpr]);
  a.ldr = regs[ldr];
  a.dfr = regs[dfr];
  a.svr = regs[svr];
  a.isr = vectors(regs, isr);
  a.tmr = vectors(regs, tmr);
  a.irr = vectors(regs, irr);
  a.esr = regs[esr];
  a.icr = regs[icr_lo] | std::uint64_t{regs[icr_hi]} << 32;
  a.lvt = {regs[lvt_timer], regs[lvt_thermal], regs[lvt_perf], regs[lvt_lint0], regs[lvt_lint1], regs[lvt_error]};
  a.timer.initial_count = regs[initial_count];
  a.timer.divide = static_cast<std::uint8_t>(regs[divide] & 0xb);
  // The current-count register is not maintained; gem5 computes it from the absolute expiry tick.
  a.timer.current_count = 0;
  if (in.boolean(sec, "apicTimerEventScheduled")) {
    const auto when = in.integer<Tick>(sec, "apicTimerEventTick");
    if (when < cur_tick)
      throw InputError(in.where(sec, "apicTimerEventTick", in.required(sec, "apicTimerEventTick").line),
                       fmt::format("timer expiry {} lies before curTick {}", when, cur_tick));
    const std::uint64_t per_count = clock * divisor(a.timer.divide);
    const std::uint64_t counts = (when - cur_tick + per_count - 1) / per_count;
    a.timer.current_count = static_cast<std::uint32_t>(std::min<std::uint64_t>(counts, 0xffffffff));
  }
  c.events.nmi_pending = in.boolean(sec, "pendingNmi");
  c.events.smi_pending = in.boolean(sec, "pendingSmi");
  c.events.init_pending = in.boolean(sec, "pendingInit");
  c.events.sipi_vector = in.integer<std::uint8_t>(sec, "startupVector");
  // An interrupt taken from the 8259 (ExtINT delivery): its vector is fetched, delivery waits for IF.
  if (in.boolean(sec, "pendingExtInt")) c.events.interrupt = in.integer<std::uint8_t>(sec, "extIntVector");
}

void write_lapic(const model::Cpu& c, bool started_up, Tick cur_tick, Era era, Section& out) {
  const model::Lapic& a = c.lapic;
  std::vector<std::uint32_t> regs(reg_count, 0);
  regs[id] = std::uint32_t{a.id} << 24;
  regs[version] = a.version;
  regs[tpr] = a.tpr;
  regs[ldr] = a.ldr;
  regs[dfr] = a.dfr;
  regs[svr] = a.svr;
  put_vectors(regs, isr, a.isr);
  put_vectors(regs, tmr, a.tmr);
  put_vectors(regs, irr, a.irr);
  regs[esr] = a.esr;
  regs[icr_lo] = static_cast<std::uint32_t>(a.icr);
  regs[icr_hi] = static_cast<std::uint32_t>(a.icr >> 32);
  regs[lvt_timer] = a.lvt.timer;
  regs[lvt_thermal] = a.lvt.thermal;
  regs[lvt_perf] = a.lvt.perf;
  regs[lvt_lint0] = a.lvt.lint0;
  regs[lvt_lint1] = a.lvt.lint1;
  regs[lvt_error] = a.lvt.error;
  regs[initial_count] = a.timer.initial_count;
  regs[divide] = a.timer.divide;
  regs[internal_state] = a.svr & svr_enable;
  const bool armed = a.timer.current_count != 0;
  const Tick when = armed ? cur_tick + a.timer.current_count * lapic_clock_ticks * divisor(a.timer.divide) : 0;
  const bool unmaskable = c.events.smi_pending || c.events.nmi_pending || c.events.init_pending;

  out.set("regs", encode_int_array<std::uint32_t>(regs));
  if (era == Era::v2011) out.set("clock", encode_int(lapic_clock_ticks));
  out.set("pendingSmi", encode_bool(c.events.smi_pending));
  out.set("smiVector", "0");
  out.set("pendingNmi", encode_bool(c.events.nmi_pending));
  out.set("nmiVector", "0");
  out.set("pendingExtInt", encode_bool(c.events.interrupt.has_value()));
  out.set("extIntVector", encode_int(c.events.interrupt.value_or(0)));
  out.set("pendingInit", encode_bool(c.events.init_pending));
  out.set("initVector", "0");
  out.set("pendingStartup", "false");
  out.set("startupVector", encode_int(c.events.sipi_vector));
  out.set("startedUp", encode_bool(started_up));
  out.set("pendingUnmaskableInt", encode_bool(unmaskable));
  out.set("pendingIPIs", "0");
  out.set("IRRV", encode_int(highest(a.irr)));
  out.set("ISRV", encode_int(highest(a.isr)));
  out.set("apicTimerEventScheduled", encode_bool(armed));
  out.set("apicTimerEventTick", encode_int(when));
}

void cover_lapic(mapping::Coverage& c) {
  static constexpr CoverageRule rows[] = {
      {"cpu[].lapic.timer.current_count", Carry::exact, "as the absolute tick of the next expiry"},
  };
  c.declare(rows);
}

}  // namespace cptx::gem5
