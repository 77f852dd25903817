// The fuzz seed corpus doubles as a table of examples: seeds named bad_* must be rejected with an
// InputError, all others must read.
#include <gtest/gtest.h>

#include "codecs/palacios/store.hpp"
#include "tests/palacios/test_support.hpp"

namespace cptx::palacios::test {
namespace {
namespace fs = std::filesystem;

void check_corpus(const std::string& target, Store store) {
  const fs::path dir = fs::path(CPTX_SOURCE_DIR) / "corpus" / "fuzz" / target;
  std::size_t seeds = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    const Bytes b = read_file(e.path());
    ++seeds;
    if (name.rfind("bad_", 0) == 0)
      EXPECT_THROW(parse_context(store, "devices", b, name, 1 << 20), cptx::InputError) << name;
    else
      EXPECT_NO_THROW(parse_context(store, "devices", b, name, 1 << 20)) << name;
  }
  EXPECT_GE(seeds, 10u);
}

TEST(SeedCorpus, Textfile) { check_corpus("palacios_textfile", Store::textfile); }
TEST(SeedCorpus, File) { check_corpus("palacios_file", Store::file); }

}  // namespace
}  // namespace cptx::palacios::test
