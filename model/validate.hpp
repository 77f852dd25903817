// Validation: every field within its declared domain, and the invariants that tie fields together.
#pragma once

#include <string>
#include <vector>

#include "model/machine.hpp"

namespace cptx::model {

struct Problem {
  std::string path;     // the field at fault, as diff names it
  std::string message;  // what was expected
};

// Every problem, in declaration order; empty when the machine is valid.
std::vector<Problem> validate(const Machine& m);

// Throws FieldError for the first problem.
void require_valid(const Machine& m);

}  // namespace cptx::model
