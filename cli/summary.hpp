// The human-readable overview `cptx info` prints.
#pragma once

#include <string>

#include "model/machine.hpp"

namespace cptx {

std::string summarize(const model::Machine& m);

// "real", "protected 32-bit", "long 64-bit", ... from CR0, EFER, RFLAGS and CS.
std::string cpu_mode(const model::Cpu& c);

}  // namespace cptx
