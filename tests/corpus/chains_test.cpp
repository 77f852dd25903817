// The chain property over the real checkpoints of the corpus: every QEMU snapshot of the pairs and
// every gem5 checkpoint goes through other formats and back (A → B → A), and through two others and
// back (A → B → C → A, the middle formats rotating from checkpoint to checkpoint). Every field that
// differs between the checkpoint as read and the result is named as not exact in one of the chain's
// reports, and the RAM bytes are identical. (The corpus has no Palacios checkpoint: Palacios is a
// middle step only, written and read for the pair's palacios.xml.)
//
// The set is bounded for run time: every checkpoint of the 32 MiB guest goes through every format;
// of the 128 MiB guest, the first checkpoint of each source format does, without the textfile store
// (the contexts of the file store, as text, at twice the size), and the others take their one
// A → B → C → A chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/corpus/pairs.hpp"
#include "tests/support/chain_check.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;

const Format& qemu = formats[5];
const Format& gem5 = formats[3];

// A checkpoint of the corpus and its format.
struct Origin : CorpusCheckpoint {
  const Format* format;
};

std::vector<Origin> origins() {
  std::vector<Origin> out;
  for (auto& c : corpus_checkpoints()) out.push_back({c, c.snapshot ? &qemu : &gem5});
  return out;
}

struct Chain {
  Origin origin;
  std::vector<const Format*> through;  // the formats between the origin's and its own again
};

constexpr std::uint64_t big_ram_mib = 64;

std::uint64_t ram_mib(const std::string& pair) {
  return std::stoull(option_value(command_line(pair_dir(pair) / "qemu.cmdline"), "-m"));
}

std::vector<Chain> chains() {
  std::vector<Chain> out;
  std::size_t turn = 0;
  std::set<std::pair<std::string, const Format*>> first_seen;
  for (const Origin& o : origins()) {
    const bool big = ram_mib(o.pair) > big_ram_mib;
    const bool first = first_seen.insert({o.pair, o.format}).second;
    std::vector<const Format*> others;
    for (const Format& f : formats)
      if (&f != o.format) others.push_back(&f);
    for (const Format* b : others)
      if (!big || (first && b->store != "textfile")) out.push_back({o, {b}});
    out.push_back({o, {others[turn % others.size()], others[(turn + 1) % others.size()]}});
    ++turn;
  }
  return out;
}

class CorpusChain : public ::testing::TestWithParam<Chain> {};

TEST_P(CorpusChain, NamesEveryChangedFieldAndKeepsTheRam) {
  const Chain& chain = GetParam();
  const Origin& o = chain.origin;
  TempDir dir;
  const fs::path vm_xml = pair_dir(o.pair) / "palacios.xml";
  Report first;
  const model::Machine original =
      o.snapshot ? qemu_codec.read(plain_stream(*o.snapshot, dir), first) : gem5_codec.read(o.directory, first);

  std::vector<const Format*> route = {o.format};
  route.insert(route.end(), chain.through.begin(), chain.through.end());
  route.push_back(o.format);
  std::vector<Report> reports;
  model::Machine now = original;
  for (std::size_t k = 1; k < route.size(); ++k) {
    const Format& from = *route[k - 1];
    const Format& to = *route[k];
    WriteOptions write;
    ReadOptions read;
    if (to.codec == &palacios_codec) {
      write.store = to.store;
      write.target_config = vm_xml;  // regions of the guest's RAM size; read with it, the size comes back
      read.config = vm_xml;
    }
    Report r({std::string(from.name), from.codec->name, from.codec->coverage},
             {std::string(to.name), to.codec->name, to.codec->coverage});
    const fs::path out = dir / std::to_string(k);
    to.codec->write(now, out, write, r);
    now = to.codec->read(out, r, read);
    reports.push_back(std::move(r));
  }
  for (const auto& failure : unnamed_changes(original, now, reports)) ADD_FAILURE() << failure;
}

std::string chain_name(const Chain& c) {
  std::string out = c.origin.name + "_via";
  for (const Format* f : c.through) out += "_" + test_name(std::string(f->name));
  return out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusChain, ::testing::ValuesIn(chains()),
                         [](const auto& p) { return chain_name(p.param); });

}  // namespace
}  // namespace cptx::testing
