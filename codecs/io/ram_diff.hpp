// Compares RAM contents of two machines page by page, streaming both sides.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/diff.hpp"
#include "model/machine.hpp"

namespace cptx {

// The guest-physical ranges [start, end) that hold RAM, adjacent regions merged: RAM as the guest
// sees it, however a format splits it into regions (Palacios' base regions, gem5's stores).
std::vector<std::pair<std::uint64_t, std::uint64_t>> ram_map(const model::Memory& memory);

// The state differences of two machines as `cptx diff` and `cptx verify` report them: model::diff
// without where RAM bytes are stored, and without the regions where both hold the same RAM map
// (formats split the same RAM into regions differently; diff_ram compares the bytes).
std::vector<model::Difference> state_diff(const model::Machine& a, const model::Machine& b);

// One line per region whose contents differ (`memory.regions[0]: 3 pages differ, first at 0x9f000`),
// where both machines have the same regions; where they split the same RAM map into different
// regions, one line per range of the map (`memory [0x0, 0xc0000000): ...`). A different RAM map is
// left to the model diff, which reports the regions.
std::vector<std::string> diff_ram(const model::Memory& a, const model::Memory& b);

}  // namespace cptx
