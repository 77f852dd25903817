// Hex digit pairs as RAM is decoded: exactly the pairs before whatever is not one.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cctype>

#include "model/hex.hpp"

namespace cptx {
namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

RC_GTEST_PROP(HexDecodePairs, StopsAtTheFirstCharacterThatIsNotADigit, (const std::vector<std::uint8_t>& data)) {
  std::string text = hex_encode(data);
  for (std::size_t i = 0; i < text.size(); i += 3) text[i] = static_cast<char>(std::toupper(text[i]));
  const auto cut = *rc::gen::inRange<std::size_t>(0, text.size() + 1);
  const char stop = *rc::gen::element(' ', '\n', 'g', '\0', '=');
  text.insert(cut, 1, stop);
  std::vector<std::uint8_t> out(data.size() + 1, 0xaa);
  const std::size_t n = hex_decode_pairs(bytes_of(text), out);
  RC_ASSERT(n == cut / 2);
  RC_ASSERT(std::equal(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), data.begin()));
  RC_ASSERT(out[n] == std::uint8_t{0xaa});  // nothing written past what is returned
}

TEST(HexDecodePairs, StopsWhenTheOutputIsFull) {
  std::vector<std::uint8_t> out(3);
  EXPECT_EQ(hex_decode_pairs(bytes_of("00112233445566778899aabbccddeeff0011"), out), 3u);
  EXPECT_EQ(out, (std::vector<std::uint8_t>{0x00, 0x11, 0x22}));
  EXPECT_EQ(hex_decode_pairs(bytes_of("0"), out), 0u);  // an odd digit at the end is the caller's
}

}  // namespace
}  // namespace cptx
