// Dual 8259A programmable interrupt controller (master at 0x20, slave at 0xa0).
#pragma once

#include "model/describe.hpp"

namespace cptx::model {

// Where the chip is in its initialisation sequence: after ICW1 it expects ICW2, then ICW3 (if
// cascaded), then ICW4 (if ICW1 asked for it).
enum class PicInit : std::uint8_t { ready, icw2, icw3, icw4 };
inline constexpr std::string_view pic_init_names[] = {"ready", "icw2", "icw3", "icw4"};
constexpr std::span<const std::string_view> names_of(PicInit) { return pic_init_names; }

struct PicChip {
  std::uint8_t irr{}, isr{}, imr{}, last_irr{}, elcr{}, elcr_mask{}, vector_base{}, icw3{}, priority_add{};
  PicInit init{};
  bool level_triggered{}, single{}, icw4_needed{}, auto_eoi{}, rotate_on_auto_eoi{},
      special_fully_nested{}, mode_8086{}, read_isr{}, poll{}, special_mask{};

  template <class V> static void describe(V& v) {
    v(&PicChip::irr, "irr", bits(8).hex(), "interrupt request register");
    v(&PicChip::isr, "isr", bits(8).hex(), "in-service register");
    v(&PicChip::imr, "imr", bits(8).hex(), "interrupt mask register (OCW1)");
    v(&PicChip::last_irr, "last_irr", bits(8).hex(), "input levels at the last edge detection");
    v(&PicChip::elcr, "elcr", bits(8).hex(), "edge/level control register (0x4d0 master, 0x4d1 slave)");
    v(&PicChip::elcr_mask, "elcr_mask", bits(8).hex(), "ELCR bits the guest may change");
    v(&PicChip::init, "init", any(), "initialisation sequence state");
    v(&PicChip::vector_base, "vector_base", only_bits(0xf8).hex(), "ICW2: vector of input 0");
    v(&PicChip::level_triggered, "level_triggered", any(), "ICW1 LTIM: level-triggered mode");
    v(&PicChip::single, "single", any(), "ICW1 SNGL: no cascade");
    v(&PicChip::icw4_needed, "icw4_needed", any(), "ICW1 IC4: an ICW4 follows");
    v(&PicChip::icw3, "icw3", bits(8).hex(), "ICW3: master = inputs with a slave, slave = its cascade id");
    v(&PicChip::mode_8086, "mode_8086", any(), "ICW4 uPM: 8086 mode");
    v(&PicChip::auto_eoi, "auto_eoi", any(), "ICW4 AEOI: automatic end of interrupt");
    v(&PicChip::special_fully_nested, "special_fully_nested", any(), "ICW4 SFNM");
    v(&PicChip::rotate_on_auto_eoi, "rotate_on_auto_eoi", any(), "OCW2: rotate priorities on automatic EOI");
    v(&PicChip::priority_add, "priority_add", bits(3), "input with the lowest priority minus 7 (rotation)");
    v(&PicChip::read_isr, "read_isr", any(), "OCW3 RIS: reads return ISR rather than IRR");
    v(&PicChip::poll, "poll", any(), "OCW3 P: next read is a poll");
    v(&PicChip::special_mask, "special_mask", any(), "OCW3 SMM: special mask mode");
  }
  bool operator==(const PicChip&) const = default;
};

struct Pic {
  PicChip master, slave;

  template <class V> static void describe(V& v) {
    v(&Pic::master, "master", any(), "master chip, I/O 0x20, inputs IRQ0-7");
    v(&Pic::slave, "slave", any(), "slave chip, I/O 0xa0, inputs IRQ8-15, cascaded on master input 2");
  }
  bool operator==(const Pic&) const = default;
};

}  // namespace cptx::model
