#include <gtest/gtest.h>

#include "codecs/io/text.hpp"

namespace cptx::io {
namespace {

TEST(Text, Utf8IsWellFormedUnicodeOnly) {
  for (const char* ok : {"", "system.physmem.store0.pmem", "pr\xc3\xbc" "fung", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
                         "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf"})
    EXPECT_TRUE(is_utf8(ok)) << printable(ok);
  for (const char* bad : {"cpt\xff", "\xc0\xaf" /* overlong '/' */, "\xe0\x80\xaf", "\xed\xa0\x80" /* surrogate */,
                          "\xf4\x90\x80\x80" /* above U+10FFFF */, "\xc3" /* cut short */, "\xe2\x82", "\x80",
                          "\xf8\x88\x80\x80\x80"})
    EXPECT_FALSE(is_utf8(bad)) << printable(bad);
}

TEST(Text, PrintableQuotesEveryOtherByteAndCuts) {
  EXPECT_EQ(printable("a\\b\n\xff"), "a\\x5cb\\x0a\\xff");
  EXPECT_EQ(printable("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace cptx::io
