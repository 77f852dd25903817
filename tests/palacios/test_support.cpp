#include "tests/palacios/test_support.hpp"

#include <algorithm>
#include <atomic>
#include <unistd.h>

namespace cptx::palacios::test {
namespace fs = std::filesystem;

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() /
          ("cptx-palacios-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<std::string> ScratchDir::names() const {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(path_)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

cptx::InputError expect_input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const cptx::InputError& e) {
    return e;
  }
  ADD_FAILURE() << "expected cptx::InputError";
  return cptx::InputError({}, "none thrown");
}

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
