// The `textfile:` store (§1.5): tolerated variants, rejected input, streaming.
#include <gtest/gtest.h>

#include "codecs/palacios/store.hpp"
#include "codecs/palacios/textfile.hpp"
#include "tests/palacios/spec_example.hpp"

namespace cptx::palacios::test {
namespace {

using namespace std::string_literals;

Context parse(std::string_view s, std::size_t max = 1 << 20) {
  return parse_context(Store::textfile, "devices", bytes(s), "ck/devices", max);
}

const std::string kPit = "50495400000000000000000000000000000000000000000000000000000000";
const std::string kPic = "50494300000000000000000000000000000000000000000000000000000000";
const std::string kNames = kPit + "00" + kPic + "00";

TEST(TextReader, AcceptsWhatPalaciosAccepts) {
  const std::string upper = "5049540000000000000000000000000000000000000000000000000000000000"
                            "5049430000000000000000000000000000000000000000000000000000000000";
  for (std::string s : {
           "[devices]\nnum_devs=02000000\nnames=" + kNames + "\n",
           "\t\r\n\n[devices]\r\nnum_devs=02000000\r\n\r\nnames=" + kNames + "\r\n",
           "[devices]\n  num_devs \t= 02 00 0000 \nnames =\t" + upper + "\n\n\n",
           "[devices]num_devs=02000000\nnames=" + kNames,  // §9.4: a tag may follow ']' directly
       })
    EXPECT_EQ(parse(s), devices()) << s;
}

TEST(TextReader, ReturnsWholeTags) {
  // Palacios would match a request for R1 against R10 (P19); a schema-free reader keeps the tag whole.
  auto c = parse("[devices]\nR10=00\n");
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].tag, "R10");
}

struct Bad {
  std::string input;
  std::uint64_t line;
  std::string key;
  std::string says;
};

TEST(TextReader, RejectsWithFileLineAndTag) {
  const std::vector<Bad> cases = {
      {"[devices]\nnum_devs=0200000\n", 2, "num_devs", "odd number"},
      {"[devices]\nnum_devs=0200000g\n", 2, "num_devs", "'g'"},
      {"[devices]\nnum_devs=02\xff\x30\n", 2, "num_devs", "0xFF"},
      {"[devices]\nnum\xff_devs=02\n", 2, "num", "0xFF"},
      {"[devices]\nnu\0m=02\n"s, 2, "nu", "NUL"},
      {"[devices]\nnum_devs=02 names=00\n", 2, "num_devs", "'n'"},
      {"[devices]\n=02\n", 2, "devices", "without a tag"},
      {"[devices]\nnum_devs 02\n", 2, "num_devs", "expected '='"},
      {"[devices]\n\nnum_devs", 3, "num_devs", "end of file"},
      {"[other]\nnum_devs=02\n", 1, "devices", "does not match"},
      {"\n\n[device]\n", 3, "devices", "does not match"},
      {" [devices]\n", 1, "devices", "expected the context header"},
      {"num_devs=02\n", 1, "devices", "expected the context header"},
      {"", 1, "devices", "end of file"},
      {"\xff[devices]\n", 1, "devices", "0xFF"},
  };
  for (const auto& c : cases) {
    auto e = input_error_of([&] { parse(c.input); });
    EXPECT_EQ(e.where().file, "ck/devices") << c.input;
    EXPECT_EQ(e.where().line, c.line) << c.input << " -> " << e.what();
    EXPECT_EQ(e.where().key, c.key) << c.input << " -> " << e.what();
    EXPECT_TRUE(e.where().offset.has_value()) << c.input;
    EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos) << c.input << " -> " << e.what();
  }
}

TEST(TextReader, ValueOverTheCallersLimit) {
  auto e = input_error_of([&] { parse("[devices]\nnames=" + kNames + "\n", 63); });
  EXPECT_EQ(e.where().key, "names");
  EXPECT_EQ(parse("[devices]\nnames=" + kNames + "\n", 64).entries[0].value.size(), 64u);
}

TEST(TextReader, MeasuresThenStreams) {
  const Bytes in = bytes("[devices]\nnum_devs=02 00\r\n00 00\nnames=" + kNames + "\n");
  TextReader r(std::make_unique<MemorySource>("f", in), "devices");
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->size);
  EXPECT_EQ(a->line, 2u);
  // A value ends at its line's end (stricter than Palacios): "02 00\r" is 2 bytes, "00 00" is then a tag.
  EXPECT_EQ(r.value_size(), 2u);
  EXPECT_EQ(r.read_value(2), (Bytes{2, 0}));
  EXPECT_THROW(r.next(), cptx::InputError);
}

TEST(TextWriter, RefusesUnwritableTagsAndNames) {
  Bytes out;
  VectorSink sink(out);
  TextWriter w(sink, "c", "ck/c");
  for (std::string tag : {std::string(), std::string("a b"), std::string("a=b"), std::string("a\nb"),
                          std::string("a\0b", 3), std::string("a\xff"), std::string(4097, 't')}) {
    auto e = input_error_of([&] { w.begin_entry(tag, 0); });
    EXPECT_EQ(e.where().file, "ck/c");
  }
  EXPECT_THROW(TextWriter(sink, "a\tb", "x"), cptx::InputError);
}

TEST(TextStore, StreamsAFewMebibytesInChunks) {
  TempDir dir;
  const std::uint64_t size = 3 * 1024 * 1024 + 1;
  auto pattern = [](std::uint64_t i) { return static_cast<std::uint8_t>((i * 2654435761u) >> 11); };
  {
    FileSink sink(dir / "memory_img", dir / "memory_img");
    TextWriter w(sink, "memory_img", "memory_img");
    w.begin_entry("memory_img0", size);
    Bytes chunk;
    for (std::uint64_t i = 0; i < size;) {
      chunk.clear();
      for (; i < size && chunk.size() < 70000; ++i) chunk.push_back(pattern(i));
      w.write(chunk);
    }
    w.end_entry();
    w.put("after", Bytes{0xab});
    sink.close();
  }
  EXPECT_EQ(std::filesystem::file_size(dir / "memory_img"), 13 + 12 + 2 * size + 1 + 9);
  TextReader r(std::make_unique<FileSource>(dir / "memory_img"), "memory_img");
  auto info = r.next();
  ASSERT_TRUE(info);
  EXPECT_EQ(r.value_size(), size);
  std::uint64_t seen = 0;
  bool same = true;
  EXPECT_EQ(r.stream_value([&](std::span<const std::uint8_t> c) {
    EXPECT_LE(c.size(), 64u * 1024);
    for (auto byte : c) same = same && byte == pattern(seen++);
  }),
            size);
  EXPECT_TRUE(same);
  auto after = r.next();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->tag, "after");
  EXPECT_EQ(after->line, 3u);
  EXPECT_EQ(r.read_value(1), Bytes{0xab});
  EXPECT_FALSE(r.next());
}

}  // namespace
}  // namespace cptx::palacios::test
