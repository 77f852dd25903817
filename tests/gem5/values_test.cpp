// Typed values (v24 spec §1.3, 2011 spec §1.2): round trips for every width, range checks, the
// octal/hex quirks of both readers, booleans and arrays.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fmt/format.h>

#include "codecs/gem5/values.hpp"

using namespace cptx::gem5;

namespace {

const cptx::Location kWhere{"m5.cpt", std::nullopt, 7, "sec:key"};

template <Integer T>
void round_trips() {
  const T v = *rc::gen::arbitrary<T>();
  for (Era era : {Era::v24, Era::v2011}) RC_ASSERT(decode_int<T>(encode_int(v), era, kWhere) == v);
  // Any base gem5 accepts reads back the same value (v24 rejects lower-case 'e', so upper-case hex).
  if constexpr (std::is_unsigned_v<T>) {
    const auto u = static_cast<unsigned long long>(v);
    RC_ASSERT(decode_int<T>(fmt::format("0X{:X}", u), Era::v24, kWhere) == v);
    RC_ASSERT(decode_int<T>(fmt::format("0x{:x}", u), Era::v2011, kWhere) == v);
    for (Era era : {Era::v24, Era::v2011}) RC_ASSERT(decode_int<T>(fmt::format("0{:o}", u), era, kWhere) == v);
  }
}

template <Integer T>
void out_of_range_is_error() {
  using Wide = std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>;
  if constexpr (sizeof(T) < 8) {
    const Wide above = *rc::gen::inRange<Wide>(Wide{std::numeric_limits<T>::max()} + 1, std::numeric_limits<Wide>::max());
    for (Era era : {Era::v24, Era::v2011}) RC_ASSERT_THROWS_AS(decode_int<T>(std::to_string(above), era, kWhere), cptx::InputError);
    if constexpr (std::is_signed_v<T>) {
      const Wide below = *rc::gen::inRange<Wide>(std::numeric_limits<Wide>::min(), Wide{std::numeric_limits<T>::min()});
      for (Era era : {Era::v24, Era::v2011}) RC_ASSERT_THROWS_AS(decode_int<T>(std::to_string(below), era, kWhere), cptx::InputError);
    }
  } else {
    // Past 64 bits: append digits to a maximal value.
    const std::string big = std::to_string(std::numeric_limits<Wide>::max()) + std::to_string(*rc::gen::inRange(0, 10));
    for (Era era : {Era::v24, Era::v2011}) RC_ASSERT_THROWS_AS(decode_int<T>(big, era, kWhere), cptx::InputError);
  }
}

template <Integer T>
void arrays_round_trip_and_check_length() {
  const auto values = *rc::gen::arbitrary<std::vector<T>>();
  const std::string text = encode_int_array(std::span<const T>(values));
  RC_ASSERT(decode_int_array<T>(text, Era::v24, kWhere, values.size()) == values);
  RC_ASSERT(decode_int_array<T>(text, Era::v2011, kWhere, std::nullopt) == values);
  const std::size_t wrong = *rc::gen::distinctFrom(rc::gen::inRange<std::size_t>(0, 300), values.size());
  try {
    decode_int_array<T>(text, Era::v24, kWhere, wrong);
    RC_FAIL("wrong length accepted");
  } catch (const cptx::InputError& e) {
    RC_ASSERT(e.where().key == "sec:key");
    RC_ASSERT(std::string(e.what()).find(fmt::format("{} elements, expected {}", values.size(), wrong)) != std::string::npos);
  }
}

}  // namespace

RC_GTEST_PROP(IntProperty, RoundTripsEveryWidth, ()) {
  round_trips<std::int8_t>();
  round_trips<std::uint8_t>();
  round_trips<std::int16_t>();
  round_trips<std::uint16_t>();
  round_trips<std::int32_t>();
  round_trips<std::uint32_t>();
  round_trips<std::int64_t>();
  round_trips<std::uint64_t>();
  round_trips<char>();
  round_trips<signed char>();
  round_trips<unsigned char>();
}

RC_GTEST_PROP(IntProperty, OverflowIsError, ()) {
  out_of_range_is_error<std::int8_t>();
  out_of_range_is_error<std::uint8_t>();
  out_of_range_is_error<std::int16_t>();
  out_of_range_is_error<std::uint16_t>();
  out_of_range_is_error<std::int32_t>();
  out_of_range_is_error<std::uint32_t>();
  out_of_range_is_error<std::int64_t>();
  out_of_range_is_error<std::uint64_t>();
}

RC_GTEST_PROP(ArrayProperty, RoundTripAndLengthCheck, ()) {
  arrays_round_trip_and_check_length<std::uint8_t>();
  arrays_round_trip_and_check_length<std::int32_t>();
  arrays_round_trip_and_check_length<std::uint64_t>();
  const auto bools = *rc::gen::arbitrary<std::vector<bool>>();
  RC_ASSERT(decode_bool_array(encode_bool_array(bools), kWhere, bools.size()) == bools);
  RC_ASSERT_THROWS_AS(decode_bool_array(encode_bool_array(bools), kWhere, bools.size() + 1), cptx::InputError);
}

