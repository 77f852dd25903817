// Structural diff of two machines: one entry per differing leaf, named by its path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/machine.hpp"

namespace cptx::model {

struct Difference {
  std::string path;  // `cpu[0].segments.cs.base`
  std::string a, b;  // the two values in their JSON form
  bool provenance = false;  // a field declared provenance(), or one inside it
};

std::vector<Difference> diff(const Machine& a, const Machine& b);

// A difference in where a RAM region's bytes are stored (`memory.regions[0].backing.path`), which is
// not machine state: compare what the bytes are instead (codecs/io/ram_diff.hpp).
bool names_ram_storage(std::string_view path);

}  // namespace cptx::model
