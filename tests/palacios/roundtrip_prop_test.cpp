// Properties over random contexts: each store round-trips, canonical input re-serializes byte for
// byte, the stores convert into each other losslessly, and tolerated text variants read the same.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cctype>

#include "codecs/palacios/store.hpp"
#include "tests/palacios/test_support.hpp"

namespace cptx::palacios::test {
namespace {

constexpr std::size_t kMax = 1 << 20;

Context parse(Store s, const Bytes& b) { return parse_context(s, "ctx", b, "ctx", kMax); }

// Streams `b` (a context of store `from`) through copy_entries into store `to`.
Bytes convert(Store from, Store to, const Bytes& b) {
  Bytes out;
  VectorSink sink(out);
  auto r = make_reader(from, std::make_unique<MemorySource>("ctx", b), "ctx");
  auto w = make_writer(to, sink, "ctx", "ctx");
  copy_entries(*r, *w);
  return out;
}

RC_GTEST_PROP(PalaciosStore, WriteThenReadIsIdentity, ()) {
  const auto ctx = *gen_context("ctx");
  for (Store s : {Store::file, Store::textfile}) RC_ASSERT(parse(s, serialize_context(s, ctx)) == ctx);
}

RC_GTEST_PROP(PalaciosStore, ParseThenWriteIsByteIdentical, ()) {
  const auto ctx = *gen_context("ctx");
  for (Store s : {Store::file, Store::textfile}) {
    const Bytes canonical = serialize_context(s, ctx);
    RC_ASSERT(serialize_context(s, parse(s, canonical)) == canonical);
  }
}

RC_GTEST_PROP(PalaciosStore, StoresConvertLosslessly, ()) {
  const auto ctx = *gen_context("ctx");
  const Bytes bin = serialize_context(Store::file, ctx);
  const Bytes txt = serialize_context(Store::textfile, ctx);
  RC_ASSERT(convert(Store::file, Store::textfile, bin) == txt);
  RC_ASSERT(convert(Store::textfile, Store::file, txt) == bin);
}

// A text rendering Palacios would accept for `ctx` (§1.5), with random tolerated deviations.
std::string tolerant_text(const Context& ctx) {
  const auto space = [] { return *rc::gen::container<std::string>(rc::gen::element(' ', '\t')); };
  const bool crlf = *rc::gen::arbitrary<bool>();
  const std::string eol = crlf ? "\r\n" : "\n";
  std::string s = *rc::gen::container<std::string>(rc::gen::element('\t', '\r', '\n'));
  s += "[" + ctx.name + "]" + eol;
  for (const auto& e : ctx.entries) {
    s += *rc::gen::container<std::string>(rc::gen::element(' ', '\t', '\n'));  // blank lines, indentation
    s += e.tag + space() + "=" + space();
    const bool upper = *rc::gen::arbitrary<bool>();
    for (auto byte : e.value) {
      static constexpr char kDigits[] = "0123456789abcdef";
      for (char d : {kDigits[byte >> 4], kDigits[byte & 0xf]}) {
        s += upper ? static_cast<char>(std::toupper(d)) : d;
        if (*rc::gen::inRange(0, 8) == 0) s += space();
      }
    }
    s += space() + eol;
  }
  if (!ctx.entries.empty() && *rc::gen::arbitrary<bool>()) s.resize(s.size() - eol.size());  // no final LF
  return s;
}

RC_GTEST_PROP(PalaciosStore, TolerantTextReadsTheSame, ()) {
  auto ctx = *gen_context("ctx");
  for (auto& e : ctx.entries) e.value.resize(std::min<std::size_t>(e.value.size(), 64));  // keep the rendering cheap
  RC_ASSERT(parse(Store::textfile, bytes(tolerant_text(ctx))) == ctx);
}

// Damaged input is rejected with an InputError or read; never a crash or another exception.
RC_GTEST_PROP(PalaciosStore, DamagedInputOnlyFailsWithInputError, ()) {
  const auto ctx = *gen_context("ctx");
  for (Store s : {Store::file, Store::textfile}) {
    Bytes b = serialize_context(s, ctx);
    const auto edits = *rc::gen::inRange(1, 4);
    for (int i = 0; i < edits && !b.empty(); ++i) {
      const auto at = *rc::gen::inRange<std::size_t>(0, b.size());
      switch (*rc::gen::inRange(0, 3)) {
        case 0: b[at] = *rc::gen::arbitrary<std::uint8_t>(); break;
        case 1: b.resize(at); break;
        default: b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), *rc::gen::arbitrary<std::uint8_t>());
      }
    }
    try {
      parse(s, b);
    } catch (const cptx::InputError& e) {
      RC_ASSERT(e.where().file == "ctx");
      RC_ASSERT(e.where().offset.has_value());
    }
  }
}

}  // namespace
}  // namespace cptx::palacios::test
