// The complete m5.cpt of the x86 system configs/deprecated/example/fs.py builds (AtomicSimpleCPU,
// no caches, no disk image; v24 spec §2.2, §7) for any number of processors and memory size, every
// object at its power-on state. The codec then writes the translated state over it.
#pragma once

#include <cstdint>
#include <vector>

#include "codecs/gem5/cpt_file.hpp"

namespace cptx::gem5 {

// `store_sizes`: one memory range per store (fs.py: below 3 GiB, then from 4 GiB).
CptFile fs_py_skeleton(std::size_t cpus, const std::vector<std::uint64_t>& store_sizes);

}  // namespace cptx::gem5
