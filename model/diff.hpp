// Structural diff of two machines: one entry per differing leaf, named by its path.
#pragma once

#include <string>
#include <vector>

#include "model/machine.hpp"

namespace cptx::model {

struct Difference {
  std::string path;  // `cpu[0].segments.cs.base`
  std::string a, b;  // the two values in their JSON form
};

std::vector<Difference> diff(const Machine& a, const Machine& b);

}  // namespace cptx::model
