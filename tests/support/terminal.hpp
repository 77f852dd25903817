// Runs the cptx command on a pseudo-terminal, as a user at a terminal would.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/support/run.hpp"

namespace cptx::testing {

// cptx with its stdout and stderr on a pseudo-terminal, NO_COLOR unset and then the variables of
// `env` set; `out` is all it printed there.
Run run_cptx_on_terminal(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace cptx::testing
