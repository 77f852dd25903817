// IOAPIC (§3.4): the id, version and arbitration registers as Palacios's register images.
#include "codecs/palacios/tables.hpp"

namespace cptx::palacios {

namespace {
// Version register bits 16-23: the highest redirection entry (24 entries).
constexpr std::uint64_t kMaxRedir = 23;
constexpr std::uint64_t kIoApicBase = 0xfec00000;
}  // namespace

Fields ioapic_fields() {
  using model::IoApic;
  auto io = [](auto& s) -> auto& { return s.m.ioapic; };
  return {
      fixed("BASE_ADDR", 8, kIoApicBase),
      num("INDEX_REG", 4, "ioapic", io, &IoApic::index),
      num("IOAPIC_ID", 4, "ioapic", io, &IoApic::id, 24),
      {"IOAPIC_VER", 4, "ioapic.version",
       [](const State& s, std::span<std::uint8_t> out) { put_le(out, s.m.ioapic.version | kMaxRedir << 16); },
       [](State& s, std::span<const std::uint8_t> in) { s.m.ioapic.version = static_cast<std::uint8_t>(get_le(in)); }},
      num("IOAPIC_ARB_ID", 4, "ioapic", io, &IoApic::arb_id, 24),
      {"REDIR_TABLE", 192, "ioapic.redirection",
       [](const State& s, std::span<std::uint8_t> out) {
         for (std::size_t n = 0; n < 24; ++n) put_le(out.subspan(8 * n, 8), s.m.ioapic.redirection[n]);
       },
       [](State& s, std::span<const std::uint8_t> in) {
         for (std::size_t n = 0; n < 24; ++n) s.m.ioapic.redirection[n] = get_le(in.subspan(8 * n, 8));
       }},
      rule_row("ioapic.irr", mapping::not_held("Palacios's IOAPIC keeps no pending-input state")),
  };
}

}  // namespace cptx::palacios
