// 8259A (§3.1): Palacios keeps the raw ICW/OCW bytes; the model keeps their meaning.
#include <string>

#include "codecs/palacios/tables.hpp"

namespace cptx::palacios {

namespace {

using model::PicChip;

// pic_state_t: RESET=0, ICW1=1, ICW2=2, ICW3=3, ICW4=4, READY=5; the state names the word expected next.
std::uint32_t to_palacios(model::PicInit i) {
  switch (i) {
    case model::PicInit::icw2: return 2;
    case model::PicInit::icw3: return 3;
    case model::PicInit::icw4: return 4;
    case model::PicInit::ready: break;
  }
  return 5;
}

template <class Chip>
Fields chip_state(const std::string& name, const std::string& path, Chip chip) {
  Fields f;
  f.push_back({name + "_STATE", 4, path + ".init",
               [chip](const State& s, std::span<std::uint8_t> out) { put_le(out, to_palacios(chip(s).init)); },
               [chip, path](State& s, std::span<const std::uint8_t> in) {
                 const auto v = get_le(in);
                 if (v > 5) throw FieldProblem("pic_state_t value out of range 0-5");
                 // RESET and ICW1 (never initialised: Palacios ignores OCWs until an ICW1) read as ready.
                 chip(s).init = v == 2 ? model::PicInit::icw2 : v == 3 ? model::PicInit::icw3
                                : v == 4 ? model::PicInit::icw4 : model::PicInit::ready;
                 if (v < 2)
                   s.notes.push_back({path + ".init", Carry::approximate,
                                      "chip never initialised (state " + std::to_string(v) + "): read as ready"});
               }});
  return f;
}

// ICW1: IC4 bit 0, SNGL bit 1, LTIM bit 3, bit 4 always set.
template <class Chip>
Field icw1(const std::string& tag, const std::string& path, Chip chip) {
  return {tag, 1, path,
          [chip](const State& s, std::span<std::uint8_t> out) {
            const PicChip& c = chip(s);
            out[0] = static_cast<std::uint8_t>(0x10 | c.icw4_needed | c.single << 1 | c.level_triggered << 3);
          },
          [chip, path](State& s, std::span<const std::uint8_t> in) {
            PicChip& c = chip(s);
            c.icw4_needed = in[0] & 1;
            c.single = in[0] & 2;
            c.level_triggered = in[0] & 8;
            if (in[0] & 0xe4)
              s.notes.push_back({path + ".level_triggered", Carry::approximate, "ICW1 bits other than IC4, SNGL, LTIM dropped"});
          }};
}

// ICW2: the vector of input 0; its low three bits are ignored in 8086 mode (8259A data sheet).
template <class Chip>
Field icw2(const std::string& tag, const std::string& path, Chip chip) {
  return {tag, 1, path + ".vector_base", [chip](const State& s, std::span<std::uint8_t> out) { out[0] = chip(s).vector_base; },
          [chip, path](State& s, std::span<const std::uint8_t> in) {
            chip(s).vector_base = in[0] & 0xf8;
            if (in[0] & 7)
              s.notes.push_back({path + ".vector_base", Carry::approximate, "ICW2 bits 2:0 dropped"});
          }};
}

// ICW4: uPM bit 0, AEOI bit 1, SFNM bit 4.
template <class Chip>
Field icw4(const std::string& tag, const std::string& path, Chip chip) {
  return {tag, 1, path,
          [chip](const State& s, std::span<std::uint8_t> out) {
            const PicChip& c = chip(s);
            out[0] = static_cast<std::uint8_t>(c.mode_8086 | c.auto_eoi << 1 | c.special_fully_nested << 4);
          },
          [chip, path](State& s, std::span<const std::uint8_t> in) {
            PicChip& c = chip(s);
            c.mode_8086 = in[0] & 1;
            c.auto_eoi = in[0] & 2;
            c.special_fully_nested = in[0] & 0x10;
            if (in[0] & 0xec)
              s.notes.push_back({path + ".mode_8086", Carry::approximate, "ICW4 buffered-mode bits dropped"});
          }};
}

// OCW2: only "rotate in automatic EOI mode" (R=1, SL=0, EOI=0) is state; the rest are commands.
template <class Chip>
Field ocw2(const std::string& tag, const std::string& path, Chip chip) {
  return {tag, 1, path,
          [chip](const State& s, std::span<std::uint8_t> out) { out[0] = chip(s).rotate_on_auto_eoi ? 0x80 : 0x00; },
          [chip](State& s, std::span<const std::uint8_t> in) { chip(s).rotate_on_auto_eoi = (in[0] & 0xe0) == 0x80; }};
}

// OCW3: RIS bit 0 with RR bit 1, P bit 2, SMM bit 5 with ESMM bit 6. Palacios initialises it to 0x02.
template <class Chip>
Field ocw3(const std::string& tag, const std::string& path, Chip chip) {
  return {tag, 1, path,
          [chip](const State& s, std::span<std::uint8_t> out) {
            const PicChip& c = chip(s);
            out[0] = static_cast<std::uint8_t>(0x02 | c.read_isr | c.poll << 2 | (c.special_mask ? 0x60 : 0));
          },
          [chip](State& s, std::span<const std::uint8_t> in) {
            PicChip& c = chip(s);
            c.read_isr = (in[0] & 3) == 3;
            c.poll = in[0] & 4;
            c.special_mask = (in[0] & 0x60) == 0x60;
          }};
}

}  // namespace

Fields pic_fields() {
  auto M = [](auto& s) -> auto& { return s.m.pic.master; };
  auto S = [](auto& s) -> auto& { return s.m.pic.slave; };
  const std::string m = "pic.master", sl = "pic.slave";
  Fields f = {
      num("MASTER_IRR", 1, m + ".irr", M, &PicChip::irr),
      num("SLAVE_IRR", 1, sl + ".irr", S, &PicChip::irr),
      num("MASTER_ISR", 1, m + ".isr", M, &PicChip::isr),
      num("SLAVE_ISR", 1, sl + ".isr", S, &PicChip::isr),
      num("MASTER_ELCR", 1, m + ".elcr", M, &PicChip::elcr),
      num("SLAVE_ELCR", 1, sl + ".elcr", S, &PicChip::elcr),
      num("MASTER_ELCR_MASK", 1, m + ".elcr_mask", M, &PicChip::elcr_mask),
      num("SLAVE_ELCR_MASK", 1, sl + ".elcr_mask", S, &PicChip::elcr_mask),
      icw1("MASTER_ICW1", m, M),
      icw2("MASTER_ICW2", m, M),
      num("MASTER_ICW3", 1, m + ".icw3", M, &PicChip::icw3),
      icw4("MASTER_ICW4", m, M),
      icw1("SLAVE_ICW1", sl, S),
      icw2("SLAVE_ICW2", sl, S),
      num("SLAVE_ICW3", 1, sl + ".icw3", S, &PicChip::icw3),
      icw4("SLAVE_ICW4", sl, S),
      num("MASTER_IMR", 1, m + ".imr", M, &PicChip::imr),
      num("SLAVE_IMR", 1, sl + ".imr", S, &PicChip::imr),
      ocw2("MASTER_OCW2", m + ".rotate_on_auto_eoi", M),
      ocw3("MASTER_OCW3", m + ".read_isr", M),
      ocw2("SLAVE_OCW2", sl + ".rotate_on_auto_eoi", S),
      ocw3("SLAVE_OCW3", sl + ".read_isr", S),
  };
  for (auto& x : chip_state("MASTER", m, M)) f.push_back(std::move(x));
  for (auto& x : chip_state("SLAVE", sl, S)) f.push_back(std::move(x));
  return f;
}

std::span<const CoverageRule> pic_rows() {
  static constexpr CoverageRule rows[] = {
      {"pic", Carry::exact, "8259A context"},
      {"pic.master.last_irr", Carry::none, "Palacios keeps no edge-detection state"},
      {"pic.slave.last_irr", Carry::none, "Palacios keeps no edge-detection state"},
      {"pic.master.priority_add", Carry::none, "Palacios does not rotate priorities"},
      {"pic.slave.priority_add", Carry::none, "Palacios does not rotate priorities"},
  };
  return rows;
}

}  // namespace cptx::palacios
