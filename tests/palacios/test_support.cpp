#include "tests/palacios/test_support.hpp"

#include <algorithm>
#include <atomic>
#include <unistd.h>

namespace cptx::palacios::test {
namespace fs = std::filesystem;

rc::Gen<std::string> gen_tag() {
  auto ch = rc::gen::suchThat(rc::gen::inRange<char>(0x21, 0x7f), [](char c) { return c != '='; });
  return rc::gen::resize(24, rc::gen::nonEmpty(rc::gen::container<std::string>(ch)));
}

rc::Gen<Bytes> gen_value() {
  // Mostly small values, sometimes a few KiB, empty ones included.
  return rc::gen::oneOf(rc::gen::container<Bytes>(rc::gen::arbitrary<std::uint8_t>()),
                        rc::gen::resize(5000, rc::gen::container<Bytes>(rc::gen::arbitrary<std::uint8_t>())));
}

rc::Gen<Context> gen_context(std::string name) {
  auto entry = rc::gen::build<Entry>(rc::gen::set(&Entry::tag, gen_tag()), rc::gen::set(&Entry::value, gen_value()));
  return rc::gen::map(rc::gen::resize(12, rc::gen::container<std::vector<Entry>>(entry)),
                      [name](std::vector<Entry> entries) { return Context{name, std::move(entries)}; });
}

}  // namespace cptx::palacios::test
