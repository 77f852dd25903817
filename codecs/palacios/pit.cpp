// 8254_PIT (§3.2). Channel enums use Palacios's values, which are the model's in the same order
// (access LATCH_COUNT/LOBYTE_ONLY/HIBYTE_ONLY/LOBYTE_HIBYTE, run state, operating mode 0-5). The
// oscillator phase PIT_COUNTER/PIT_RELOAD is in host cycles; it is converted in codec.cpp (pit_timing).
#include <string>

#include "codecs/palacios/tables.hpp"

namespace cptx::palacios {

namespace {

using model::PitChannel;

Fields channel(std::size_t c) {
  const std::string t = "PIT_CH" + std::to_string(c) + "_";
  const std::string p = "pit.channel[" + std::to_string(c) + "]";
  auto ch = [c](auto& s) -> auto& { return s.m.pit.channel[c]; };
  return {
      num(t + "ACCESS_MODE", 4, p, ch, &PitChannel::access),
      // NOT_WAITING=0, WAITING_LOBYTE=1, WAITING_HIBYTE=2: the byte the next write goes to. Palacios's
      // control-word handler sets it from the access mode (low-byte-only waits for the low byte,
      // high-byte-only for the high one); only a word access alternates, like the model's flip-flop.
      lossy({t + "ACCESS_STATE", 4, p + ".write_next",
       [ch](const State& s, std::span<std::uint8_t> out) {
         const PitChannel& x = ch(s);
         using model::PitAccess;
         put_le(out, x.access == PitAccess::unprogrammed ? 0
                     : x.access == PitAccess::lsb        ? 1
                     : x.access == PitAccess::msb        ? 2
                     : x.write_next == model::PitByte::msb ? 2 : 1);
       },
       [ch](State& s, std::span<const std::uint8_t> in) {
         const auto v = get_le(in);
         if (v > 2) throw FieldProblem("access state out of range 0-2");
         ch(s).write_next = v == 2 ? model::PitByte::msb : model::PitByte::lsb;
       }}, mapping::approximated("follows the access mode unless it is a word access")),
      num(t + "RUN_STATE", 4, p, ch, &PitChannel::run),
      num(t + "OP_MODE", 4, p, ch, &PitChannel::mode),
      num(t + "COUNTER", 2, p, ch, &PitChannel::count),
      num(t + "RELOAD_VALUE", 2, p, ch, &PitChannel::reload),
      num(t + "LATCH_VALUE", 2, p, ch, &PitChannel::latched_count),
      // NOTLATCHED=0, LATCHED=1: which bytes remain follows from the access mode and READ_STATE.
      lossy({t + "LATCH_STATE", 4, p + ".count_latch",
       [ch](const State& s, std::span<std::uint8_t> out) { put_le(out, ch(s).count_latch != model::PitLatch::none); },
       [ch](State& s, std::span<const std::uint8_t> in) {
         const auto v = get_le(in);
         if (v > 1) throw FieldProblem("latch state out of range 0-1");
         PitChannel& x = ch(s);
         x.count_latch = v == 0 ? model::PitLatch::none
                         : x.access == model::PitAccess::lsb ? model::PitLatch::lsb
                         : x.access == model::PitAccess::msb ? model::PitLatch::msb
                                                              : model::PitLatch::word;
       }}, mapping::approximated("a flag; the bytes left follow from the access mode")),
      num(t + "READ_STATE", 4, p, ch, &PitChannel::read_next),
      // Saved but not restored by Palacios (P4).
      lossy({t + "PINS", 1, p + ".output",
       [ch](const State& s, std::span<std::uint8_t> out) {
         out[0] = static_cast<std::uint8_t>(ch(s).output | ch(s).gate << 1);
       },
       [ch](State& s, std::span<const std::uint8_t> in) {
         ch(s).output = in[0] & 1;
         ch(s).gate = in[0] & 2;
       }}, mapping::defaulted("saved but not restored (P4)")),
      rule_row(p + ".gate", mapping::defaulted("PIT_CH<c>_PINS is saved but not restored (P4); channel 2's is PIT_SPEAKER bit 0")),
      rule_row(p + ".bcd", mapping::not_held("Palacios's 8254 counts in binary only")),
      rule_row(p + ".status_latched", mapping::not_held("Palacios has no read-back status latch")),
      rule_row(p + ".latched_status", mapping::not_held("Palacios has no read-back status latch")),
      rule_row(p + ".write_lsb", mapping::not_held("the half-written count is not saved")),
  };
}

}  // namespace

Fields pit_fields() {
  Fields f = {
      state_num("PIT_COUNTER", 8, "", [](auto& s) -> auto& { return s; }, &State::pit_counter),
      state_num("PIT_RELOAD", 8, "", [](auto& s) -> auto& { return s; }, &State::pit_reload),
  };
  for (std::size_t c = 0; c < 3; ++c)
    for (auto& x : channel(c)) f.push_back(std::move(x));
  // Port 0x61: bit 0 is channel 2's gate, bit 1 the speaker data enable.
  f.push_back({"PIT_SPEAKER", 1, "pit.speaker_data",
               [](const State& s, std::span<std::uint8_t> out) {
                 out[0] = static_cast<std::uint8_t>(s.m.pit.channel[2].gate | s.m.pit.speaker_data << 1);
               },
               [](State& s, std::span<const std::uint8_t> in) {
                 s.m.pit.channel[2].gate = in[0] & 1;
                 s.m.pit.speaker_data = in[0] & 2;
               }});
  return f;
}

}  // namespace cptx::palacios
