// Memory images: the real 128 MiB stores (exact size, constant memory, recompression), the v24 and
// 2011 keys that name them, and bad input (size mismatch, unsafe file names, bad store ids).
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <zlib.h>

#include "codecs/gem5/cpt_syntax.hpp"
#include "codecs/gem5/pmem.hpp"
#include "tests/support/corpus.hpp"
#include "tests/support/errors.hpp"

namespace fs = std::filesystem;
using namespace cptx::gem5;

namespace {

constexpr std::uint64_t k128M = 128u << 20;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "cptx-pmem-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

struct Digest {
  std::uint64_t size = 0;
  std::uint32_t crc = 0;
  std::size_t max_chunk = 0;
  void add(std::span<const std::uint8_t> c) {
    crc = static_cast<std::uint32_t>(crc32(crc, c.data(), static_cast<uInt>(c.size())));
    size += c.size();
    max_chunk = std::max(max_chunk, c.size());
  }
};

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

void write_file(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

std::string gzip_bytes(std::uint64_t n, std::uint8_t fill) {
  std::ostringstream out;
  cptx::io::GzipWriter w(out, "mem");
  std::vector<std::uint8_t> block(4096, fill);
  for (std::uint64_t done = 0; done < n; done += block.size()) w.write(std::span(block).first(std::min<std::uint64_t>(block.size(), n - done)));
  w.finish();
  return out.str();
}

std::string v24_cpt(const std::string& filename, const std::string& range_size, const std::string& store_id = "0") {
  return "\n[system.physmem]\nlal_addr=\nlal_cid=\nnbr_of_stores=1\n\n[system.physmem.store0]\nstore_id=" + store_id +
         "\nfilename=" + filename + "\nrange_size=" + range_size + "\n";
}

cptx::InputError image_error(const fs::path& dir, const std::string& cpt_text, Era era = Era::v24) {
  return cptx::testing::input_error_of([&] {
    const CptFile cpt = parse_cpt(cpt_text, (dir / "m5.cpt").string());
    const CptReader r(cpt, era);
    for (const MemoryImage& img : memory_images(r)) read_image(dir, img, [](auto) {});
  });
}

}  // namespace

class CorpusImage : public ::testing::TestWithParam<const char*> {};

TEST_P(CorpusImage, ExactSizeConstantMemoryAndRecompression) {
  const fs::path dir = cptx::testing::gem5_linux_corpus / GetParam();
  const CptFile cpt = read_cpt(dir / "m5.cpt");
  const auto images = memory_images(CptReader(cpt, Era::v24));
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].filename, "system.physmem.store0.pmem");
  EXPECT_EQ(images[0].section, "system.physmem.store0");
  EXPECT_EQ(images[0].size, k128M);

  const auto mtime = fs::last_write_time(dir / images[0].filename);
  const long rss_before = peak_rss_kib();
  TempDir out;
  Digest original;
  {
    ImageWriter writer(out.path, images[0], Z_DEFAULT_COMPRESSION, 2);
    read_image(dir, images[0], [&](std::span<const std::uint8_t> c) {
      original.add(c);
      if (std::all_of(c.begin(), c.end(), [](std::uint8_t b) { return b == 0; }))
        writer.write_zeros(c.size());
      else
        writer.write(c);
    });
    writer.finish();
  }
  EXPECT_EQ(original.size, k128M);
  EXPECT_LE(original.max_chunk, 64u << 10);
  // Streaming: 128 MiB went through, the peak grew by far less. (Not measurable under AddressSanitizer,
  // whose quarantine keeps up to 256 MiB of freed blocks resident.)
#ifndef CPTX_SANITIZE
  EXPECT_LT(peak_rss_kib() - rss_before, 32 * 1024);
#else
  (void)rss_before;
#endif
  EXPECT_EQ(fs::last_write_time(dir / images[0].filename), mtime);  // input untouched

  Digest again;
  read_image(out.path, images[0], [&](std::span<const std::uint8_t> c) { again.add(c); });
  EXPECT_EQ(again.size, original.size);
  EXPECT_EQ(again.crc, original.crc);
  EXPECT_LT(fs::file_size(out.path / images[0].filename), 2 * fs::file_size(dir / images[0].filename));
}

