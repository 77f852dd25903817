// I/O APIC (82093AA style, 24 inputs) at 0xfec00000.
#pragma once

#include "model/describe.hpp"

namespace cptx::model {

struct IoApic {
  std::uint8_t id{}, version{}, arb_id{}, index{};
  std::uint32_t irr{};
  // Entries are kept as the raw 64-bit register pair: vector 7:0, delivery mode 10:8, destination
  // mode 11, delivery status 12, polarity 13, remote IRR 14, trigger 15, mask 16, destination 63:56.
  std::array<std::uint64_t, 24> redirection{};

  template <class V> static void describe(V& v) {
    v(&IoApic::id, "id", bits(8), "IOAPIC id (register 0 bits 27:24)");
    v(&IoApic::version, "version", bits(8).hex(), "version (register 1 bits 7:0)");
    v(&IoApic::arb_id, "arb_id", bits(4), "arbitration id (register 2 bits 27:24)");
    v(&IoApic::index, "index", bits(8).hex(), "IOREGSEL: register selected for the window");
    v(&IoApic::irr, "irr", bits(24).hex(), "inputs with a request pending, bit n = pin n");
    v(&IoApic::redirection, "redirection", any().hex(), "redirection table, entry n = pin n");
  }
  bool operator==(const IoApic&) const = default;
};

}  // namespace cptx::model
