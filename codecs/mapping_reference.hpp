// The per-field mapping of every format, as docs/model.md shows it after the field reference.
#pragma once

#include <string>

namespace cptx {

// For every leaf field of the model, how each format other than model JSON holds it: the rule of
// its coverage (a table row with the format's locator, or a row declared beside hand-written code).
std::string mapping_reference();

// docs/model.md as `cptx schema --markdown` prints it: the field reference, then the mappings.
std::string model_reference();

}  // namespace cptx
