// i8042 keyboard controller (I/O 0x60, 0x64) with its PS/2 keyboard and mouse.
#pragma once

#include "model/describe.hpp"

namespace cptx::model {

struct I8042 {
  std::uint8_t status{}, command_byte{}, output_port{}, output_byte{}, scancode_set{};
  std::optional<std::uint8_t> pending_command;
  bool keyboard_enabled{}, mouse_enabled{};
  Bytes keyboard_queue, mouse_queue;

  template <class V> static void describe(V& v) {
    v(&I8042::status, "status", bits(8).hex(), "status register (port 0x64 read)");
    v(&I8042::command_byte, "command_byte", bits(8).hex(), "controller command byte");
    v(&I8042::output_port, "output_port", bits(8).hex(), "controller output port; bit 1 = A20 gate");
    v(&I8042::pending_command, "pending_command", bits(8).hex(), "controller command awaiting its data byte");
    v(&I8042::output_byte, "output_byte", bits(8).hex(), "output buffer (port 0x60), valid while status bit 0 is set");
    v(&I8042::keyboard_queue, "keyboard_queue", upto(256), "bytes the keyboard has queued for the host, oldest first");
    v(&I8042::mouse_queue, "mouse_queue", upto(256), "bytes the mouse has queued for the host, oldest first");
    v(&I8042::keyboard_enabled, "keyboard_enabled", any(), "keyboard scanning enabled");
    v(&I8042::mouse_enabled, "mouse_enabled", any(), "mouse data reporting enabled");
    v(&I8042::scancode_set, "scancode_set", range(1, 3), "keyboard scan code set");
  }
  bool operator==(const I8042&) const = default;
};

}  // namespace cptx::model
