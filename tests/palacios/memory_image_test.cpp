// Raw memory dumps ↔ the memory_img context (§4).
#include <gtest/gtest.h>

#include <cstring>

#include "codecs/palacios/binfile.hpp"
#include "codecs/palacios/memory_image.hpp"
#include "codecs/palacios/store.hpp"
#include "tests/palacios/test_support.hpp"

namespace cptx::palacios::test {
namespace {

RawReadFn reader_of(const Bytes& raw) {
  return [&raw, at = std::size_t{0}](std::span<std::uint8_t> out) mutable {
    const std::size_t n = std::min(out.size(), raw.size() - at);
    std::memcpy(out.data(), raw.data() + at, n);
    at += n;
    return n;
  };
}

Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
  return b;
}

TEST(MemoryImage, RegionsFor) {
  EXPECT_EQ(regions_for(268435456, 134217728), 2u);
  EXPECT_EQ(regions_for(268435457, 134217728), 3u);
  EXPECT_EQ(regions_for(0, 4096), 0u);
  EXPECT_THROW(regions_for(1, 0), cptx::UsageError);
  EXPECT_THROW(regions_for(std::uint64_t{1} << 40, 1), cptx::UsageError);
}

TEST(MemoryImage, SplitsPadsAndConcatenates) {
  const Bytes raw = pattern(4096 * 2 + 100);
  const MemoryLayout layout{4096, regions_for(raw.size(), 4096)};
  ASSERT_EQ(layout.num_regions, 3u);
  for (Store s : {Store::file, Store::textfile}) {
    Bytes ctx;
    VectorSink sink(ctx);
    auto w = make_writer(s, sink, kMemoryContext, "memory_img");
    write_memory_image(*w, layout, reader_of(raw), "mem.raw");

    const auto parsed = parse_context(s, "memory_img", ctx, "memory_img", 4096);
    ASSERT_EQ(parsed.entries.size(), 5u);
    EXPECT_EQ(parsed.entries[0].value, (Bytes{0, 0x10, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(parsed.entries[1].value, (Bytes{3, 0, 0, 0}));
    EXPECT_EQ(parsed.entries[4].tag, "memory_img2");

    Bytes back;
    auto r = make_reader(s, std::make_unique<MemorySource>("memory_img", ctx), "memory_img");
    const auto got = read_memory_image(*r, 3, [&](const MemoryLayout&, std::uint32_t, const EntryInfo&) {
      r->stream_value([&](std::span<const std::uint8_t> c) { back.insert(back.end(), c.begin(), c.end()); });
    });
    EXPECT_EQ(got.region_size, 4096u);
    EXPECT_EQ(got.num_regions, 3u);
    Bytes padded = raw;
    padded.resize(3 * 4096, 0);
    EXPECT_EQ(back, padded);
  }
}

TEST(MemoryImage, RejectsADumpLongerThanTheRegions) {
  const Bytes raw = pattern(4097);
  Bytes ctx;
  VectorSink sink(ctx);
  BinaryWriter w(sink, "memory_img");
  auto e = input_error_of([&] { write_memory_image(w, {4096, 1}, reader_of(raw), "mem.raw"); });
  EXPECT_EQ(e.where().file, "mem.raw");
  EXPECT_EQ(e.where().offset, 4096u);
}

TEST(MemoryImage, RejectsAMalformedContext) {
  const Bytes size8 = {0, 0x10, 0, 0, 0, 0, 0, 0};
  const std::vector<std::vector<Entry>> bad = {
      {},
      {{"num_regions", {1, 0, 0, 0}}},
      {{"region_size", size8}, {"num_regions", {1, 0, 0}}},
      {{"region_size", size8}, {"num_regions", {1, 0, 0, 0}}, {"memory_img1", Bytes(4096)}},
      {{"region_size", size8}, {"num_regions", {1, 0, 0, 0}}, {"memory_img0", Bytes(4095)}},
      {{"region_size", size8}, {"num_regions", {1, 0, 0, 0}}, {"memory_img0", Bytes(4096)}, {"x", {}}},
  };
  for (Store s : {Store::file, Store::textfile})
    for (const auto& entries : bad) {
      const Bytes ctx = serialize_context(s, {"memory_img", entries});
      auto r = make_reader(s, std::make_unique<MemorySource>("ck/memory_img", ctx), "memory_img");
      auto e = input_error_of([&] { read_memory_image(*r, 1, [](const MemoryLayout&, std::uint32_t, const EntryInfo&) {}); });
      EXPECT_EQ(e.where().file, "ck/memory_img");
      EXPECT_FALSE(e.where().key.empty());
    }
}

}  // namespace
}  // namespace cptx::palacios::test
