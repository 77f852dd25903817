// 16550A UARTs COM1-COM4 (I/O 0x3f8, 0x2f8, 0x3e8, 0x2e8).
#pragma once

#include "model/describe.hpp"

namespace cptx::model {

struct Uart {
  bool present{}, thr_ipending{}, timeout_ipending{};
  std::uint8_t irq{}, rbr{}, ier{}, iir{}, fcr{}, lcr{}, mcr{}, lsr{}, msr{}, scr{};
  std::uint16_t divisor{};
  Bytes rx_fifo, tx_fifo;

  template <class V> static void describe(V& v) {
    v(&Uart::present, "present", any(), "the port exists on this machine");
    v(&Uart::irq, "irq", bits(4), "ISA interrupt line");
    v(&Uart::divisor, "divisor", bits(16), "baud-rate divisor latch (DLL + 256 * DLM)");
    v(&Uart::rbr, "rbr", bits(8).hex(), "receiver buffer register");
    v(&Uart::ier, "ier", bits(8).hex(), "interrupt enable register");
    v(&Uart::iir, "iir", bits(8).hex(), "interrupt identification register");
    v(&Uart::fcr, "fcr", bits(8).hex(), "FIFO control register");
    v(&Uart::lcr, "lcr", bits(8).hex(), "line control register; bit 7 = DLAB");
    v(&Uart::mcr, "mcr", bits(8).hex(), "modem control register");
    v(&Uart::lsr, "lsr", bits(8).hex(), "line status register");
    v(&Uart::msr, "msr", bits(8).hex(), "modem status register");
    v(&Uart::scr, "scr", bits(8).hex(), "scratch register");
    v(&Uart::rx_fifo, "rx_fifo", upto(16), "received bytes not yet read, oldest first");
    v(&Uart::tx_fifo, "tx_fifo", upto(16), "bytes written but not yet transmitted, oldest first");
    v(&Uart::thr_ipending, "thr_ipending", any(), "a transmitter-empty interrupt is pending");
    v(&Uart::timeout_ipending, "timeout_ipending", any(), "a receive time-out interrupt is pending");
  }
  bool operator==(const Uart&) const = default;
};

}  // namespace cptx::model
