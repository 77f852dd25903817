// Compares RAM contents of two machines page by page, streaming both sides.
#pragma once

#include <string>
#include <vector>

#include "model/machine.hpp"

namespace cptx {

// One line per region whose contents differ (`memory.regions[0]: 3 pages differ, first at 0x9f000`).
// Regions are compared only where both machines have the same layout; a layout difference is
// already reported by the model diff.
std::vector<std::string> diff_ram(const model::Memory& a, const model::Memory& b);

}  // namespace cptx
