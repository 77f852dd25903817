// The `file:` store (§1.4): length bounds, boundary tags, truncation, streaming.
#include <gtest/gtest.h>

#include <cstring>

#include "codecs/palacios/binfile.hpp"
#include "codecs/palacios/store.hpp"
#include "tests/palacios/spec_example.hpp"

namespace cptx::palacios::test {
namespace {

Context parse(const Bytes& b, std::size_t max = 1 << 20) { return parse_context(Store::file, "devices", b, "ck/devices", max); }

void put_le64(Bytes& b, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

bool mentions(const cptx::InputError& e, const std::string& s) {
  return std::string(e.what()).find(s) != std::string::npos;
}

TEST(BinaryReader, BadBoundaryTagNamesTheOffset) {
  Bytes b = kBinary;
  b[32] = 0x24;  // the second entry's boundary
  auto e = input_error_of([&] { parse(b); });
  EXPECT_EQ(e.where().file, "ck/devices");
  EXPECT_EQ(e.where().offset, 32u);
  EXPECT_TRUE(mentions(e, "boundary tag 0xabcd0124")) << e.what();
}

TEST(BinaryReader, TagLengthOutOfRange) {
  for (std::uint64_t len : {std::uint64_t{1} << 63, ~std::uint64_t{0}, std::uint64_t{4097}}) {
    Bytes b = kBinary;
    put_le64(b, 4, len);
    auto e = input_error_of([&] { parse(b); });
    EXPECT_EQ(e.where().offset, 4u);
    EXPECT_TRUE(mentions(e, "tag length")) << e.what();
  }
}

TEST(BinaryReader, ValueLengthNegativeOrTooLong) {
  // The names entry's length field sits at 32 + 4 + 8 + 5 = 49.
  for (std::uint64_t len : {std::uint64_t{1} << 63, ~std::uint64_t{0}, std::uint64_t{65}}) {
    Bytes b = kBinary;
    put_le64(b, 49, len);
    auto e = input_error_of([&] { parse(b); });
    EXPECT_EQ(e.where().offset, 49u);
    EXPECT_EQ(e.where().key, "names");
    EXPECT_TRUE(mentions(e, "ck/devices")) << e.what();
  }
}

TEST(BinaryReader, EveryTruncationIsAnError) {
  for (std::size_t n = 1; n < kBinary.size(); ++n) {
    if (n == 32) continue;  // a whole first entry: valid
    Bytes b(kBinary.begin(), kBinary.begin() + static_cast<std::ptrdiff_t>(n));
    auto e = input_error_of([&] { parse(b); });
    EXPECT_TRUE(e.where().offset.has_value()) << n;
    EXPECT_EQ(e.where().file, "ck/devices");
  }
  EXPECT_EQ(parse(Bytes(kBinary.begin(), kBinary.begin() + 32)).entries.size(), 1u);
  EXPECT_TRUE(parse({}).entries.empty());
}

TEST(BinaryReader, StaleTailIsAnError) {
  Bytes b = kBinary;
  b.insert(b.end(), {0x23, 0x01, 0xcd});
  auto e = input_error_of([&] { parse(b); });
  EXPECT_EQ(e.where().offset, 121u);
}

TEST(BinaryReader, ValueOverTheCallersLimit) {
  auto e = input_error_of([&] { parse(kBinary, 63); });
  EXPECT_EQ(e.where().key, "names");
}

TEST(BinaryReader, SkipsUnreadValuesAndKnowsSizes) {
  BinaryReader r(std::make_unique<MemorySource>("f", kBinary), "devices");
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size, 4u);
  EXPECT_EQ(a->offset, 0u);
  auto b = r.next();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->tag, "names");
  EXPECT_EQ(b->offset, 32u);
  EXPECT_EQ(r.value_size(), 64u);
  EXPECT_EQ(r.read_value(64), devices().entries[1].value);
  EXPECT_THROW(r.read_value(64), std::logic_error);
  EXPECT_FALSE(r.next());
}

TEST(BinaryWriter, ChecksTheAnnouncedSize) {
  Bytes out;
  VectorSink sink(out);
  BinaryWriter w(sink, "f");
  EXPECT_THROW(w.write(Bytes{1}), std::logic_error);
  w.begin_entry("t", 2);
  EXPECT_THROW(w.begin_entry("u", 0), std::logic_error);
  w.write(Bytes{1});
  EXPECT_THROW(w.end_entry(), std::logic_error);
  EXPECT_THROW(w.write(Bytes{2, 3}), std::logic_error);
  w.write(Bytes{2});
  w.end_entry();
  EXPECT_THROW(w.begin_entry(std::string(4097, 'x'), 0), cptx::InputError);
}

TEST(BinaryStore, StreamsAFewMebibytesInChunks) {
  TempDir dir;
  const std::uint64_t size = 5 * 1024 * 1024 + 3;
  auto pattern = [](std::uint64_t i) { return static_cast<std::uint8_t>((i * 2654435761u) >> 13); };
  {
    FileSink sink(dir / "memory_img", dir / "memory_img");
    BinaryWriter w(sink, "memory_img");
    w.begin_entry("memory_img0", size);
    Bytes chunk;
    for (std::uint64_t i = 0; i < size;) {
      chunk.clear();
      for (; i < size && chunk.size() < 100000; ++i) chunk.push_back(pattern(i));
      w.write(chunk);
    }
    w.end_entry();
    sink.close();
  }
  BinaryReader r(std::make_unique<FileSource>(dir / "memory_img"), "memory_img");
  ASSERT_TRUE(r.next());
  std::uint64_t seen = 0;
  std::size_t chunks = 0;
  bool same = true;
  EXPECT_EQ(r.stream_value([&](std::span<const std::uint8_t> c) {
    EXPECT_LE(c.size(), 64u * 1024);
    for (auto byte : c) same = same && byte == pattern(seen++);
    ++chunks;
  }),
            size);
  EXPECT_EQ(seen, size);
  EXPECT_TRUE(same);
  EXPECT_GT(chunks, 50u);
  EXPECT_FALSE(r.next());
}

}  // namespace
}  // namespace cptx::palacios::test
