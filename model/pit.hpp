// 8254 programmable interval timer (I/O 0x40-0x43) and the speaker bits of port 0x61.
#pragma once

#include "model/describe.hpp"

namespace cptx::model {

// Which bytes of the count the guest reads and writes (control word RW bits).
enum class PitAccess : std::uint8_t { unprogrammed, lsb, msb, word };
inline constexpr std::string_view pit_access_names[] = {"unprogrammed", "lsb", "msb", "word"};
constexpr std::span<const std::string_view> names_of(PitAccess) { return pit_access_names; }

// Counting element: idle until a count is written; the written count waits for the next clock
// ("null count") before it is loaded and counting starts.
enum class PitRun : std::uint8_t { idle, pending, counting };
inline constexpr std::string_view pit_run_names[] = {"idle", "pending", "counting"};
constexpr std::span<const std::string_view> names_of(PitRun) { return pit_run_names; }

// Bytes of a latched count still to be read.
enum class PitLatch : std::uint8_t { none, lsb, msb, word };
inline constexpr std::string_view pit_latch_names[] = {"none", "lsb", "msb", "word"};
constexpr std::span<const std::string_view> names_of(PitLatch) { return pit_latch_names; }

// The read/write flip-flops: which byte of a word access comes next.
enum class PitByte : std::uint8_t { lsb, msb };
inline constexpr std::string_view pit_byte_names[] = {"lsb", "msb"};
constexpr std::span<const std::string_view> names_of(PitByte) { return pit_byte_names; }

struct PitChannel {
  std::uint8_t mode{}, latched_status{}, write_lsb{};
  bool bcd{}, output{}, gate{}, status_latched{};
  PitAccess access{};
  PitRun run{};
  std::uint16_t reload{}, count{}, latched_count{};
  PitLatch count_latch{};
  PitByte read_next{}, write_next{};

  template <class V> static void describe(V& v) {
    v(&PitChannel::mode, "mode", range(0, 5), "operating mode 0-5");
    v(&PitChannel::bcd, "bcd", any(), "counts in BCD");
    v(&PitChannel::access, "access", any(), "read/write access mode");
    v(&PitChannel::reload, "reload", bits(16).in("PIT clocks"), "programmed count; 0 stands for 65536");
    v(&PitChannel::count, "count", bits(16).in("PIT clocks"), "counting element at the checkpoint");
    v(&PitChannel::run, "run", any(), "counting element state");
    v(&PitChannel::output, "output", any(), "OUT pin level");
    v(&PitChannel::gate, "gate", any(), "GATE input level");
    v(&PitChannel::latched_count, "latched_count", bits(16), "count captured by a latch command");
    v(&PitChannel::count_latch, "count_latch", any(), "bytes of the latched count not yet read");
    v(&PitChannel::status_latched, "status_latched", any(), "a latched status byte awaits reading");
    v(&PitChannel::latched_status, "latched_status", bits(8).hex(), "status byte captured by read-back");
    v(&PitChannel::read_next, "read_next", any(), "read flip-flop");
    v(&PitChannel::write_next, "write_next", any(), "write flip-flop");
    v(&PitChannel::write_lsb, "write_lsb", bits(8).hex(), "low byte written while the high byte is awaited");
  }
  bool operator==(const PitChannel&) const = default;
};

struct Pit {
  std::array<PitChannel, 3> channel{};
  bool speaker_data{};

  template <class V> static void describe(V& v) {
    v(&Pit::channel, "channel", any(), "counters 0 (IRQ0), 1 (refresh), 2 (speaker; its gate is port 0x61 bit 0)");
    v(&Pit::speaker_data, "speaker_data", any(), "port 0x61 bit 1: speaker data enable");
  }
  bool operator==(const Pit&) const = default;
};

}  // namespace cptx::model