TEST(IntDecode, ReaderQuirks) {
  // Leading 0 is octal in both eras; 8 and 9 are not octal digits.
  EXPECT_EQ(decode_int<int>("010", Era::v24, kWhere), 8);
  EXPECT_EQ(decode_int<int>("010", Era::v2011, kWhere), 8);
  EXPECT_EQ(decode_int<int>("0", Era::v2011, kWhere), 0);
  EXPECT_THROW(decode_int<int>("08", Era::v24, kWhere), cptx::InputError);
  EXPECT_THROW(decode_int<int>("09", Era::v2011, kWhere), cptx::InputError);
  EXPECT_EQ(decode_int<int>("0x1F", Era::v24, kWhere), 31);
  EXPECT_EQ(decode_int<int>("-0x10", Era::v24, kWhere), -16);
  // v24 rejects any value with an 'e' (even hex digits); 2011 does not.
  EXPECT_THROW(decode_int<int>("1e3", Era::v24, kWhere), cptx::InputError);
  EXPECT_THROW(decode_int<int>("0xe", Era::v24, kWhere), cptx::InputError);
  EXPECT_EQ(decode_int<int>("0xe", Era::v2011, kWhere), 14);
  // v24's stoull wraps a '-' on unsigned types; 2011 refuses it.
  EXPECT_EQ(decode_int<std::uint64_t>("-1", Era::v24, kWhere), UINT64_MAX);
  EXPECT_THROW(decode_int<std::uint32_t>("-1", Era::v24, kWhere), cptx::InputError);
  EXPECT_THROW(decode_int<std::uint64_t>("-1", Era::v2011, kWhere), cptx::InputError);
  EXPECT_EQ(decode_int<int>("+5", Era::v24, kWhere), 5);
  EXPECT_THROW(decode_int<int>("+5", Era::v2011, kWhere), cptx::InputError);
  EXPECT_EQ(decode_int<std::int64_t>("-9223372036854775808", Era::v24, kWhere), INT64_MIN);
  EXPECT_THROW(decode_int<std::int64_t>("9223372036854775808", Era::v24, kWhere), cptx::InputError);
  EXPECT_EQ(decode_int<std::uint64_t>("18446744073709551615", Era::v2011, kWhere), UINT64_MAX);
  // The whole value must be the number.
  for (const char* bad : {"", "-", "0x", "12abc", " 1", "1 ", "1.0", "true"})
    EXPECT_THROW(decode_int<int>(bad, Era::v24, kWhere), cptx::InputError) << bad;
  // uint8 is numeric, never a character (v24 spec §1.3).
  EXPECT_EQ(encode_int<std::uint8_t>(65), "65");
  EXPECT_EQ(encode_int<char>('A'), "65");
  EXPECT_EQ(encode_int<std::int64_t>(-1), "-1");
}

TEST(IntDecode, ErrorNamesKeyAndValue) {
  try {
    decode_int<std::uint8_t>("256", Era::v24, kWhere);
    FAIL();
  } catch (const cptx::InputError& e) {
    EXPECT_EQ(e.where().key, "sec:key");
    EXPECT_EQ(std::string(e.what()), "m5.cpt:7: sec:key: invalid integer \"256\": out of range [0, 255]");
  }
}

TEST(BoolDecode, TrueFalseOnly) {
  EXPECT_TRUE(decode_bool("true", kWhere));
  EXPECT_TRUE(decode_bool("TRUE", kWhere));
  EXPECT_FALSE(decode_bool("False", kWhere));
  for (const char* bad : {"1", "0", "yes", "", "true ", "truex", "t"})
    EXPECT_THROW(decode_bool(bad, kWhere), cptx::InputError) << bad;
  EXPECT_EQ(encode_bool(true), "true");
  EXPECT_EQ(encode_bool(false), "false");
}

TEST(ArrayDecode, SpacesAndEmpty) {
  EXPECT_TRUE(split_array("").empty());
  EXPECT_TRUE(split_array("   ").empty());
  EXPECT_EQ(decode_int_array<int>("  1   2 3 ", Era::v24, kWhere, 3), (std::vector<int>{1, 2, 3}));
  // Tabs are not separators: the token is not a number.
  EXPECT_THROW(decode_int_array<int>("1\t2", Era::v24, kWhere, std::nullopt), cptx::InputError);
  try {
    decode_int_array<std::uint8_t>("1 2 300", Era::v24, kWhere, 3);
    FAIL();
  } catch (const cptx::InputError& e) {
    EXPECT_EQ(e.where().key, "sec:key[2]");
  }
}
