// The human-readable overview `cptx info` prints.
#pragma once

#include <functional>
#include <string>

#include "model/machine.hpp"

namespace cptx {

// `mark(path)` is appended to the line that shows the fields under `path` (`rtc`, `cpu[0].lapic`):
// how many of them the checkpoint does not hold, or "".
std::string summarize(const model::Machine& m, const std::function<std::string(std::string_view)>& mark = {});

// "real", "protected 32-bit", "long 64-bit", ... from CR0, EFER, RFLAGS and CS.
std::string cpu_mode(const model::Cpu& c);

}  // namespace cptx
