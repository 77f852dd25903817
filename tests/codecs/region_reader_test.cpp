#include <gtest/gtest.h>
#include <zlib.h>

#include "codecs/io/error.hpp"
#include "codecs/io/region_reader.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

using cptx::testing::TempDir;
using cptx::testing::write_file;

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + i / 4096);
  return v;
}

std::vector<std::uint8_t> read_all(const model::RamRegion& r, std::size_t chunk) {
  RegionReader reader(r);
  std::vector<std::uint8_t> out, buf(chunk);
  while (std::size_t n = reader.read(buf)) out.insert(out.end(), buf.begin(), buf.begin() + static_cast<long>(n));
  return out;
}

model::RamRegion region(std::uint64_t size, std::string path, std::uint64_t offset, model::Encoding e) {
  return {0, size, model::FileBacking{std::move(path), offset, e}};
}

TEST(RegionReader, RawFileAtAnOffset) {
  TempDir dir;
  const auto bytes = pattern(3 * 4096);
  write_file(dir / "ram", std::string(100, 'x') + std::string(bytes.begin(), bytes.end()));
  EXPECT_EQ(read_all(region(bytes.size(), (dir / "ram").string(), 100, model::Encoding::raw), 1000), bytes);
}

TEST(RegionReader, GzipStream) {
  TempDir dir;
  const auto bytes = pattern(5 * 4096);
  gzFile f = gzopen((dir / "ram.gz").c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
  const auto got = read_all(region(4 * 4096, (dir / "ram.gz").string(), 4096, model::Encoding::gzip), 3000);
  EXPECT_EQ(got, std::vector<std::uint8_t>(bytes.begin() + 4096, bytes.end()));
}

TEST(RegionReader, HexTextWithWhitespaceAndAnyChunking) {
  TempDir dir;
  const auto bytes = pattern(4096);
  std::string text = "[memory_img]\nmemory_img0=";
  const std::size_t start = text.size();
  static constexpr char digits[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    text += digits[bytes[i] >> 4];
    if (i % 97 == 0) text += " \r\n";  // whitespace even inside a byte
    text += digits[bytes[i] & 15];
  }
  write_file(dir / "memory_img", text + "\n");
  for (std::size_t chunk : {1u, 7u, 4096u})
    EXPECT_EQ(read_all(region(4096, (dir / "memory_img").string(), start, model::Encoding::hex), chunk), bytes);
}

TEST(RegionReader, ZeroRegionNeedsNoFile) {
  const model::RamRegion r{0, 8192, std::nullopt};
  EXPECT_EQ(read_all(r, 5000), std::vector<std::uint8_t>(8192, 0));
}

TEST(RegionReader, ShortBackingIsAnErrorNamingFileAndOffset) {
  TempDir dir;
  write_file(dir / "ram", std::string(4000, 'x'));
  try {
    read_all(region(4096, (dir / "ram").string(), 0, model::Encoding::raw), 4096);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, (dir / "ram").string());
    EXPECT_EQ(e.where().offset, 4000u);
  }
}

TEST(RegionReader, BadHexDigitIsAnError) {
  TempDir dir;
  write_file(dir / "m", "00zz" + std::string(8188, '0'));
  EXPECT_THROW(read_all(region(4096, (dir / "m").string(), 0, model::Encoding::hex), 4096), InputError);
}

TEST(RegionReader, MissingFileIsAnError) {
  EXPECT_THROW(RegionReader(region(4096, "/nonexistent/ram", 0, model::Encoding::raw)), InputError);
  EXPECT_THROW(RegionReader(region(4096, "/nonexistent/ram", 0, model::Encoding::gzip)), InputError);
}

}  // namespace
}  // namespace cptx
