// SERIAL (§3.5): one device emulating all four UARTs, tags COM0..COM3 (0-based: COM0 is I/O 0x3f8).
#include <algorithm>
#include <array>
#include <memory>
#include <string>

#include "codecs/palacios/tables.hpp"

namespace cptx::palacios {

namespace {

using model::Uart;

constexpr std::size_t kFifo = 16;
// int_state bits the model names: RX_TIMEOUT (bit 2) and TX_EMPTY (bit 3).
constexpr std::uint8_t kRxTimeout = 4, kTxEmpty = 8;

// Decodes a ring whose head, tail and full flag were read before its data.
void decode_ring(std::uint64_t h, std::uint64_t t, std::uint64_t f, std::span<const std::uint8_t> data,
                 model::Bytes& out) {
  if (h >= kFifo || t >= kFifo || f > 1) throw FieldProblem("FIFO head/tail out of range 0-15 or full not 0/1");
  if (f && h != t) throw FieldProblem("FIFO marked full with head != tail");
  const std::size_t n = f ? kFifo : (h + kFifo - t) % kFifo;
  out.clear();
  for (std::size_t k = 0; k < n; ++k) out.push_back(data[(t + 1 + k) % kFifo]);
}

// A FIFO ring (struct serial_buffer). Palacios's queue code stores a byte at head + 1 and then moves
// head there, and takes a byte from tail + 1 and then moves tail there: head is the newest byte, as
// the spec says, but tail is the slot before the oldest byte, not the oldest byte the spec names.
// This follows the source. Empty is head == tail with full clear. The model keeps the bytes oldest
// first; they are written from slot 1 (tail 0, head = count mod 16). The ring is decoded when its
// last entry (_DATA) is read, from the three values kept before it.
Fields fifo(const std::string& t, const std::string& path, std::size_t p, model::Bytes Uart::*member) {
  auto bytes = [p, member](auto& s) -> auto& { return s.m.uart[p].*member; };
  auto ring = std::make_shared<std::array<std::uint64_t, 3>>();
  auto keep = [ring](std::size_t k) {
    return [ring, k](State&, std::span<const std::uint8_t> in) { (*ring)[k] = get_le(in); };
  };
  return {
      {t + "_HEAD", 4, path, [bytes](const State& s, std::span<std::uint8_t> out) { put_le(out, bytes(s).size() % kFifo); },
       keep(0)},
      {t + "_TAIL", 4, path, [](const State&, std::span<std::uint8_t> out) { put_le(out, 0); }, keep(1)},
      {t + "_FULL", 4, path, [bytes](const State& s, std::span<std::uint8_t> out) { put_le(out, bytes(s).size() == kFifo); },
       keep(2)},
      {t + "_DATA", kFifo, path,
       [bytes](const State& s, std::span<std::uint8_t> out) {
         for (std::size_t k = 0; k < bytes(s).size(); ++k) out[(1 + k) % kFifo] = bytes(s)[k];
       },
       [ring, bytes, p](State& s, std::span<const std::uint8_t> in) {
         decode_ring((*ring)[0], (*ring)[1], (*ring)[2], in, bytes(s));
         s.m.uart[p].present = true;  // Palacios's SERIAL always has all four ports
       }},
  };
}

Fields port(std::size_t p) {
  const std::string t = "COM" + std::to_string(p) + "_";
  const std::string path = "uart[" + std::to_string(p) + "]";
  auto u = [p](auto& s) -> auto& { return s.m.uart[p]; };
  Fields f = {
      num(t + "RBR", 1, path, u, &Uart::rbr),
      fixed(t + "THR", 1, 0),
      num(t + "IER", 1, path, u, &Uart::ier),
      num(t + "IIR", 1, path, u, &Uart::iir),
      num(t + "FCR", 1, path, u, &Uart::fcr),
      num(t + "LCR", 1, path, u, &Uart::lcr),
      num(t + "MCR", 1, path, u, &Uart::mcr),
      num(t + "LSR", 1, path, u, &Uart::lsr),
      num(t + "MSR", 1, path, u, &Uart::msr),
      num(t + "SCR", 1, path, u, &Uart::scr),
      {t + "DLL", 1, path + ".divisor", [u](const State& s, std::span<std::uint8_t> out) { out[0] = static_cast<std::uint8_t>(u(s).divisor & 0xff); },
       [u](State& s, std::span<const std::uint8_t> in) {
         u(s).divisor = static_cast<std::uint16_t>((u(s).divisor & 0xff00) | in[0]);
       }},
      {t + "DLM", 1, path + ".divisor", [u](const State& s, std::span<std::uint8_t> out) { out[0] = static_cast<std::uint8_t>(u(s).divisor >> 8); },
       [u](State& s, std::span<const std::uint8_t> in) {
         u(s).divisor = static_cast<std::uint16_t>((u(s).divisor & 0xff) | in[0] << 8);
       }},
      lossy({t + "int_state", 1, path + ".thr_ipending",
       [u](const State& s, std::span<std::uint8_t> out) {
         out[0] = static_cast<std::uint8_t>((u(s).thr_ipending ? kTxEmpty : 0) | (u(s).timeout_ipending ? kRxTimeout : 0));
       },
       [u, path](State& s, std::span<const std::uint8_t> in) {
         u(s).thr_ipending = in[0] & kTxEmpty;
         u(s).timeout_ipending = in[0] & kRxTimeout;
         if (in[0] & ~(kTxEmpty | kRxTimeout))
           s.notes.push_back({path + ".thr_ipending", Carry::approximated,
                              "int_state bits other than RX_TIMEOUT and TX_EMPTY are recomputed, not carried"});
       }}, mapping::approximated("the TX_EMPTY bit; the other interrupt bits are recomputed")),
      rule_row(path + ".timeout_ipending", mapping::approximated("int_state RX_TIMEOUT bit")),
      rule_row(path + ".present", mapping::defaulted("Palacios's SERIAL device always emulates all four ports")),
  };
  for (auto& x : fifo(t + "TX", path + ".tx_fifo", p, &Uart::tx_fifo)) f.push_back(std::move(x));
  for (auto& x : fifo(t + "RX", path + ".rx_fifo", p, &Uart::rx_fifo)) f.push_back(std::move(x));
  f.push_back(num(t + "IRQ_NUM", 4, path, u, &Uart::irq));
  return f;
}

}  // namespace

Fields serial_fields() {
  Fields f;
  for (std::size_t p = 0; p < 4; ++p)
    for (auto& x : port(p)) f.push_back(std::move(x));
  return f;
}

}  // namespace cptx::palacios
