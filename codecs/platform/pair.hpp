// A VM pair: one guest, and the Palacios, gem5 and QEMU platforms that run it alike, so that a
// checkpoint taken in one resumes in another with every device where the guest left it
// (docs/pairs.md). `cptx pair create` writes a pair's directory: pair.json (what the three share,
// schema below), palacios.xml, gem5.py and qemu.sh.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "codecs/platform/target.hpp"

namespace cptx::platform {

// pair.json's "cptx_pair": bumped whenever a key changes meaning.
inline constexpr unsigned pair_schema_version = 1;

struct PairSpec {
  std::filesystem::path kernel, initrd, disk;  // absolute; initrd and disk may be empty
  // The same kernel as gem5 loads it, an ELF (Linux: vmlinux beside bzImage); empty: `kernel`.
  std::filesystem::path gem5_kernel;
  std::string cmdline;
  std::uint64_t memory = 0;  // bytes: a whole number of MiB, at most 3 GiB (below the PCI hole)
  std::size_t cpus = 1;
};

// Throws UsageError for a spec no pair can have (memory, processors, both initrd and disk).
void check_spec(const PairSpec& spec);

std::string pair_json(const PairSpec& spec);
std::string palacios_xml(const PairSpec& spec);
std::string gem5_script(const PairSpec& spec);
std::string qemu_script(const PairSpec& spec);

// Writes the four files into `out` (a temporary sibling renamed into place; an existing `out` is
// refused unless `force`).
void write_pair(const PairSpec& spec, const std::filesystem::path& out, bool force);

// The platform a pair.json describes. InputError naming the file and key on a malformed one.
Target read_pair_json(const std::filesystem::path& file);

}  // namespace cptx::platform
