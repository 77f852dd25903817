#include "codecs/io/ram_tally.hpp"

namespace cptx::io {

namespace {
RamTally* current = nullptr;
}

RamTally::RamTally() {
  if (!current) current = this;
}

RamTally::~RamTally() {
  if (current == this) current = nullptr;
}

bool RamTally::counting() { return current != nullptr; }

void RamTally::region_read(std::uint64_t gpa, std::uint64_t zero_pages) {
  if (current) current->zero_pages_[gpa] = zero_pages;
}

std::optional<std::uint64_t> RamTally::zero_pages(std::uint64_t gpa) const {
  const auto it = zero_pages_.find(gpa);
  if (it == zero_pages_.end()) return std::nullopt;
  return it->second;
}

}  // namespace cptx::io
