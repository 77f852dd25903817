// Loss is never silent: for random machines, through every chain A → B → A and A → B → C → A of the
// formats, every field that differs between the original and the result is named as not exact in one
// of the chain's reports, and the RAM bytes are identical. Each write reads its output back
// (Codec::write), and in the tests a change no codec declares is an error: so a codec that changes a
// field it declares exact fails here, as the broken codecs below show.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <fstream>

#include <fmt/format.h>

#include "codecs/gem5/codec.hpp"
#include "codecs/json/codec.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/qemu/codec.hpp"
#include "reports/report.hpp"
#include "tests/support/arbitrary.hpp"
#include "model/power_on.hpp"
#include "tests/support/chain_check.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr std::uint64_t ram_pages = 16;

using testing::Format;
using testing::formats;

// A machine every format can hold the RAM of: pages of known bytes from GPA 0, and a guest time
// gem5's picosecond ticks and QEMU's signed nanoseconds can count.
model::Machine chain_machine(model::Machine m, const fs::path& dir, std::uint32_t seed) {
  std::string bytes(ram_pages * model::page_size, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131 + seed) >> (i % 7));
  const fs::path raw = dir / "ram.raw";
  std::ofstream(raw, std::ios::binary) << bytes;
  m.memory.regions = {{0, bytes.size(), model::FileBacking{raw.string(), 0, model::Encoding::raw}}};
  m.platform.time.guest_ns &= (std::uint64_t{1} << 52) - 1;
  model::derive(m);
  return m;
}

// Palacios writes whole regions of the target VM's size (128 MiB unless it says otherwise): a skeleton
// of the machine with regions of a few pages keeps each case small.
WriteOptions options_for(const Format& f, const model::Machine& m, const fs::path& dir) {
  WriteOptions o;
  o.store = f.store;
  if (f.codec == &palacios_codec) {
    o.skeleton = dir / fmt::format("skeleton-{}", f.store);
    if (!fs::exists(o.skeleton)) {
      palacios::Target t;
      t.store = f.store == "file" ? palacios::Store::file : palacios::Store::textfile;
      t.region_size = ram_pages / 2 * model::page_size;
      t.devices = palacios::default_devices();
      Report ignored;
      palacios::write_machine(m, o.skeleton, t, ignored);
    }
  }
  return o;
}

Report report_for(const Format& from, const Format& to) {
  return Report({std::string(from.name), from.codec->name, from.codec->coverage},
                {std::string(to.name), to.codec->name, to.codec->coverage});
}

// Writes `m` as `chain[0]`, translates it along the chain, and checks the property between the
// machine `chain[0]` holds and what comes back to it.
void check_chain(const model::Machine& m, std::span<const Format* const> chain, const fs::path& dir) {
  Report first = report_for(formats[0], *chain[0]);
  fs::path at = dir / "0";
  chain[0]->codec->write(m, at, options_for(*chain[0], m, dir), first);
  const model::Machine original = chain[0]->codec->read(at, first);

  std::vector<Report> reports;
  model::Machine now = original;
  for (std::size_t k = 1; k < chain.size(); ++k) {
    const fs::path next = dir / std::to_string(k);
    Report r = report_for(*chain[k - 1], *chain[k]);
    chain[k]->codec->write(now, next, options_for(*chain[k], original, dir), r);
    now = chain[k]->codec->read(next, r);
    reports.push_back(std::move(r));
    at = next;
  }

  std::string route;
  for (const Format* f : chain) route += std::string(route.empty() ? "" : " -> ") + std::string(f->name);
  const auto failures = testing::unnamed_changes(original, now, reports);
  if (!failures.empty()) RC_FAIL(fmt::format("{}: {}", route, failures.front()));
}

const Format* any_format_but(std::initializer_list<const Format*> not_these) {
  std::vector<const Format*> left;
  for (const Format& f : formats)
    if (std::find(not_these.begin(), not_these.end(), &f) == not_these.end()) left.push_back(&f);
  return *rc::gen::elementOf(left);
}

RC_GTEST_PROP(Chains, ThereAndBackNamesEveryChangedField, (const model::Machine& drawn)) {
  TempDir dir;
  const model::Machine m = chain_machine(drawn, dir.path(), *rc::gen::arbitrary<std::uint32_t>());
  const Format* a = any_format_but({});
  const Format* b = any_format_but({a});
  const Format* chain[] = {a, b, a};
  check_chain(m, chain, dir.path());
}

RC_GTEST_PROP(Chains, ThroughTwoOthersAndBackNamesEveryChangedField, (const model::Machine& drawn)) {
  TempDir dir;
  const model::Machine m = chain_machine(drawn, dir.path(), *rc::gen::arbitrary<std::uint32_t>());
  const Format* a = any_format_but({});
  const Format* b = any_format_but({a});
  const Format* c = any_format_but({a, b});
  const Format* chain[] = {a, b, c, a};
  check_chain(m, chain, dir.path());
}

// A codec that changes one field it declares exact, in the writer or in the reader: the mapping row
// flipped. The property sees it.
const Codec& broken(bool in_writer) {
  static const Codec writes_wrong = [] {
    Codec c = gem5_codec;
    c.writer = [](const model::Machine& m, const fs::path& p, const WriteOptions& o, Report& r) {
      model::Machine flipped = m;
      flipped.pic.master.imr ^= 0x10;
      gem5_codec.writer(flipped, p, o, r);
    };
    return c;
  }();
  static const Codec reads_wrong = [] {
    Codec c = gem5_codec;
    c.reader = [](const fs::path& p, const ReadOptions& o, Report& r) {
      model::Machine m = gem5_codec.reader(p, o, r);
      m.cpu[0].regs.rbx ^= 1;
      return m;
    };
    return c;
  }();
  return in_writer ? writes_wrong : reads_wrong;
}

TEST(Chains, AFlippedMappingRowIsCaught) {
  for (bool in_writer : {true, false}) {
    TempDir dir;
    const model::Machine m = chain_machine(model::power_on(1, 0), dir.path(), 7);
    const Format flipped{"gem5 with a flipped row", &broken(in_writer), ""};
    const Format* chain[] = {&formats[0], &flipped, &formats[0]};
    EXPECT_THROW(check_chain(m, chain, dir.path()), std::logic_error) << (in_writer ? "writer" : "reader");
  }
}

// A coverage row flipped: QEMU's codec claiming to hold the x87 FCS, which a QEMU stream does not
// save. The write reads its output back and finds the change no row declares.
TEST(Chains, ACoverageRowFlippedToExactIsCaught) {
  static const std::vector<CoverageRule> rows = [] {
    std::vector<CoverageRule> r(qemu_codec.coverage.begin(), qemu_codec.coverage.end());
    for (auto& row : r)
      if (row.path == "cpu[].fpu.fcs") row.carry = Carry::exact;
    return r;
  }();
  static const Codec claims_fcs = [] {
    Codec c = qemu_codec;
    c.coverage = rows;
    return c;
  }();
  TempDir dir;
  model::Machine m = chain_machine(model::power_on(1, 0), dir.path(), 7);
  m.cpu[0].fpu.fcs = 0x10;
  const Format flipped{"qemu with a flipped row", &claims_fcs, ""};
  const Format* chain[] = {&formats[0], &flipped, &formats[0]};
  EXPECT_THROW(check_chain(m, chain, dir.path()), std::logic_error);
}

}  // namespace
}  // namespace cptx
