// The complete m5.cpt of the x86 system configs/deprecated/example/fs.py builds (AtomicSimpleCPU,
// no caches, no disk image; v24 spec §2.2, §7) for any number of processors and memory size, every
// object at its power-on state. The codec then writes the translated state over it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/gem5/cpt_file.hpp"

namespace cptx::gem5 {

// `store_sizes`: one memory range per store (fs.py: below 3 GiB, then from 4 GiB).
CptFile fs_py_skeleton(std::size_t cpus, const std::vector<std::uint64_t>& store_sizes);

// The 2011 checkpoint of the X86_FS system configs/example/fs.py built (2011 spec §2, §6): one
// PhysicalMemory of `ram_size` bytes from address 0, and the two IDE disks (their COW overlays,
// named by `cowFilename`, are the writer's to create).
CptFile fs_py_2011_skeleton(std::size_t cpus, std::uint64_t ram_size);

// `regVal` at power-on (ISA::clear, v24 spec §3.4, 2011 spec §3.5): `count` registers, 205 in v24
// and 204 in 2011, whose list is v24's without the trailing Xcr0.
std::string reset_regval(std::size_t count);
// Sets `key=value` lines in `s`; a value token `v*N` stands for N space-separated copies of v.
void set_keys(Section& s, std::string_view lines);
// Zero-padded names of a SimObject vector's elements (v24 spec §2.1, 2011 spec §2): the bare name
// for one element.
std::string element(std::string_view base, std::size_t i, std::size_t n);

}  // namespace cptx::gem5
