// apic of every processor (spec §5.4). Plain registers are a Bind table; the vectors (bit arrays),
// the LVT (an array with QEMU's masks) and the timer (derived from the load time) need code, whose
// coverage rows are declared beside it (cover_lapic).
#include "codecs/qemu/lapic.hpp"

#include <bit>

#include "codecs/qemu/bind.hpp"

namespace cptx::qemu {

namespace {

using model::Lapic;

constexpr Bind<Lapic> fields[] = {
    {"id", 0, &Lapic::id},         {"tpr", 0, &Lapic::tpr}, {"spurious_vec", 0, &Lapic::svr},
    {"esr", 0, &Lapic::esr},
    beside(&Lapic::version, mapping::defaulted("QEMU's APIC reports version 0x14 with 6 LVT entries")),
    beside(&Lapic::ldr, mapping::transformed("vmstate apic log_dest: bits 31:24 only")),
    beside(&Lapic::dfr, mapping::transformed("vmstate apic dest_mode: bits 31:28 only")),
};

constexpr std::uint32_t lvt_masked = 1u << 16, lvt_periodic = 1u << 17;
constexpr std::uint32_t qemu_apic_version = 0x14 | (5u << 16);  // version 0x14, 6 LVT entries

// log2 of the divider from the DCR (Intel SDM 10.5.4), as QEMU's count_shift.
unsigned count_shift(std::uint32_t dcr) {
  const unsigned v = (dcr & 3) | ((dcr >> 1) & 4);
  return (v + 1) & 7;
}

void load_vectors(const Record& r, const char* field, model::VectorSet& out) {
  for (std::size_t k = 0; k < 8; ++k)
    out.words[k / 2] |= r.get(field, k) << (32 * (k % 2));
}
void store_vectors(const model::VectorSet& in, const char* field, Record& r) {
  for (std::size_t k = 0; k < 8; ++k) r.set(field, (in.words[k / 2] >> (32 * (k % 2))) & 0xffffffff, k);
}

std::uint32_t* lvt_of(model::LapicLvt& l, std::size_t i) {
  std::uint32_t* order[] = {&l.timer, &l.thermal, &l.perf, &l.lint0, &l.lint1, &l.error};
  return order[i];
}

int highest(const model::VectorSet& s) {
  for (int w = 3; w >= 0; --w)
    if (s.words[static_cast<std::size_t>(w)])
      return w * 64 + 63 - std::countl_zero(s.words[static_cast<std::size_t>(w)]);
  return -1;
}

// Priority order of an 8259's inputs after rotation; 8 = none.
int pic_priority(std::uint8_t bits, std::uint8_t priority_add) {
  for (int p = 0; p < 8; ++p)
    if (bits & (1 << ((p + priority_add) & 7))) return p;
  return 8;
}

}  // namespace

void read_lapic(const Record& r, const Clocks& c, Lapic& out, std::uint64_t& apic_base) {
  load<Lapic>(r, out, fields);
  apic_base = r.get("apicbase");
  out.version = qemu_apic_version;
  out.ldr = static_cast<std::uint32_t>(r.get("log_dest")) << 24;
  out.dfr = static_cast<std::uint32_t>(r.get("dest_mode")) << 28 | 0x0fffffff;
  load_vectors(r, "isr", out.isr);
  load_vectors(r, "tmr", out.tmr);
  load_vectors(r, "irr", out.irr);
  for (std::size_t i = 0; i < 6; ++i) *lvt_of(out.lvt, i) = static_cast<std::uint32_t>(r.get("lvt", i));
  out.icr = r.get("icr", 1) << 32 | r.get("icr", 0);
  const auto dcr = static_cast<std::uint32_t>(r.get("divide_conf"));
  out.timer.divide = static_cast<std::uint8_t>(dcr & 0xb);
  out.timer.initial_count = static_cast<std::uint32_t>(r.get("initial_count"));
  // apic_get_current_count at the checkpoint.
  const std::int64_t load = r.get_signed("initial_count_load_time", 8);
  const std::uint64_t ic = out.timer.initial_count;
  const std::uint64_t d =
      c.vm_ns > load ? static_cast<std::uint64_t>(c.vm_ns - load) >> (r.get("count_shift") & 7) : 0;
  if (out.lvt.timer & lvt_periodic)
    out.timer.current_count = static_cast<std::uint32_t>(ic - d % (ic + 1));
  else
    out.timer.current_count = d >= ic ? 0 : static_cast<std::uint32_t>(ic - d);
}

void write_lapic(const Lapic& in, std::uint64_t apic_base, const Clocks& c, Record& r) {
  store<Lapic>(in, r, fields);
  r.set("apicbase", apic_base & 0xffffffff);
  r.set("arb_id", in.id);
  r.set("log_dest", in.ldr >> 24);
  r.set("dest_mode", in.dfr >> 28);
  store_vectors(in.isr, "isr", r);
  store_vectors(in.tmr, "tmr", r);
  store_vectors(in.irr, "irr", r);
  model::LapicLvt lvt = in.lvt;
  for (std::size_t i = 0; i < 6; ++i) r.set("lvt", *lvt_of(lvt, i), i);
  r.set("icr", in.icr & 0xffffffff, 0);
  r.set("icr", in.icr >> 32, 1);
  const unsigned shift = count_shift(in.timer.divide);
  r.set("divide_conf", in.timer.divide);
  r.set("count_shift", shift);
  r.set("initial_count", in.timer.initial_count);
  // Choose the load time that gives back the current count, then arm the timer as
  // apic_next_timer would.
  const std::uint64_t ic = in.timer.initial_count, cur = std::min<std::uint64_t>(in.timer.current_count, ic);
  const bool periodic = in.lvt.timer & lvt_periodic;
  const std::uint64_t d = (!periodic && cur == 0) ? ic : ic - cur;
  const std::int64_t load = c.vm_ns - static_cast<std::int64_t>(d << shift);
  std::int64_t expiry = -1;
  if (!(in.lvt.timer & lvt_masked)) {
    if (periodic && ic != 0)
      expiry = load + static_cast<std::int64_t>(((d / (ic + 1)) + 1) * (ic + 1) << shift);
    else if (!periodic && d < ic)
      expiry = load + static_cast<std::int64_t>((ic + 1) << shift);
  }
  r.set("initial_count_load_time", static_cast<std::uint64_t>(load));
  r.set("next_time", static_cast<std::uint64_t>(expiry == -1 ? load : expiry));
  r.set("timer_expiry", static_cast<std::uint64_t>(expiry));
}

bool interrupt_line(const Lapic& lapic, std::uint64_t apic_base, const model::Pic& pic, bool bsp) {
  constexpr std::uint64_t global_enable = 1u << 11;
  constexpr std::uint32_t sw_enable = 1u << 8, extint = 7u << 8;
  const bool enabled = (apic_base & global_enable) && (lapic.svr & sw_enable);
  if (enabled) {
    const int irrv = highest(lapic.irr), isrv = highest(lapic.isr);
    const int ppr = (lapic.tpr >> 4) >= (isrv >> 4) ? lapic.tpr : (isrv & 0xf0);
    if (irrv >= 0 && (irrv & 0xf0) > (ppr & 0xf0)) return true;
  }
  const bool accept_pic = !(apic_base & global_enable) ||
                          (!(lapic.lvt.lint0 & lvt_masked) && (lapic.lvt.lint0 & (7u << 8)) == extint);
  if (!bsp || !accept_pic) return false;
  const auto& mc = pic.master;
  const int pending = pic_priority(static_cast<std::uint8_t>(mc.irr & ~mc.imr), mc.priority_add);
  const std::uint8_t in_service = mc.special_mask ? static_cast<std::uint8_t>(mc.isr & ~mc.imr) : mc.isr;
  return pending < pic_priority(in_service, mc.priority_add);
}

void cover_lapic(mapping::Coverage& c) {
  using mapping::row, mapping::exact, mapping::transformed;
  // The vectors, the LVT and the timer need code (read_lapic, write_lapic above).
  static constexpr CoverageRule declared[] = {
      row("cpu[].lapic", exact("vmstate apic of the processor: isr, tmr, irr, icr, lvt, divide_conf, initial_count")),
      row("cpu[].lapic.timer.current_count",
          transformed("derived from the load time; a count above the initial count is not representable")),
  };
  c.declare(declared);
  cover<Lapic>(c, "cpu[].lapic", "apic", fields);
}

}  // namespace cptx::qemu
