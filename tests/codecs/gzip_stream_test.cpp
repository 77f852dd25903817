// Streaming gzip: round trips (with spliced zero runs), exact-size checking, and hostile input
// (bombs, truncation, corruption, trailing bytes).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "codecs/io/error.hpp"
#include "codecs/io/gzip_stream.hpp"

using namespace cptx::io;

namespace {

std::string gzip(const std::vector<std::vector<std::uint8_t>>& pieces, const std::vector<std::uint64_t>& zeros = {},
                 unsigned jobs = 1) {
  std::ostringstream out;
  GzipWriter w(out, "mem", Z_DEFAULT_COMPRESSION, jobs);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    w.write(pieces[i]);
    if (i < zeros.size()) w.write_zeros(zeros[i]);
  }
  w.finish();
  return out.str();
}

std::vector<std::uint8_t> gunzip(const std::string& data, std::uint64_t expected, GzipReadOptions opt = {}) {
  std::istringstream in(data);
  std::vector<std::uint8_t> out;
  gunzip_exact(in, "mem", expected, [&](std::span<const std::uint8_t> c) { out.insert(out.end(), c.begin(), c.end()); }, opt);
  return out;
}

std::string error_of(const std::string& data, std::uint64_t expected, GzipReadOptions opt = {}) {
  try {
    gunzip(data, expected, opt);
  } catch (const cptx::InputError& e) {
    return e.what();
  }
  return "no error";
}

// Guest-like data: random (incompressible) pages, repetitive text pages and zero pages.
std::vector<std::uint8_t> guest_like(std::size_t pages, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::string text = "GUEST: step 17 hash 20f62a5bde1a6253 mov %rax,%rbx; ret; ";
  std::vector<std::uint8_t> data(pages * 4096);
  for (std::size_t p = 0; p < pages; ++p) {
    const auto kind = rng() % 5;
    for (std::size_t i = 0; i < 4096; ++i)
      data[p * 4096 + i] = kind == 0 ? static_cast<std::uint8_t>(rng())
                           : kind < 3 ? static_cast<std::uint8_t>(text[(i + p) % text.size()])
                                      : 0;
  }
  return data;
}

// What gem5 restores memory with: zlib's gzread, which also reads concatenated members as one.
std::vector<std::uint8_t> gzread_file(const std::string& gz) {
  const auto path = std::filesystem::temp_directory_path() / ("cptx-gzread-" + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << gz;
  gzFile f = gzopen(path.c_str(), "rb");
  std::vector<std::uint8_t> out, buf(1 << 16);
  for (int n; f && (n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0;)
    out.insert(out.end(), buf.begin(), buf.begin() + n);
  if (f) gzclose(f);
  std::filesystem::remove(path);
  return out;
}

}  // namespace

// Compressed on several threads, the image is the very stream one thread makes, gzread inflates it
// (alone and after another member), and it is within 1% of deflating the data whole.
TEST(GzipWriter, ParallelBlocksMakeOneStreamGzreadInflates) {
  const auto data = guest_like(1500, 7);  // about 6 MiB: several blocks
  const std::vector<std::vector<std::uint8_t>> pieces = {std::vector(data.begin(), data.begin() + 3'000'001),
                                                         std::vector(data.begin() + 3'000'001, data.end())};
  const std::string parallel = gzip(pieces, {5u << 20, 0}, 4);
  EXPECT_EQ(parallel, gzip(pieces, {5u << 20, 0}, 1));
  std::vector<std::uint8_t> expected(data.begin(), data.begin() + 3'000'001);
  expected.insert(expected.end(), 5u << 20, 0);
  expected.insert(expected.end(), data.begin() + 3'000'001, data.end());
  EXPECT_EQ(gzread_file(parallel), expected);
  EXPECT_EQ(gunzip(parallel, expected.size()), expected);

  const std::string second = gzip({{1, 2, 3}}, {}, 2);
  auto both = expected;
  both.insert(both.end(), {1, 2, 3});
  EXPECT_EQ(gzread_file(parallel + second), both);

  uLongf whole = compressBound(static_cast<uLong>(expected.size()));
  std::vector<std::uint8_t> z(whole);
  ASSERT_EQ(compress2(z.data(), &whole, expected.data(), static_cast<uLong>(expected.size()), Z_DEFAULT_COMPRESSION), Z_OK);
  EXPECT_LT(static_cast<double>(parallel.size()), 1.01 * static_cast<double>(whole));
}

RC_GTEST_PROP(GzipProperty, RoundTripWithZeroRuns, ()) {
  const auto count = *rc::gen::inRange<std::size_t>(0, 8);
  const auto pieces = *rc::gen::container<std::vector<std::vector<std::uint8_t>>>(
      count, rc::gen::arbitrary<std::vector<std::uint8_t>>());
  // Mostly short runs, sometimes long enough to take the precompressed-block path.
  const auto zeros = *rc::gen::container<std::vector<std::uint64_t>>(
      count, rc::gen::weightedOneOf<std::uint64_t>({{20, rc::gen::inRange<std::uint64_t>(0, 5000)},
                                                    {1, rc::gen::inRange<std::uint64_t>(2u << 20, 3u << 20)}}));
  std::vector<std::uint8_t> expected;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    expected.insert(expected.end(), pieces[i].begin(), pieces[i].end());
    expected.insert(expected.end(), zeros[i], 0);
  }
  const std::string gz = gzip(pieces, zeros);
  RC_ASSERT(gunzip(gz, expected.size()) == expected);
  // One byte less than the data is an overflow, one more is a short read.
  if (!expected.empty()) RC_ASSERT_THROWS_AS(gunzip(gz, expected.size() - 1), cptx::InputError);
  RC_ASSERT_THROWS_AS(gunzip(gz, expected.size() + 1), cptx::InputError);
}

