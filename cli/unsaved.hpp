// The fields a checkpoint does not hold: what its codec's coverage calls defaulted or not carried,
// and what its reader found missing in this checkpoint. The reader filled them in (the model's
// power-on state, the format's fixed value), so `info` and `show` mark them rather than show them
// as saved state.
#pragma once

#include <optional>
#include <string>

#include "codecs/codec.hpp"
#include "reports/report.hpp"

namespace cptx {

struct Unsaved {
  Carry carry;        // defaulted or none
  std::string where;  // the coverage row or finding that says so: `rtc`, `cpu[0].events`
  std::string why;
};

// Whether the value at `concrete_path` (`cpu[0].regs.rax`) came from somewhere other than the
// checkpoint `codec` read, `read` being the report of that read.
std::optional<Unsaved> unsaved(std::string_view concrete_path, const Codec& codec, const Report& read);

// "not saved" for a field the format does not hold, "default" for its fixed or derived value.
std::string_view unsaved_label(Carry c);

}  // namespace cptx
