// The state of a PC right after power-on, before firmware runs: what a writer falls back to where
// a source carries nothing, and the starting point of `cptx new`.
#pragma once

#include "model/machine.hpp"

namespace cptx::model {

// `cpus` processors (cpu[0] the bootstrap processor, APs waiting for SIPI) and `ram_bytes` of
// zero-filled RAM laid out like a PC: below 3 GiB, and the rest from 4 GiB up.
Machine power_on(std::size_t cpus, std::uint64_t ram_bytes);

// COM`port + 1` (0..3) after reset, on its ISA line (4, 3, 4, 3); `present` as given. A reader gives a
// port its source did not have this state, so that an absent port reads the same from every format.
Uart reset_uart(std::size_t port, bool present);

}  // namespace cptx::model
