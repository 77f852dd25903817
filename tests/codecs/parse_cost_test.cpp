// Every parser's work grows linearly with its input. The work is counted as bytes allocated (this
// binary replaces the global operator new): a parser that copies what it has read so far for every
// line it reads allocates quadratically, however fast the machine.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "codecs/gem5/cpt_syntax.hpp"
#include "codecs/io/error.hpp"
#include "codecs/json/parse.hpp"

namespace {
std::size_t allocated = 0;
bool counting = false;
}  // namespace

// Not inlined: GCC would then see free() meet the result of operator new and warn of a mismatch.
[[gnu::noinline]] void* operator new(std::size_t n) {
  if (counting) allocated += n;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace cptx {
namespace {

template <class Parse>
std::size_t bytes_allocated(Parse&& parse) {
  allocated = 0;
  counting = true;
  parse();
  counting = false;
  return allocated;
}

// Work for an input 4 times as large is about 4 times the work (a quadratic parser's is 16 times).
template <class Make, class Parse>
void expect_linear(Make&& make, Parse&& parse) {
  const std::string small = make(50000), large = make(200000);
  const std::size_t a = bytes_allocated([&] { parse(small); });
  const std::size_t b = bytes_allocated([&] { parse(large); });
  EXPECT_LT(b, 6 * a) << "allocated " << a << " bytes for " << small.size() << " input bytes, " << b << " for "
                      << large.size();
}

TEST(ParseCost, Gem5ContinuationLinesOfOneKeyAreLinear) {
  expect_linear(
      [](std::size_t n) {
        std::string s = "[root.globals]\ncurTick=0\n[junk]\nx=0\n";
        for (std::size_t i = 0; i < n; ++i) s += "x+=1\n";
        return s;
      },
      [](const std::string& text) {
        const auto cpt = gem5::parse_cpt(text, "m5.cpt");
        EXPECT_EQ(cpt.find("junk")->find("x")->value.size(), 1 + 2 * (text.size() - 36) / 5);
      });
}

TEST(ParseCost, Gem5DistinctKeysAreLinear) {
  expect_linear(
      [](std::size_t n) {
        std::string s = "[root.globals]\ncurTick=0\n[junk]\n";
        for (std::size_t i = 0; i < n; ++i) s += "k" + std::to_string(i) + "=1\n";
        return s;
      },
      [](const std::string& text) { gem5::parse_cpt(text, "m5.cpt"); });
}

TEST(ParseCost, ModelJsonObjectsAreLinear) {
  expect_linear(
      [](std::size_t n) {
        std::string s = "{\"regions\":[";
        for (std::size_t i = 0; i < n; ++i) s += (i ? "," : "") + std::string(R"({"gpa":"0x0","size":1,"backing":null})");
        return s + "]}";
      },
      [](const std::string& text) { parse_json_text(text, "model.json"); });
}

// Objects keep their keys in order and find one by a linear search: keys in one object are bounded.
TEST(ParseCost, ModelJsonObjectWithManyKeysIsRefused) {
  std::string s = "{";
  for (std::size_t i = 0; i < 100000; ++i) s += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  s += "}";
  try {
    parse_json_text(s, "model.json");
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "model.json: k1024: more than 1024 keys in one object");
  }
}

}  // namespace
}  // namespace cptx
