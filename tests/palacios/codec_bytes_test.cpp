// Byte-level facts of the spec the writer must reproduce, and guest RAM through memory_img.
#include <gtest/gtest.h>

#include "codecs/io/region_reader.hpp"
#include "codecs/palacios/byte_sink.hpp"
#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/store.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/palacios/tables.hpp"
#include "model/hex.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/palacios/spec_example.hpp"
#include "tests/palacios/test_support.hpp"

namespace cptx::palacios::test {
namespace {

namespace fs = std::filesystem;

Target pic_pit_target(Store store) {
  Target t;
  t.store = store;
  t.region_size = model::page_size;
  t.devices = {{"8259A", "PIC"}, {"8254_PIT", "PIT"}};
  return t;
}

// §1.5's worked example: a VM creating PIC then PIT.
TEST(PalaciosCodecBytes, DevicesContextIsTheSpecsWorkedExample) {
  TempDir dir;
  Report report;
  const auto m = model::power_on(1, model::page_size);
  write_machine(m, dir / "t", pic_pit_target(Store::textfile), report);
  write_machine(m, dir / "b", pic_pit_target(Store::file), report);
  EXPECT_EQ(read_file(dir / "t" / "devices"), kText);
  EXPECT_EQ(read_file(dir / "b" / "devices"), kBinary);
}

// §1.5: the SVM header context.
TEST(PalaciosCodecBytes, HeaderContextIsTheSpecsSvmHeader) {
  TempDir dir;
  Report report;
  write_machine(model::power_on(1, model::page_size), dir / "t", pic_pit_target(Store::textfile), report);
  EXPECT_EQ(text(read_file(dir / "t" / "header")),
            "[header]\nheader=76337665652070616c6163696f7320636865636b706f696e742076657273696f6e3a20782e782c2053564d2"
            "0782e78\n");
}

// §3.12.1's example segment.
TEST(PalaciosCodecBytes, SegmentLayoutMatchesTheSpecsExample) {
  model::Segment s;
  s.selector = 0x10;
  s.limit = 0xffffffff;
  s.type = 0xb;
  s.s = s.present = s.l = s.g = true;
  Bytes out(16);
  put_segment(out, s);
  EXPECT_EQ(hex_encode(out), "1000ffffffff00000000000000009b0a");
  EXPECT_EQ(get_segment(out), s);
}

// Palacios's serial rings (serial.c queue_data/dequeue_data): a byte is queued at head + 1, dequeued
// from tail + 1.
TEST(PalaciosCodecBytes, SerialFifoRingsFollowPalaciosQueueIndexing) {
  State s;
  s.m.uart[0].tx_fifo = {0x41, 0x42, 0x43};
  Bytes out;
  VectorSink sink(out);
  write_fields(*make_writer(Store::textfile, sink, "serial", "t"), serial_fields(), s);
  const std::string t = text(out);
  EXPECT_NE(t.find("COM0_TX_HEAD=03000000\nCOM0_TX_TAIL=00000000\nCOM0_TX_FULL=00000000\n"
                   "COM0_TX_DATA=00414243000000000000000000000000\n"),
            std::string::npos)
      << t;

  // A wrapped ring: tail 14, head 1 holds slots 15, 0, 1, oldest first.
  std::string wrapped = t;
  auto set = [&](const std::string& tag, const std::string& hex) {
    const auto at = wrapped.find(tag + "=") + tag.size() + 1;
    wrapped.replace(at, hex.size(), hex);
  };
  set("COM1_RX_HEAD", "01000000");
  set("COM1_RX_TAIL", "0e000000");
  set("COM1_RX_DATA", "b1b200000000000000000000000000c0");
  State back;
  auto in = make_reader(Store::textfile, std::make_unique<MemorySource>("t", std::span(
                                             reinterpret_cast<const std::uint8_t*>(wrapped.data()), wrapped.size())),
                        "serial");
  read_fields(*in, serial_fields(), back);
  EXPECT_EQ(back.m.uart[1].rx_fifo, (Bytes{0xc0, 0xb1, 0xb2}));
  EXPECT_EQ(back.m.uart[0].tx_fifo, (Bytes{0x41, 0x42, 0x43}));
}

// The bytes of a RAM region of a model, streamed from its backing.
Bytes region_bytes(const model::RamRegion& r) {
  RegionReader in(r);
  Bytes b(r.size);
  EXPECT_EQ(in.read(b), r.size);
  return b;
}

// RAM with a hole is laid out at its guest-physical addresses, the hole and the tail zero-filled,
// and read back as regions that reference the checkpoint's own file.
void check_ram_layout(Store store) {
  TempDir dir;
  Bytes low(2 * model::page_size), high(model::page_size);
  for (std::size_t k = 0; k < low.size(); ++k) low[k] = static_cast<std::uint8_t>(k * 7 + 1);
  for (std::size_t k = 0; k < high.size(); ++k) high[k] = static_cast<std::uint8_t>(k * 13 + 5);
  write_file(dir / "low.bin", low);
  write_file(dir / "high.hex", bytes(hex_encode(high)));
  model::Machine m = model::power_on(1, 0);
  m.memory.regions = {{0, low.size(), model::FileBacking{(dir / "low.bin").string(), 0, model::Encoding::raw}},
                      {4 * model::page_size, high.size(),
                       model::FileBacking{(dir / "high.hex").string(), 0, model::Encoding::hex}}};
  model::derive(m);
  Target t;
  t.store = store;
  t.region_size = 2 * model::page_size;
  t.devices = default_devices();
  Report report;
  write_machine(m, dir / "ck", t, report);

  const model::Machine back = read_machine(dir / "ck", report);
  ASSERT_EQ(back.memory.regions.size(), 3u);
  Bytes ram;
  for (const auto& r : back.memory.regions) {
    EXPECT_EQ(r.gpa, ram.size());
    ASSERT_TRUE(r.backing);
    EXPECT_EQ(fs::path(r.backing->path).filename(), "memory_img");
    const Bytes b = region_bytes(r);
    ram.insert(ram.end(), b.begin(), b.end());
  }
  Bytes expected = low;
  expected.resize(4 * model::page_size, 0);
  expected.insert(expected.end(), high.begin(), high.end());
  expected.resize(6 * model::page_size, 0);
  EXPECT_EQ(ram, expected);
  const auto json = report.to_json().dump();
  EXPECT_NE(json.find("hole [0x2000, 0x4000)"), std::string::npos) << json;
}

TEST(PalaciosCodecBytes, TextfileRamKeepsItsAddressesAndFillsHolesWithZeros) { check_ram_layout(Store::textfile); }
TEST(PalaciosCodecBytes, FileRamKeepsItsAddressesAndFillsHolesWithZeros) { check_ram_layout(Store::file); }

// §4: a raw dump from GPA 0 is the concatenation of the memory_img values; as a memory sink it
// replaces the memory_img context (the checkpoint is then loaded with option 1), as a source it
// supplies RAM to a checkpoint saved without one.
TEST(PalaciosCodecBytes, RawMemoryDumpIsTheConcatenationOfTheRegions) {
  TempDir dir;
  Bytes ram(3 * model::page_size);
  for (std::size_t k = 0; k < ram.size(); ++k) ram[k] = static_cast<std::uint8_t>(k * 31 + 3);
  write_file(dir / "ram.bin", ram);
  model::Machine m = model::power_on(1, 0);
  m.memory.regions = {{0, ram.size(), model::FileBacking{(dir / "ram.bin").string(), 0, model::Encoding::raw}}};
  model::derive(m);
  Target t;
  t.store = Store::file;
  t.region_size = 2 * model::page_size;
  t.devices = default_devices();
  Report report;
  write_machine(m, dir / "full", t, report);
  t.raw_memory = dir / "dump.raw";
  t.num_regions = 2;
  t.ram_size = 4 * model::page_size;  // the dump covers the target's RAM, as memory_img covers its regions
  write_machine(m, dir / "nomem", t, report);

  EXPECT_FALSE(fs::exists(dir / "nomem" / "memory_img"));
  Bytes expected = ram;
  expected.resize(4 * model::page_size, 0);
  EXPECT_EQ(read_file(dir / "dump.raw"), expected);
  const auto ctx = read_context(dir / "full", "memory_img", Store::file, 1 << 20);
  Bytes joined;
  for (std::size_t k = 2; k < ctx.entries.size(); ++k)
    joined.insert(joined.end(), ctx.entries[k].value.begin(), ctx.entries[k].value.end());
  EXPECT_EQ(joined, expected);

  const model::Machine back = read_machine(dir / "nomem", report, {.raw_memory = dir / "dump.raw", .config = {}, .state_only = false});
  ASSERT_EQ(back.memory.regions.size(), 1u);
  EXPECT_EQ(region_bytes(back.memory.regions[0]), expected);
  EXPECT_THROW(read_machine(dir / "full", report, {.raw_memory = dir / "dump.raw", .config = {}, .state_only = false}), UsageError);
}

}  // namespace
}  // namespace cptx::palacios::test