INSTANTIATE_TEST_SUITE_P(Gem5v24, CorpusImage, ::testing::Values("cpt.200000001500", "cpt.500000002000"),
                         [](const auto& param_info) { return std::string(param_info.param).substr(4); });

TEST(Image, SizeMustMatchDeclaredRangeSize) {
  TempDir d;
  write_file(d.path / "system.physmem.store0.pmem", gzip_bytes(8192, 0xAB));
  Digest ok;
  const CptFile cpt = parse_cpt(v24_cpt("system.physmem.store0.pmem", "8192"), "m5.cpt");
  read_image(d.path, memory_images(CptReader(cpt, Era::v24)).at(0), [&](auto c) { ok.add(c); });
  EXPECT_EQ(ok.size, 8192u);

  auto e = image_error(d.path, v24_cpt("system.physmem.store0.pmem", "16384"));
  EXPECT_EQ(e.where().file, (d.path / "system.physmem.store0.pmem").string());
  EXPECT_TRUE(e.where().offset.has_value());
  EXPECT_NE(std::string(e.what()).find("data ends after 8192 bytes, expected 16384"), std::string::npos);
  e = image_error(d.path, v24_cpt("system.physmem.store0.pmem", "4096"));
  EXPECT_NE(std::string(e.what()).find("past the expected 4096 bytes"), std::string::npos);
  e = image_error(d.path, v24_cpt("system.physmem.store0.pmem", "-1"));
  EXPECT_EQ(e.where().key, "system.physmem.store0:range_size");
}

TEST(Image, TruncatedGzip) {
  TempDir d;
  std::vector<std::uint8_t> noise(50000);
  std::uint32_t x = 1;
  for (auto& b : noise) b = static_cast<std::uint8_t>((x = x * 1103515245 + 12345) >> 16);
  std::ostringstream out;
  cptx::io::GzipWriter w(out, "mem");
  w.write(noise);
  w.finish();
  write_file(d.path / "img", out.str().substr(0, out.str().size() / 2));
  const auto e = image_error(d.path, v24_cpt("img", "50000"));
  EXPECT_EQ(e.where().file, (d.path / "img").string());
  EXPECT_NE(std::string(e.what()).find("truncated gzip stream"), std::string::npos);
}

TEST(Image, FilenameMustStayInsideTheCheckpoint) {
  TempDir d;
  fs::create_directories(d.path / "cpt");
  write_file(d.path / "outside.pmem", gzip_bytes(4096, 1));
  for (const char* name : {"../outside.pmem", "/etc/passwd", "sub/x.pmem", "..", ".", "a..b"}) {
    const auto e = image_error(d.path / "cpt", v24_cpt(name, "4096"));
    EXPECT_EQ(e.where().key, "system.physmem.store0:filename") << name;
    EXPECT_EQ(e.where().line, 9u) << name;
    EXPECT_NE(std::string(e.what()).find("unsafe file name"), std::string::npos) << name;
  }
  auto e = image_error(d.path / "cpt", v24_cpt("", "4096"));
  EXPECT_EQ(e.where().key, "system.physmem.store0:filename");
  fs::create_symlink(d.path / "outside.pmem", d.path / "cpt" / "link.pmem");
  e = image_error(d.path / "cpt", v24_cpt("link.pmem", "4096"));
  EXPECT_EQ(e.where().key, "system.physmem.store0:filename");
  EXPECT_NE(std::string(e.what()).find("outside the checkpoint directory"), std::string::npos);
  e = image_error(d.path / "cpt", v24_cpt("missing.pmem", "4096"));
  EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
}

