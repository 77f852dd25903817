// 8259A (§3.1): Palacios keeps the raw ICW/OCW bytes; the model keeps their meaning.
#include <span>
#include <string>
#include <string_view>

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
                   s.notes.push_back({path + ".init", Carry::approximated,
                                      "chip never initialised (state " + std::to_string(v) + "): read as ready"});
               }});
  return f;
}

// A command word of flag bits, each a member of the chip; `always` bits are written set. Other set
// bits are dropped on read, and noted at the first flag, whose row is the entry's.
struct Flag {
  unsigned bit;
  bool PicChip::*member;
  std::string_view where;
};
// ICW1: IC4 bit 0, SNGL bit 1, LTIM bit 3, bit 4 always set. ICW4: uPM bit 0, AEOI bit 1, SFNM bit 4.
constexpr Flag icw1_bits[] = {{0, &PicChip::icw4_needed, "IC4 (bit 0)"},
                              {1, &PicChip::single, "ICW1 SNGL (bit 1)"},
                              {3, &PicChip::level_triggered, "ICW1 LTIM (bit 3)"}};
constexpr Flag icw4_bits[] = {{0, &PicChip::mode_8086, "uPM (bit 0)"},
                              {1, &PicChip::auto_eoi, "ICW4 AEOI (bit 1)"},
                              {4, &PicChip::special_fully_nested, "ICW4 SFNM (bit 4)"}};

template <class Chip>
Field flags(const std::string& tag, const std::string& owner, Chip chip, std::uint8_t always, std::span<const Flag> bits) {
  std::uint8_t known = always;
  for (const Flag& b : bits) known = static_cast<std::uint8_t>(known | 1u << b.bit);
  const std::string path = owner + "." + std::string(mapping::member_name(bits.front().member));
  return {tag, 1, path,
          [chip, always, bits](const State& s, std::span<std::uint8_t> out) {
            out[0] = always;
            for (const Flag& b : bits) out[0] = static_cast<std::uint8_t>(out[0] | (chip(s).*b.member) << b.bit);
          },
          [chip, known, bits, tag, path](State& s, std::span<const std::uint8_t> in) {
            for (const Flag& b : bits) chip(s).*b.member = in[0] >> b.bit & 1;
            if (in[0] & ~known) s.notes.push_back({path, Carry::approximated, tag + ": bits the model does not hold dropped"});
          },
          mapping::exact(bits.front().where)};
}

// The other flags of the word, each at its bit of the entry the first flag's row reads and writes.
Fields flag_rows(const std::string& owner, std::span<const Flag> bits) {
  Fields f;
  for (const Flag& b : bits.subspan(1))
    f.push_back(rule_row(owner + "." + std::string(mapping::member_name(b.member)), mapping::exact(b.where)));
  return f;
}

// ICW2: the vector of input 0; its low three bits are ignored in 8086 mode (8259A data sheet).
template <class Chip>
Field icw2(const std::string& tag, const std::string& path, Chip chip) {
  return {tag, 1, path + ".vector_base", [chip](const State& s, std::span<std::uint8_t> out) { out[0] = chip(s).vector_base; },
          [chip, path](State& s, std::span<const std::uint8_t> in) {
            chip(s).vector_base = in[0] & 0xf8;
            if (in[0] & 7)
              s.notes.push_back({path + ".vector_base", Carry::approximated, "ICW2 bits 2:0 dropped"});
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
  auto icw1 = [](const std::string& tag, const std::string& owner, auto chip) { return flags(tag, owner, chip, 0x10, icw1_bits); };
  auto icw4 = [](const std::string& tag, const std::string& owner, auto chip) { return flags(tag, owner, chip, 0, icw4_bits); };
  Fields f = {
      num("MASTER_IRR", 1, m, M, &PicChip::irr),
      num("SLAVE_IRR", 1, sl, S, &PicChip::irr),
      num("MASTER_ISR", 1, m, M, &PicChip::isr),
      num("SLAVE_ISR", 1, sl, S, &PicChip::isr),
      num("MASTER_ELCR", 1, m, M, &PicChip::elcr),
      num("SLAVE_ELCR", 1, sl, S, &PicChip::elcr),
      num("MASTER_ELCR_MASK", 1, m, M, &PicChip::elcr_mask),
      num("SLAVE_ELCR_MASK", 1, sl, S, &PicChip::elcr_mask),
      icw1("MASTER_ICW1", m, M),
      icw2("MASTER_ICW2", m, M),
      num("MASTER_ICW3", 1, m, M, &PicChip::icw3),
      icw4("MASTER_ICW4", m, M),
      icw1("SLAVE_ICW1", sl, S),
      icw2("SLAVE_ICW2", sl, S),
      num("SLAVE_ICW3", 1, sl, S, &PicChip::icw3),
      icw4("SLAVE_ICW4", sl, S),
      num("MASTER_IMR", 1, m, M, &PicChip::imr),
      num("SLAVE_IMR", 1, sl, S, &PicChip::imr),
      ocw2("MASTER_OCW2", m + ".rotate_on_auto_eoi", M),
      ocw3("MASTER_OCW3", m + ".read_isr", M),
      ocw2("SLAVE_OCW2", sl + ".rotate_on_auto_eoi", S),
      ocw3("SLAVE_OCW3", sl + ".read_isr", S),
  };
  for (const std::string& chip : {m, sl}) {
    f.push_back(rule_row(chip + ".last_irr", mapping::not_held("Palacios keeps no edge-detection state")));
    f.push_back(rule_row(chip + ".priority_add", mapping::not_held("Palacios does not rotate priorities")));
    f.push_back(rule_row(chip + ".poll", mapping::exact("OCW3 P (bit 2)")));
    f.push_back(rule_row(chip + ".special_mask", mapping::exact("OCW3 SMM with ESMM (bits 5, 6)")));
    for (const auto bits : {std::span<const Flag>(icw1_bits), std::span<const Flag>(icw4_bits)})
      for (auto& x : flag_rows(chip, bits)) f.push_back(std::move(x));
  }
  for (auto& x : chip_state("MASTER", m, M)) f.push_back(std::move(x));
  for (auto& x : chip_state("SLAVE", sl, S)) f.push_back(std::move(x));
  return f;
}

}  // namespace cptx::palacios
