// Every snapshot of the pairs through Palacios (written for the pair's palacios.xml) and gem5 and back
// to QEMU: no error, and every field the reports say was carried comes back as it was, RAM included.
#include <gtest/gtest.h>

#include "codecs/gem5/codec.hpp"
#include "codecs/io/ram_diff.hpp"
#include "codecs/io/region_reader.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/qemu/qemu_codec.hpp"
#include "reports/report.hpp"
#include "tests/corpus/pairs.hpp"
#include "tests/support/coverage_diff.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;

Report report_for(const Codec& from, const Codec& to) {
  return Report({std::string(from.name), from.name, from.coverage}, {std::string(to.name), to.name, to.coverage});
}

// One hop: `m` written by `to` and read back, checked against what `to` and the hop's report carry.
// `padded`: the hop may round the RAM up to this size (see below); the guest's RAM must still come
// back byte for byte, and the rest be zero.
model::Machine hop(const model::Machine& m, const Codec& from, const Codec& to, const fs::path& out,
                   const WriteOptions& options, std::uint64_t padded = 0) {
  Report report = report_for(from, to);
  to.write(m, out, options, report);
  model::Machine back = to.read(out, report);
  model::Machine seen = back;
  if (padded && back.platform.ram_size == padded && back.memory.regions.size() == 1 && m.memory.regions.size() == 1) {
    seen.platform.ram_size = m.platform.ram_size;
    seen.memory.regions[0].size = m.memory.regions[0].size;
  }
  EXPECT_EQ(describe(unexcused_differences(m, seen, to.coverage, report)), "") << to.name;
  EXPECT_EQ(seen.memory.regions.size(), m.memory.regions.size()) << to.name;
  if (seen.memory.regions.size() == m.memory.regions.size() && seen.memory.regions[0].size == m.memory.regions[0].size)
    for (const auto& d : diff_ram(m.memory, seen.memory)) ADD_FAILURE() << to.name << ": " << d;
  return back;
}

std::uint64_t nonzero_bytes_after(const model::RamRegion& region, std::uint64_t offset) {
  RegionReader reader(region);
  std::vector<std::uint8_t> buf(1 << 20);
  std::uint64_t at = 0, nonzero = 0;
  while (const std::size_t n = reader.read(buf)) {
    for (std::size_t i = 0; i < n; ++i)
      if (at + i >= offset && buf[i] != 0) ++nonzero;
    at += n;
  }
  return nonzero;
}

class PairConversion : public ::testing::TestWithParam<Snapshot> {};

TEST_P(PairConversion, ThroughPalaciosForThePairsVmAndBackKeepsWhatIsCarried) {
  const Snapshot& s = GetParam();
  TempDir dir;
  Report read_report;
  const model::Machine m = qemu_codec.read(plain_stream(s, dir), read_report);
  WriteOptions to_palacios;
  to_palacios.store = "file";  // the same contexts as textfile, at half the size
  to_palacios.target_config = pair_dir(s.pair) / "palacios.xml";
  // Palacios saves whole 128 MiB base regions and no RAM size (palacios-checkpoint spec §4, P9): the
  // 32 MiB self-checking guest comes back with 128 MiB, of which the last 96 are zero. The codec's
  // coverage calls platform.ram_size exact and its report does not mention the rounding, so only that
  // rounding is allowed here, by name, until the codec says so itself.
  const std::uint64_t block = 128ull << 20;
  const std::uint64_t padded = (m.platform.ram_size + block - 1) / block * block;
  model::Machine p = hop(m, qemu_codec, palacios_codec, dir / "palacios", to_palacios, padded);
  if (p.platform.ram_size != m.platform.ram_size) {
    ASSERT_EQ(p.platform.ram_size, padded);
    EXPECT_EQ(nonzero_bytes_after(p.memory.regions[0], m.platform.ram_size), 0u);
    // From here on the machine is the guest's again.
    p.platform.ram_size = m.platform.ram_size;
    p.memory.regions[0].size = m.memory.regions[0].size;
  }

  // The checkpoint has the contexts of the VM's devices, in the order Palacios creates them.
  std::vector<std::pair<std::string, std::string>> devices, want;
  for (const auto& d : palacios::target_from_skeleton(dir / "palacios").devices) devices.emplace_back(d.xml_class, d.id);
  for (const auto& d : palacios::default_devices()) want.emplace_back(d.xml_class, d.id);
  EXPECT_EQ(devices, want);

  hop(p, palacios_codec, qemu_codec, dir / "back.qemu", {});
}

TEST_P(PairConversion, ThroughGem5AndBackKeepsWhatIsCarried) {
  const Snapshot& s = GetParam();
  TempDir dir;
  Report read_report;
  const model::Machine m = qemu_codec.read(plain_stream(s, dir), read_report);
  const model::Machine g = hop(m, qemu_codec, gem5_codec, dir / "gem5", {});
  hop(g, gem5_codec, qemu_codec, dir / "back.qemu", {});
}

INSTANTIATE_TEST_SUITE_P(Corpus, PairConversion, ::testing::ValuesIn(pair_snapshots()),
                         [](const auto& p) { return test_name(p.param); });

}  // namespace
}  // namespace cptx::testing