TEST(Image, StoreKeys) {
  TempDir d;
  auto e = image_error(d.path, v24_cpt("x", "8", "1"));
  EXPECT_EQ(e.where().key, "system.physmem.store0:store_id");
  e = image_error(d.path, "\n[system.physmem]\nnbr_of_stores=2\n\n[system.physmem.store0]\nstore_id=0\nfilename=x\n"
                          "range_size=8\n\n[system.physmem.store1]\nstore_id=1\n");
  EXPECT_EQ(e.where().key, "system.physmem.store1:filename");
  EXPECT_NE(std::string(e.what()).find("missing required key"), std::string::npos);
  e = image_error(d.path, "\n[system.physmem]\nlal_addr=\n");
  EXPECT_EQ(e.where().key, "system.physmem:nbr_of_stores");

  // Two stores split at 3 GiB (v24 spec §1.6): only the keys are read here.
  const CptFile two = parse_cpt(
      "[system.physmem]\nnbr_of_stores=2\n[system.physmem.store0]\nstore_id=0\nfilename=system.physmem.store0.pmem\n"
      "range_size=3221225472\n[system.physmem.store1]\nstore_id=1\nfilename=system.physmem.store1.pmem\n"
      "range_size=1073741824\n",
      "m5.cpt");
  const auto images = memory_images(CptReader(two, Era::v24));
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[1].store_id, 1u);
  EXPECT_EQ(images[1].filename, "system.physmem.store1.pmem");
  EXPECT_EQ(images[0].size, 3u << 30);
}

TEST(Image, Era2011PhysmemFile) {
  TempDir d;
  write_file(d.path / "system.physmem.physmem", gzip_bytes(12288, 7));
  const std::string text = "\n[system.physmem]\nfilename=system.physmem.physmem\n_size=12288\nlal_addr=\nlal_cid=\n";
  const CptFile cpt = parse_cpt(text, "m5.cpt");
  const auto images = memory_images(CptReader(cpt, Era::v2011));
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].section, "system.physmem");
  Digest got;
  read_image(d.path, images[0], [&](auto c) { got.add(c); });
  EXPECT_EQ(got.size, 12288u);
  // 2011's `_size` reader: leading 0 is octal, so 030000 is 12288 too.
  const CptFile octal = parse_cpt("\n[system.physmem]\nfilename=system.physmem.physmem\n_size=030000\n", "m5.cpt");
  EXPECT_EQ(memory_images(CptReader(octal, Era::v2011)).at(0).size, 12288u);
  const auto e = image_error(d.path, "\n[system.physmem]\nfilename=../system.physmem.physmem\n_size=12288\n", Era::v2011);
  EXPECT_EQ(e.where().key, "system.physmem:filename");
}

TEST(Image, RawImageAccepted) {
  TempDir d;
  write_file(d.path / "raw.pmem", std::string(4096, '\x05'));
  Digest got;
  const CptFile cpt = parse_cpt(v24_cpt("raw.pmem", "4096"), "m5.cpt");
  read_image(d.path, memory_images(CptReader(cpt, Era::v24)).at(0), [&](auto c) { got.add(c); });
  EXPECT_EQ(got.size, 4096u);
}

TEST(ImageWriter, ChecksSizeAndNeverOverwrites) {
  TempDir d;
  const MemoryImage img{"system.physmem.store0", 0, "system.physmem.store0.pmem", 3u << 20};
  {
    ImageWriter w(d.path, img, Z_DEFAULT_COMPRESSION, 1);
    w.write_zeros(1u << 20);
    EXPECT_THROW(w.write_zeros(3u << 20), cptx::UsageError);
    EXPECT_THROW(w.finish(), cptx::UsageError);
  }
  EXPECT_FALSE(fs::exists(d.path / img.filename));  // unfinished file removed
  {
    ImageWriter w(d.path, img, Z_DEFAULT_COMPRESSION, 1);
    w.write_zeros(3u << 20);
    w.finish();
  }
  EXPECT_THROW(ImageWriter(d.path, img, Z_DEFAULT_COMPRESSION, 1), cptx::UsageError);
  EXPECT_TRUE(fs::exists(d.path / img.filename));
  Digest got;
  read_image(d.path, img, [&](auto c) { got.add(c); });
  EXPECT_EQ(got.size, 3u << 20);
  EXPECT_LT(fs::file_size(d.path / img.filename), 16u << 10);
  EXPECT_THROW(ImageWriter(d.path, MemoryImage{"s", 0, "../x", 1}, Z_DEFAULT_COMPRESSION, 1), cptx::InputError);
}
