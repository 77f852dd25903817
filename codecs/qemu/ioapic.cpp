// ioapic (spec §5.6): the same layout under TCG and KVM.
#include "codecs/qemu/bind.hpp"
#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {

namespace {

using model::IoApic;

constexpr Bind<IoApic> fields[] = {
    {"id", 0, &IoApic::id},
    {"ioregsel", 0, &IoApic::index},
    {"irr", 0, &IoApic::irr},
};

// QEMU 7.2's IOAPIC reports version 0x20 (a device property, not saved).
constexpr std::uint8_t qemu_ioapic_version = 0x20;

}  // namespace

void read_ioapic(const Stream& s, model::Machine& m) {
  const Record& r = need(s, "ioapic", 0, "ioapic");
  load<IoApic>(r, m.ioapic, fields);
  m.ioapic.irr &= 0xffffff;
  for (std::size_t i = 0; i < m.ioapic.redirection.size(); ++i) m.ioapic.redirection[i] = r.get("ioredtbl", i);
  m.ioapic.version = qemu_ioapic_version;
  m.ioapic.arb_id = 0;
}

void write_ioapic(const model::Machine& m, const RecordFor& out) {
  Record& r = out(layout::ioapic(), 0);
  store<IoApic>(m.ioapic, r, fields);
  for (std::size_t i = 0; i < m.ioapic.redirection.size(); ++i) r.set("ioredtbl", m.ioapic.redirection[i], i);
}

void cover_ioapic(mapping::Coverage& c) {
  using mapping::row, mapping::exact, mapping::defaulted, mapping::not_held;
  static constexpr CoverageRule declared[] = {
      row("ioapic.redirection", exact("vmstate ioapic ioredtbl")),
      row("ioapic.version", defaulted("QEMU's IOAPIC reports version 0x20")),
      row("ioapic.arb_id", not_held("not saved by QEMU")),
  };
  c.declare(declared);
  cover<IoApic>(c, "ioapic", "ioapic", fields);
}

}  // namespace cptx::qemu
