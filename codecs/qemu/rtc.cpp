// mc146818rtc (spec §5.10). QEMU runs the RTC on the host clock: the guest's time is
// base_rtc + (host now - last_update) + offset, so it keeps running while the stream sits on disk.
// Hand-written rather than a Bind table, for that clock arithmetic; the coverage rows are declared
// beside the code (cover_rtc).
#include <ctime>

#include "codecs/io/error.hpp"
#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;
constexpr std::uint64_t not_armed = ~std::uint64_t{0};
constexpr std::uint8_t reg_a = 0x0a, reg_b = 0x0b, reg_b_pie = 0x40, reg_b_binary = 0x04, reg_b_24h = 0x02;
constexpr std::uint8_t century = 0x32;

// Periodic interrupt period in ns from register A's rate and B's PIE (rtc_periodic_clock_ticks).
std::int64_t period_ns(const std::array<std::uint8_t, 128>& cmos) {
  if (!(cmos[reg_b] & reg_b_pie)) return 0;
  int code = cmos[reg_a] & 0x0f;
  if (code == 0) return 0;
  if (code <= 2) code += 7;
  return (std::int64_t{1} << (code - 1)) * ns_per_s / 32768;
}

int from_bcd(std::uint8_t v, bool binary) { return binary ? v : (v >> 4) * 10 + (v & 0xf); }

// Days from 1970-01-01 to y-m-d (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// The guest's date and time as its CMOS bytes show them, in seconds since 1970.
std::int64_t guest_seconds(const std::array<std::uint8_t, 128>& cmos) {
  const bool bin = cmos[reg_b] & reg_b_binary;
  int hour = from_bcd(cmos[4] & 0x7f, bin);
  if (!(cmos[reg_b] & reg_b_24h)) hour = hour % 12 + ((cmos[4] & 0x80) ? 12 : 0);
  const int year = from_bcd(cmos[century], bin) * 100 + from_bcd(cmos[9], bin);
  const unsigned month = static_cast<unsigned>(std::clamp(from_bcd(cmos[8], bin), 1, 12));
  const unsigned day = static_cast<unsigned>(std::clamp(from_bcd(cmos[7], bin), 1, 31));
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + from_bcd(cmos[2], bin) * 60 + from_bcd(cmos[0], bin);
}

}  // namespace

void read_rtc(const Stream& s, const Clocks& clk, model::Machine& m) {
  const Record& r = need(s, "mc146818rtc", 0, "rtc");
  auto& rtc = m.rtc;
  for (std::size_t i = 0; i < 128; ++i) rtc.cmos[i] = static_cast<std::uint8_t>(r.get("cmos_data", i));
  rtc.index = static_cast<std::uint8_t>(r.get("cmos_index") & 0x7f);
  rtc.nmi_masked = false;
  // Time stamps a stream may hold in any 64-bit pattern: arithmetic on them must not overflow.
  auto overflow = [&](const char* field) {
    throw InputError({s.path, s.find("mc146818rtc", 0)->offset, std::nullopt, std::string("mc146818rtc:") + field},
                     "time stamp too far from the stream's clock");
  };
  auto minus = [&](std::int64_t a, std::int64_t b, const char* field) {
    std::int64_t v = 0;
    if (__builtin_sub_overflow(a, b, &v)) overflow(field);
    return v;
  };
  // The guest's RTC time at the save, on the host clock the stream's times use.
  const std::int64_t elapsed = std::max<std::int64_t>(0, minus(clk.host_ns, r.get_signed("last_update", 8), "last_update"));
  std::int64_t since_second = 0;
  if (__builtin_add_overflow(r.get_signed("offset", 8), elapsed, &since_second)) overflow("offset");
  const std::int64_t sub = since_second % ns_per_s;
  rtc.until_update_ns = static_cast<std::uint64_t>(ns_per_s - sub);
  rtc.until_periodic_ns = 0;
  if (const std::int64_t period = period_ns(rtc.cmos); period && r.get("periodic_timer") != not_armed) {
    const std::int64_t left = minus(r.get_signed("next_periodic_time", 8), clk.host_ns, "next_periodic_time");
    rtc.until_periodic_ns = static_cast<std::uint64_t>(left > 0 && left <= period ? left : period);
  }
}

void write_rtc(const model::Machine& m, const Clocks& clk, const RecordFor& out) {
  Record& r = out(layout::mc146818rtc(), 0);
  const auto& rtc = m.rtc;
  for (std::size_t i = 0; i < 128; ++i) r.set("cmos_data", rtc.cmos[i], i);
  r.set("cmos_index", rtc.index);
  // Rebase on the host clock at conversion time: the next second starts until_update_ns from now.
  const std::int64_t sub = rtc.until_update_ns % ns_per_s == 0 ? 0 : ns_per_s - static_cast<std::int64_t>(rtc.until_update_ns);
  r.set("base_rtc", static_cast<std::uint64_t>(guest_seconds(rtc.cmos)));
  r.set("last_update", static_cast<std::uint64_t>(clk.host_ns));
  r.set("offset", static_cast<std::uint64_t>(sub));
  const std::int64_t next_second = clk.host_ns + (ns_per_s - sub);
  const bool divider_reset = (rtc.cmos[reg_a] & 0x60) == 0x60;
  r.set("update_timer", divider_reset ? not_armed : static_cast<std::uint64_t>(next_second));
  r.set("next_alarm_time", not_armed);
  const std::int64_t period = period_ns(rtc.cmos);
  r.set("period", period ? static_cast<std::uint64_t>(period * 32768 / ns_per_s) : 0);
  r.set("irq_coalesced", 0);
  if (period) {
    const std::int64_t next = clk.host_ns + (rtc.until_periodic_ns ? static_cast<std::int64_t>(rtc.until_periodic_ns) : period);
    r.set("next_periodic_time", static_cast<std::uint64_t>(next));
    r.set("periodic_timer", static_cast<std::uint64_t>(next));
  } else {
    r.set("next_periodic_time", 0);
    r.set("periodic_timer", not_armed);
  }
}

void cover_rtc(mapping::Coverage& c) {
  using mapping::row, mapping::exact, mapping::transformed, mapping::not_held;
  static constexpr CoverageRule declared[] = {
      row("rtc", exact("vmstate mc146818rtc")),
      row("rtc.nmi_masked", not_held("QEMU does not keep port 0x70 bit 7")),
      row("rtc.until_update_ns", transformed("QEMU's RTC runs on the host clock; the save time is taken from the "
                                             "file's modification time")),
      row("rtc.until_periodic_ns", transformed("QEMU's RTC runs on the host clock; the save time is taken from the "
                                               "file's modification time")),
  };
  c.declare(declared);
}

}  // namespace cptx::qemu
