#include "model/domain.hpp"

#include <fmt/format.h>

namespace cptx::model {

namespace {
std::string bound(std::uint64_t v) {
  return v == std::numeric_limits<std::uint64_t>::max() ? "2^64-1" : std::to_string(v);
}
}  // namespace

std::string domain_text(const Meta& m, unsigned type_bits) {
  const Meta t = m.typed(type_bits);
  const Meta whole_type = Meta{}.typed(type_bits);
  std::string s;
  const auto append = [&s](const std::string& part) { s += s.empty() ? part : ", " + part; };
  if (t.lo != 0 || t.max_value() != whole_type.max_value()) append(bound(t.lo) + ".." + bound(t.max_value()));
  if (t.mask) append(fmt::format("only bits 0x{:x}", t.mask));
  if (t.align) append(fmt::format("multiple of {}", t.align));
  return s;
}

std::string integer_expectation(const Meta& m, unsigned type_bits) {
  const std::string d = domain_text(m, type_bits);
  return "expected an unsigned integer " + (d.empty() ? "0.." + bound(m.typed(type_bits).max_value()) : d);
}

}  // namespace cptx::model
