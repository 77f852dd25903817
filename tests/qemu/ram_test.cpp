// RAM records as a live save sends them (spec §3.2): a page may come several times, in PART and END
// sections, and the last copy wins; CONTINUE carries the block over from one section to the next.
#include <gtest/gtest.h>

#include <fstream>

#include "codecs/io/region_reader.hpp"
#include "codecs/qemu/ram.hpp"
#include "tests/support/run.hpp"

namespace cptx::qemu {
namespace {

using cptx::testing::TempDir;

constexpr std::uint64_t page = model::page_size, zero = 0x02, mem_size = 0x04, data = 0x08, eos = 0x10,
                        cont = 0x20;
constexpr std::uint64_t ram_pages = 16;

std::vector<std::uint8_t> filled(char c) { return std::vector<std::uint8_t>(page, static_cast<std::uint8_t>(c)); }

// The RAM sections of a live save at offset 0 of `p`: pc.ram of 16 pages and a ROM of 2, whose
// pages the index leaves out. In the end page 1 holds 'D', page 3 'C', every other page zeros.
void write_live_save(const std::filesystem::path& p) {
  std::ofstream file(p, std::ios::binary);
  WireWriter out(file, p.string());
  const auto section = [&](std::uint8_t type) {
    out.u8(type);
    out.be32(7);
  };
  const auto footer = [&] {
    out.be64(eos);
    out.u8(0x7e);
    out.be32(7);
  };
  const auto record = [&](std::uint64_t n, std::uint64_t flags, const char* block, char fill) {
    out.be64(n * page | flags | (block ? 0 : cont));
    if (block) out.name(block);
    if (flags == zero)
      out.u8(0);
    else
      out.bytes(filled(fill));
  };
  section(0x01);
  out.name("ram");
  out.be32(0);
  out.be32(ram_version);
  out.be64((ram_pages + 2) * page | mem_size);
  out.name(main_ram_block);
  out.be64(ram_pages * page);
  out.name("pc.bios");
  out.be64(2 * page);
  footer();

  section(0x02);  // the first pass
  record(1, data, "pc.ram", 'A');
  record(2, data, nullptr, 'B');
  record(3, zero, nullptr, 0);
  record(5, data, nullptr, 'E');
  footer();
  section(0x02);  // dirtied pages again, starting with CONTINUE from the section before
  record(5, zero, nullptr, 0);
  record(1, data, "pc.bios", 'R');  // the ROM's page 1 is not pc.ram's
  footer();
  section(0x03);
  record(2, zero, "pc.ram", 0);
  record(3, data, nullptr, 'C');
  record(1, data, nullptr, 'D');
  footer();
  out.flush();
}

std::vector<std::uint8_t> bytes_at(const std::filesystem::path& p, std::uint64_t offset) {
  std::ifstream f(p, std::ios::binary);
  f.seekg(static_cast<std::streamoff>(offset));
  std::vector<std::uint8_t> b(page);
  f.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(b.size()));
  return b;
}

TEST(QemuRam, ThePageIndexHoldsTheLastCopyOfEachPage) {
  TempDir dir;
  const auto p = dir / "ram.qemu";
  write_live_save(p);
  const auto index = index_pages(p.string(), 0, 0, ram_pages);
  ASSERT_EQ(index.size(), ram_pages);
  for (std::uint64_t n = 0; n < ram_pages; ++n) {
    if (n == 1 || n == 3) continue;
    EXPECT_EQ(index[n], 0u) << "page " << n;
  }
  ASSERT_NE(index[1], 0u);
  ASSERT_NE(index[3], 0u);
  EXPECT_EQ(bytes_at(p, index[1]), filled('D'));
  EXPECT_EQ(bytes_at(p, index[3]), filled('C'));
}

TEST(QemuRam, ThePageIndexCoversItsWindowOnly) {
  TempDir dir;
  const auto p = dir / "ram.qemu";
  write_live_save(p);
  const auto all = index_pages(p.string(), 0, 0, ram_pages);
  const auto window = index_pages(p.string(), 0, 3, 2);
  ASSERT_EQ(window.size(), 2u);
  EXPECT_EQ(window[0], all[3]);
  EXPECT_EQ(window[1], all[4]);
}

TEST(QemuRam, ARegionReadsTheLastCopyOfEachPage) {
  TempDir dir;
  const auto p = dir / "ram.qemu";
  write_live_save(p);
  const model::RamRegion region{0, ram_pages * page, model::FileBacking{p.string(), 0, model::Encoding::qemu}};
  std::vector<std::uint8_t> got(region.size);
  RegionReader reader(region);
  ASSERT_EQ(reader.read(got), got.size());
  std::vector<std::uint8_t> want(region.size, 0);
  std::fill_n(want.begin() + page, page, std::uint8_t{'D'});
  std::fill_n(want.begin() + 3 * page, page, std::uint8_t{'C'});
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace cptx::qemu
