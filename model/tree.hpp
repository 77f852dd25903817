// A machine as a tree of named values, one node per declared field and per list entry, walked from
// the declarations: what `cptx show` prints and `cptx info` looks up.
#pragma once

#include <string>
#include <vector>

#include "model/machine.hpp"

namespace cptx::model {

struct Node {
  std::string path;   // `cpu[0].regs.rax`, as diff names fields; "" for the machine itself
  std::string name;   // `rax`, or `[3]` for a list entry
  std::size_t depth;  // 0 for the machine's own fields
  bool leaf;
  std::string value;  // leaves: hex where declared, decimal otherwise, enum names, "none" for absent,
                      // byte strings in hex ("(empty)")
  std::string unit;   // as declared, e.g. "ns"
  bool provenance;    // declared provenance(), or inside such a field
};

// Every node, parents before children, in declaration order.
std::vector<Node> tree(const Machine& m);

}  // namespace cptx::model