TEST(Gzip, HeaderMatchesGem5Images) {
  const std::string gz = gzip({{1, 2, 3}});
  const std::string header("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);  // v24 spec §1.6
  EXPECT_EQ(gz.substr(0, 10), header);
}

TEST(Gzip, BombStopsEarly) {
  // 1 GiB of zeros compresses to about 1 MB; declaring 1 MiB must fail after roughly 1 MiB of output.
  std::ostringstream out;
  GzipWriter w(out, "bomb");
  w.write_zeros(std::uint64_t{1} << 30);
  w.finish();
  const std::string gz = out.str();
  ASSERT_LT(gz.size(), 2u << 20);
  std::istringstream in(gz);
  GzipReader r(in, "bomb", 1 << 20);
  std::vector<std::uint8_t> buf(1 << 16);
  try {
    while (r.read(buf)) {
    }
    FAIL() << "bomb accepted";
  } catch (const cptx::InputError& e) {
    EXPECT_EQ(e.where().file, "bomb");
    ASSERT_TRUE(e.where().offset.has_value());
    EXPECT_LT(*e.where().offset, 64u << 10);  // stopped near the start of the compressed data
    EXPECT_LE(r.produced(), (1u << 20) + 1);  // never more than one byte past the limit
    EXPECT_NE(std::string(e.what()).find("past the expected 1048576 bytes"), std::string::npos);
  }
}

TEST(Gzip, TruncatedCorruptAndTrailing) {
  std::vector<std::uint8_t> data(100000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7 % 251);
  const std::string gz = gzip({data});
  EXPECT_EQ(gunzip(gz, data.size()), data);

  EXPECT_NE(error_of(gz.substr(0, gz.size() / 2), data.size()).find("truncated gzip stream"), std::string::npos);
  EXPECT_NE(error_of(gz.substr(0, gz.size() - 4), data.size()).find("truncated"), std::string::npos);  // no ISIZE
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 1;
  EXPECT_NE(error_of(bad_crc, data.size()).find("corrupt gzip stream"), std::string::npos);
  EXPECT_NE(error_of(gz + "x", data.size()).find("trailing bytes"), std::string::npos);
  EXPECT_NE(error_of("", 0).find("empty file"), std::string::npos);
  EXPECT_NE(error_of("plain", 5).find("not a gzip stream"), std::string::npos);
  // Concatenated members are one stream.
  EXPECT_EQ(gunzip(gz + gz, 2 * data.size()).size(), 2 * data.size());
}

TEST(Gzip, RawPassThroughWhenAllowed) {
  const std::string raw = "uncompressed bytes";
  const auto out = gunzip(raw, raw.size(), GzipReadOptions{.allow_raw = true});
  EXPECT_EQ(std::string(out.begin(), out.end()), raw);
  EXPECT_NE(error_of(raw, raw.size() - 1, GzipReadOptions{.allow_raw = true}).find("past the expected"), std::string::npos);
  EXPECT_NE(error_of(raw, raw.size() + 1, GzipReadOptions{.allow_raw = true}).find("data ends after 18 bytes"),
            std::string::npos);
}

// The reader parses member headers itself: every optional field RFC 1952 allows (made by zlib's own
// gzip writer), and a header whose CRC-16 does not match is corrupt.
TEST(Gzip, HeaderFieldsAreSkippedAndChecked) {
  const std::string data = "guest memory with a named, commented, extra-field gzip header";
  z_stream zs{};
  ASSERT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string extra = "ab\x02\x00xy", name = "pmem", comment = "from a test";
  gz_header h{};
  h.extra = reinterpret_cast<Bytef*>(extra.data());
  h.extra_len = static_cast<uInt>(extra.size());
  h.name = reinterpret_cast<Bytef*>(name.data());
  h.comment = reinterpret_cast<Bytef*>(comment.data());
  h.hcrc = 1;
  ASSERT_EQ(deflateSetHeader(&zs, &h), Z_OK);
  std::string gz(1024, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(gz.data());
  zs.avail_out = static_cast<uInt>(gz.size());
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  gz.resize(zs.total_out);
  deflateEnd(&zs);

  const auto out = gunzip(gz, data.size());
  EXPECT_EQ(std::string(out.begin(), out.end()), data);
  std::string bad = gz;
  bad[12] ^= 1;  // in the extra field, under the header's CRC
  EXPECT_NE(error_of(bad, data.size()).find("header crc mismatch"), std::string::npos);
  EXPECT_NE(error_of(gz.substr(0, 14), data.size()).find("truncated"), std::string::npos);
}
