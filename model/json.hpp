// The model's JSON document: {"cptx_model": <schema version>, "machine": {...}}.
#pragma once

#include "model/json_value.hpp"
#include "model/machine.hpp"

namespace cptx::model {

Json to_json(const Machine& m);

// Decodes and validates; throws FieldError naming the offending path.
Machine from_json(const Json& doc);

}  // namespace cptx::model
