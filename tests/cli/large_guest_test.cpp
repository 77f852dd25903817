// Guests above 3 GiB: RAM below the PCI hole and from 4 GiB on, carried byte for byte through every
// format that can hold it. The guests are sparse files of mostly zero pages, which every store but
// Palacios `textfile:` keeps without writing them out (holes, precompressed zero blocks, zero-page
// records), so gigabytes of RAM convert in seconds.
#include <gtest/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "model/json.hpp"
#include "model/power_on.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using cptx::testing::run_cptx;
using cptx::testing::TempDir;
using cptx::testing::write_file;

constexpr std::uint64_t gib = std::uint64_t{1} << 30;

// A sparse file of `size` bytes whose pages at `pages` (offsets) hold a pattern naming the offset.
void sparse_file(const fs::path& p, std::uint64_t size, const std::vector<std::uint64_t>& pages) {
  { std::ofstream create(p, std::ios::binary); }
  fs::resize_file(p, size);
  std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
  for (const std::uint64_t at : pages) {
    std::string page(model::page_size, '\0');
    for (std::size_t i = 0; i < page.size(); i += 16) page.replace(i, 16, fmt::format("{:016x}", at + i));
    f.seekp(static_cast<std::streamoff>(at));
    f.write(page.data(), static_cast<std::streamsize>(page.size()));
  }
  ASSERT_TRUE(f.flush());
}

// The model of a guest with `ram` bytes in the PC layout: [0, 3 GiB) and [4 GiB, 4 GiB + ram - 3 GiB),
// data at both ends of both ranges and here and there between.
fs::path split_guest(const TempDir& dir, std::uint64_t ram) {
  const std::uint64_t high = ram - model::pci_hole_start;
  sparse_file(dir / "low.bin", model::pci_hole_start, {0, 0x9f000, 0x12345000, model::pci_hole_start - 4096});
  // The QEMU reader indexes 4 GiB of a region at a time: an 8 GiB guest's RAM above the hole takes
  // two windows, and the pages at the edge between them must come from the right one.
  std::vector<std::uint64_t> high_pages{0, 0x40000000 % high, high - 4096};
  if (high > 4 * gib) high_pages.insert(high_pages.end(), {4 * gib - 4096, 4 * gib});
  sparse_file(dir / "high.bin", high, high_pages);
  model::Machine m = model::power_on(1, ram);
  m.memory.regions = {{0, model::pci_hole_start, model::FileBacking{"low.bin", 0, model::Encoding::raw}},
                      {model::pci_hole_end, high, model::FileBacking{"high.bin", 0, model::Encoding::raw}}};
  model::derive(m);
  write_file(dir / "guest.json", model::to_json(m).dump());
  return dir / "guest.json";
}

// `cptx diff` finds the same RAM map and contents (machine state the formats carry differently is
// other tests' business).
void expect_same_ram(const std::string& a, const std::string& b) {
  const auto r = run_cptx({"diff", a, b});
  ASSERT_NE(r.status, 2) << r.err;
  EXPECT_EQ(r.out.find("memory"), std::string::npos) << b << ":\n" << r.out;
  EXPECT_EQ(r.out.find("ram_size"), std::string::npos) << b << ":\n" << r.out;
}

void convert(const std::string& from, const std::string& to, std::vector<std::string> options = {}) {
  std::vector<std::string> args{"convert", "--quiet", from, to};
  args.insert(args.end(), options.begin(), options.end());
  const auto r = run_cptx(args);
  ASSERT_EQ(r.status, 0) << from << " -> " << to << ": " << r.err;
}

// Round the formats and back to Palacios: every reader and writer of RAM above 4 GiB on the way.
// Palacios `textfile:` is left out: hexadecimal text has no sparse form, so a 4 GiB guest (RAM up
// to 5 GiB, the hole written as zeros) is 10 GiB of text; its hole is read by the code the `file:`
// store's is.
void round_the_formats(std::uint64_t ram) {
  TempDir dir;
  const std::string guest = split_guest(dir, ram).string();
  const std::string palacios = "palacios:" + (dir / "p").string(), gem5 = "gem5:" + (dir / "g").string(),
                    qemu = "qemu:" + (dir / "q").string(), back = "palacios:" + (dir / "back").string();
  convert("json:" + guest, palacios, {"--store", "file"});
  expect_same_ram(guest, palacios);
  convert(palacios, gem5);
  convert(gem5, qemu);
  expect_same_ram(guest, qemu);
  convert(qemu, back, {"--store", "file"});
  expect_same_ram(guest, back);

  // gem5 2011's single range from address 0 cannot skip the hole.
  const auto r = run_cptx({"convert", guest, "gem5-2011:" + (dir / "old").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("RAM above 4 GiB cannot be written"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "old"));
}

TEST(LargeGuest, FourGiBRoundsTheFormatsWithItsRam) { round_the_formats(4 * gib); }

TEST(LargeGuest, EightGiBRoundsTheFormatsWithItsRam) { round_the_formats(8 * gib); }

// Palacios RAM is flat: data between 3 and 4 GiB is RAM the guest had, not a hole, and stays.
TEST(LargeGuest, PalaciosRamInTheHoleIsKept) {
  TempDir dir;
  sparse_file(dir / "ram.bin", 5 * gib, {0, 3 * gib + 0x5000, 5 * gib - 4096});
  model::Machine m = model::power_on(1, 5 * gib);
  m.memory.regions = {{0, 5 * gib, model::FileBacking{"ram.bin", 0, model::Encoding::raw}}};
  write_file(dir / "flat.json", model::to_json(m).dump());
  const std::string palacios = "palacios:" + (dir / "p").string();
  convert("json:" + (dir / "flat.json").string(), palacios, {"--store", "file"});
  expect_same_ram((dir / "flat.json").string(), palacios);
  const auto r = run_cptx({"convert", palacios, "gem5:" + (dir / "g").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("3-4 GiB hole"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cptx
