// The `devices` context of §1.5's worked example, byte for byte as the spec's hex dumps show it.
#include <gtest/gtest.h>

#include "codecs/palacios/store.hpp"
#include "tests/palacios/spec_example.hpp"

namespace cptx::palacios::test {
namespace {

TEST(WorkedExample, SizesMatchTheSpec) {
  EXPECT_EQ(kText.size(), 163u);
  EXPECT_EQ(kBinary.size(), 121u);
}

TEST(WorkedExample, TextWriterIsByteExact) { EXPECT_EQ(serialize_context(Store::textfile, devices()), kText); }

TEST(WorkedExample, BinaryWriterIsByteExact) { EXPECT_EQ(serialize_context(Store::file, devices()), kBinary); }

TEST(WorkedExample, TextReaderParsesIt) {
  EXPECT_EQ(parse_context(Store::textfile, "devices", kText, "devices", 1024), devices());
}

TEST(WorkedExample, BinaryReaderParsesIt) {
  EXPECT_EQ(parse_context(Store::file, "devices", kBinary, "devices", 1024), devices());
}

TEST(WorkedExample, OtherCanonicalExamples) {
  EXPECT_EQ(text(serialize_context(Store::textfile, {"hpet", {}})), "[hpet]\n");
  EXPECT_TRUE(serialize_context(Store::file, {"hpet", {}}).empty());
  const std::string header = "v3vee palacios checkpoint version: x.x, SVM x.x";
  ASSERT_EQ(header.size(), 47u);
  EXPECT_EQ(text(serialize_context(Store::textfile, {"header", {{"header", bytes(header)}}})),
            "[header]\nheader=76337665652070616c6163696f7320636865636b706f696e742076657273696f6e3a20782e782c2053564d20782e78\n");
  EXPECT_EQ(text(serialize_context(Store::textfile, {"c", {{"t", {}}}})), "[c]\nt=\n");
}

}  // namespace
}  // namespace cptx::palacios::test
