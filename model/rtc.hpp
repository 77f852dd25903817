// MC146818 real-time clock and CMOS RAM (I/O 0x70-0x71).
#pragma once

#include "model/describe.hpp"

namespace cptx::model {

struct Rtc {
  std::array<std::uint8_t, 128> cmos{};
  std::uint8_t index{};
  bool nmi_masked{};
  std::uint64_t until_update_ns{}, until_periodic_ns{};

  template <class V> static void describe(V& v) {
    v(&Rtc::cmos, "cmos", any(),
      "all 128 bytes: time and alarm 0x00-0x09 as the guest reads them, registers A-D 0x0a-0x0d, NVRAM");
    v(&Rtc::index, "index", bits(7).hex(), "register selected through port 0x70");
    v(&Rtc::nmi_masked, "nmi_masked", any(), "port 0x70 bit 7: NMI disabled");
    v(&Rtc::until_update_ns, "until_update_ns", range(0, 1'000'000'000).in("ns"),
      "time from the checkpoint to the next once-a-second clock update");
    v(&Rtc::until_periodic_ns, "until_periodic_ns", range(0, 1'000'000'000).in("ns"),
      "time from the checkpoint to the next periodic interrupt; 0 = none scheduled");
  }
  bool operator==(const Rtc&) const = default;
};

}  // namespace cptx::model
