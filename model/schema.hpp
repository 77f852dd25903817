// The model described by itself: the field list, its JSON Schema and docs/model.md, all walked
// from the declarations.
#pragma once

#include <string>
#include <vector>

#include "model/json_value.hpp"

namespace cptx::model {

struct FieldInfo {
  std::string path;    // `cpu[].segments.cs.base`; `[]` stands for every index
  std::string type;    // "u64", "bool", "enum", "object", "list", ...
  std::string domain;  // "0..3", "one of …", "1..64 entries"; empty when the type is the bound
  std::string unit;
  std::string doc;
  bool leaf = false;
  bool derived = false;
  bool provenance = false;  // where the checkpoint came from; `cptx diff` compares it only when asked
};

// Every field, parents before children, in declaration order. With `collapse`, consecutive sibling
// structs of one type share a row (`cpu[].segments.{es,cs,ss}.base`), as docs/model.md shows them.
std::vector<FieldInfo> field_list(bool collapse = false);

// JSON Schema (draft 2020-12) of a model document.
Json json_schema();

// docs/model.md.
std::string markdown_reference();

}  // namespace cptx::model
