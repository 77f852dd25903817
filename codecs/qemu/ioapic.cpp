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
    beside(&IoApic::version, mapping::defaulted("QEMU's IOAPIC reports version 0x20")),
    beside(&IoApic::arb_id, mapping::not_held("not saved by QEMU")),
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
  // The redirection table is an array, which a Bind row does not hold.
  static constexpr CoverageRule declared[] = {mapping::row("ioapic.redirection", mapping::exact("vmstate ioapic ioredtbl"))};
  c.declare(declared);
  cover<IoApic>(c, "ioapic", "ioapic", fields);
}

}  // namespace cptx::qemu
