// KEYBOARD (§3.6). Palacios resets the device (empties its queues) before loading, so the queues and
// the output buffer are not part of the context.
#include <array>

#include "codecs/palacios/tables.hpp"

namespace cptx::palacios {

namespace {

// Controller states that wait for the data byte of a controller command, by Palacios's enum value:
// WRITING_CMD_BYTE=1 (0x60), TRANSMIT_PASSWD=2 (0xa5), WRITING_OUTPUT_PORT=3 (0xd1),
// INJECTING_KEY=4 (0xd2), INJECTING_MOUSE=5 (0xd3), IN_MOUSE=6 (0xd4). NORMAL=0 waits for none;
// 7-10 (SET_LEDS, SET_RATE, GETSET_SCANCODES, SET_DEFAULTS) are keyboard-command states the model
// does not hold.
constexpr std::array<std::uint8_t, 7> kCommandOfState = {0, 0x60, 0xa5, 0xd1, 0xd2, 0xd3, 0xd4};

}  // namespace

Fields keyboard_fields() {
  using model::I8042;
  auto k = [](auto& s) -> auto& { return s.m.i8042; };
  return {
      num("CMD_REG", 1, "i8042", k, &I8042::command_byte),
      num("STATUS_REG", 1, "i8042", k, &I8042::status),
      lossy({"STATE", 4, "i8042.pending_command",
       [](const State& s, std::span<std::uint8_t> out) {
         std::uint32_t v = 0;
         if (const auto& c = s.m.i8042.pending_command)
           for (std::uint32_t i = 1; i < kCommandOfState.size(); ++i)
             if (kCommandOfState[i] == *c) v = i;
         put_le(out, v);
       },
       [](State& s, std::span<const std::uint8_t> in) {
         const auto v = get_le(in);
         if (v > 10) throw FieldProblem("keyboard state out of range 0-10");
         s.m.i8042.pending_command.reset();
         if (v >= 1 && v < kCommandOfState.size()) s.m.i8042.pending_command = kCommandOfState[v];
         if (v >= kCommandOfState.size())
           s.notes.push_back({"i8042.pending_command", Carry::approximated,
                              "a keyboard command awaiting its data byte (Palacios state " + std::to_string(v) +
                                  ") is not in the model"});
       }}, mapping::approximated("controller commands 0x60, 0xa5, 0xd1-0xd4 only")),
      fixed("MOUSE_STATE", 4, 0),
      num("OUTPUT", 1, "i8042", k, &I8042::output_port),
      fixed("INPUT", 1, 0),
      num("SCANCODE_SET", 1, "i8042", k, &I8042::scancode_set),
      num("MOUSE_ENABLED", 1, "i8042", k, &I8042::mouse_enabled),
      rule_row("i8042.output_byte", mapping::not_held("the output queue is not saved; Palacios resets it on load")),
      rule_row("i8042.keyboard_queue", mapping::not_held("not saved; Palacios resets it on load (P15)")),
      rule_row("i8042.mouse_queue", mapping::not_held("not saved; Palacios resets it on load (P15)")),
      rule_row("i8042.keyboard_enabled", mapping::not_held("not saved")),
  };
}

}  // namespace cptx::palacios
