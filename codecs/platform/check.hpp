// Whether a checkpoint fits a target machine: every difference that would leave the guest finding a
// device, a processor or its RAM somewhere else than where it left them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codecs/platform/target.hpp"
#include "model/machine.hpp"

namespace cptx::platform {

struct Problem {
  std::string what;  // "ram", "cpus", "apic", "ioapic", "device", "irq", "serial", "raw-memory"
  std::string text;  // one line naming both sides
};

// Every incompatibility between `m` and `target`, in a fixed order. `raw_memory_size` is the size of
// the raw dump the checkpoint's RAM is to come from, when it is given one.
std::vector<Problem> check(const model::Machine& m, const Target& target,
                           std::optional<std::uint64_t> raw_memory_size = std::nullopt);

// "ram: ...\ncpus: ...\n", for a message that names every problem.
std::string describe(const std::vector<Problem>& problems);

}  // namespace cptx::platform
