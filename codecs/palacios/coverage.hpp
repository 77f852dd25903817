// What a Palacios checkpoint carries of the model, field by field (docs/palacios.md explains why).
#pragma once

#include <span>

#include "reports/coverage.hpp"

namespace cptx::palacios {

std::span<const CoverageRule> coverage();

}  // namespace cptx::palacios
