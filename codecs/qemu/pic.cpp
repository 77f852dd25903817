// i8259 (spec §5.7): instance 0 = master at 0x20, 1 = slave at 0xa0.
#include "codecs/qemu/bind.hpp"
#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {

namespace {

using model::PicChip;

constexpr Bind<PicChip> chip_fields[] = {
    {"last_irr", 0, &PicChip::last_irr},
    {"irr", 0, &PicChip::irr},
    {"imr", 0, &PicChip::imr},
    {"isr", 0, &PicChip::isr},
    {"priority_add", 0, &PicChip::priority_add},
    {"irq_base", 0, &PicChip::vector_base},
    {"read_reg_select", 0, &PicChip::read_isr},
    {"poll", 0, &PicChip::poll},
    {"special_mask", 0, &PicChip::special_mask},
    {"auto_eoi", 0, &PicChip::auto_eoi},
    {"rotate_on_auto_eoi", 0, &PicChip::rotate_on_auto_eoi},
    {"special_fully_nested_mode", 0, &PicChip::special_fully_nested},
    {"init4", 0, &PicChip::icw4_needed},
    {"single_mode", 0, &PicChip::single},
    {"elcr", 0, &PicChip::elcr},
    beside(&PicChip::elcr_mask, mapping::defaulted("QEMU's fixed ISA masks (0xf8, 0xde)")),
    beside(&PicChip::icw3, mapping::defaulted("not saved: the slave is always on input 2")),
    beside(&PicChip::level_triggered, mapping::not_held("not saved: QEMU takes edge/level from the ELCR")),
    beside(&PicChip::mode_8086, mapping::defaulted("QEMU supports only 8086 mode")),
};

// What QEMU fixes rather than saves: the ELCR bits a guest may set (ISA PIC properties), the
// cascade on master input 2, 8086 mode and edge/level by ELCR only.
constexpr std::uint8_t master_elcr_mask = 0xf8, slave_elcr_mask = 0xde;

}  // namespace

void read_pic(const Stream& s, model::Machine& m) {
  for (std::uint32_t i = 0; i < 2; ++i) {
    const Record& r = need(s, "i8259", i, i == 0 ? "pic.master" : "pic.slave");
    PicChip& c = i == 0 ? m.pic.master : m.pic.slave;
    load<PicChip>(r, c, chip_fields);
    c.init = static_cast<model::PicInit>(r.get("init_state") & 3);
    c.elcr_mask = i == 0 ? master_elcr_mask : slave_elcr_mask;
    c.icw3 = i == 0 ? 0x04 : 0x02;
    c.mode_8086 = true;
    c.level_triggered = false;
    c.vector_base &= 0xf8;
    c.priority_add &= 7;
  }
}

void write_pic(const model::Machine& m, const RecordFor& out) {
  for (std::uint32_t i = 0; i < 2; ++i) {
    Record& r = out(layout::i8259(), i);
    const PicChip& c = i == 0 ? m.pic.master : m.pic.slave;
    store<PicChip>(c, r, chip_fields);
    r.set("init_state", static_cast<std::uint64_t>(c.init));
  }
}

void cover_pic(mapping::Coverage& c) {
  // init is an enum, which a Bind row does not hold: read_pic and write_pic map it.
  static constexpr CoverageRule declared[] = {
      mapping::row("pic.master.init", mapping::exact("vmstate i8259 init_state")),
      mapping::row("pic.slave.init", mapping::exact("vmstate i8259 init_state")),
  };
  c.declare(declared);
  cover<PicChip>(c, "pic.master", "i8259 (instance 0)", chip_fields);
  cover<PicChip>(c, "pic.slave", "i8259 (instance 1)", chip_fields);
}

}  // namespace cptx::qemu
