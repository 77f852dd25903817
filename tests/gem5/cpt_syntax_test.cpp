// m5.cpt text: the real corpus files, gem5's reader rules, the writer's exact form, and
// write -> parse identity on random files.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

#include "codecs/gem5/cpt_syntax.hpp"
#include "codecs/gem5/lookup.hpp"
#include "codecs/io/error.hpp"
#include "tests/support/corpus.hpp"
#include "tests/support/errors.hpp"

namespace fs = std::filesystem;
using namespace cptx::gem5;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Equal as gem5 would see them (line numbers are not content).
bool same(const CptFile& a, const CptFile& b) {
  if (a.preamble != b.preamble || a.sections().size() != b.sections().size()) return false;
  for (std::size_t i = 0; i < a.sections().size(); ++i) {
    const Section& x = a.sections()[i];
    const Section& y = b.sections()[i];
    if (x.name() != y.name() || x.entries().size() != y.entries().size()) return false;
    for (std::size_t j = 0; j < x.entries().size(); ++j)
      if (x.entries()[j].key != y.entries()[j].key || x.entries()[j].value != y.entries()[j].value) return false;
  }
  return true;
}

using cptx::testing::input_error_of;

}  // namespace

class Corpus : public ::testing::TestWithParam<std::pair<const char*, std::uint64_t>> {};

TEST_P(Corpus, ParsesAndRewritesByteForByte) {
  const fs::path file = cptx::testing::gem5_linux_corpus / GetParam().first / "m5.cpt";
  const CptFile cpt = read_cpt(file);
  EXPECT_EQ(cpt.preamble.size(), 1u);
  EXPECT_TRUE(cpt.preamble[0].starts_with("## checkpoint generated: "));
  EXPECT_EQ(cpt.sections().front().name(), "system.pc.south_bridge.ide");
  EXPECT_EQ(cpt.sections().back().name(), "root.globals");
  EXPECT_EQ(write_cpt(cpt), slurp(file));
}

TEST_P(Corpus, KnownValuesReadBack) {
  const CptFile cpt = read_cpt(cptx::testing::gem5_linux_corpus / GetParam().first / "m5.cpt");
  const CptReader r(cpt, Era::v24);
  EXPECT_EQ(r.integer<Tick>("root.globals", "curTick"), GetParam().second);
  EXPECT_TRUE(r.boolean("root", "FullSystem"));
  EXPECT_EQ(split_array(r.string("root.globals", "version_tags")).size(), 29u);  // v24 spec §1.5

  // v24 spec §4.1 real PIC values.
  const std::string pic1 = "system.pc.south_bridge.pic1", pic2 = "system.pc.south_bridge.pic2";
  EXPECT_EQ(r.integer<std::uint8_t>(pic1, "IMR"), 251);
  EXPECT_EQ(r.integer<std::uint8_t>(pic1, "vectorOffset"), 0x30);
  EXPECT_EQ(r.integer<std::uint8_t>(pic1, "cascadeBits"), 4);
  EXPECT_TRUE(r.boolean(pic1, "cascadeMode"));
  EXPECT_TRUE(r.boolean(pic1, "autoEOI"));
  EXPECT_FALSE(r.boolean(pic1, "edgeTriggered"));
  EXPECT_EQ(r.integer<int>(pic1, "initControlWord"), 0);
  EXPECT_EQ(r.bool_array(pic1, "pinStates", 8), std::vector<bool>(8, false));
  EXPECT_EQ(r.integer<std::uint8_t>(pic2, "IMR"), 255);
  EXPECT_EQ(r.integer<std::uint8_t>(pic2, "vectorOffset"), 0x38);
  EXPECT_FALSE(r.boolean(pic2, "autoEOI"));

  // v24 spec §4.3: both LAPIC copies, 70 words, identical.
  for (const char* s : {"system.cpu.interrupts", "system.cpu.xc.0"}) {
    const auto regs = r.int_array<std::uint32_t>(s, "regs", 70);
    const std::vector<std::uint32_t> head{0, 327700, 16, 0, 0, 0, 16777216, 4294967295, 511};
    const std::vector<std::uint32_t> tail{131308, 65536, 1024, 67328, 1024, 254, 31251, 0, 3, 256};
    EXPECT_TRUE(std::equal(head.begin(), head.end(), regs.begin())) << s;
    EXPECT_TRUE(std::equal(tail.begin(), tail.end(), regs.begin() + 60)) << s;
    EXPECT_TRUE(r.boolean(s, "apicTimerEventScheduled"));
    EXPECT_EQ(r.integer<Tick>(s, "apicTimerEventTick") % 8000, 0u);
  }

  // v24 spec §9: misc registers and register blobs.
  const auto misc = r.int_array<std::uint64_t>("system.cpu.isa", "regVal", 205);
  EXPECT_EQ(misc[0], 0x80050033u);  // CR0
  EXPECT_EQ(misc[4], 0x6B0u);       // CR4
  EXPECT_EQ(misc[100], 0xD01u);     // EFER
  EXPECT_EQ(r.int_array<std::uint8_t>("system.cpu.xc.0", "regs.integer", 312).size(), 312u);
  EXPECT_TRUE(r.int_array<std::uint8_t>("system.cpu.xc.0", "regs.matrix", 0).empty());
  EXPECT_EQ(r.integer<std::uint32_t>("system.physmem", "nbr_of_stores"), 1u);
  EXPECT_EQ(r.integer<std::int64_t>("system.physmem.store0", "range_size"), 134217728);
}

INSTANTIATE_TEST_SUITE_P(Gem5v24, Corpus,
                         ::testing::Values(std::pair{"cpt.200000001500", std::uint64_t{200000001500}},
                                           std::pair{"cpt.500000002000", std::uint64_t{500000002000}}),
                         [](const auto& param_info) { return "tick" + std::to_string(param_info.param.second); });

TEST(CptParser, ReaderRules) {
  // v24 spec §1.4: leading white space skipped, trailing spaces trimmed, blank lines ignored, key and
  // value space-trimmed, first '=' splits, repeated section merges, repeated key overrides, `+=`
  // appends, lines before the first header ignored, no trailing newline needed.
  const CptFile cpt = parse_cpt(
      "junk = before\n"
      "\n \t[ a ] \n"
      "  k1 = v1  \n"
      "k2=x=y\n"
      "\n\n[b]\n"
      "k=1\n"
      "[a]\n"
      "k1=override\n"
      "k3=\n"
      "k3+=p\n"
      "k3+=q\n"
      "k4\t=\tv\t\n"
      "[b]\n"
      "k=2",
      "t");
  EXPECT_EQ(cpt.preamble, std::vector<std::string>{"junk = before"});
  ASSERT_EQ(cpt.sections().size(), 2u);
  const Section& a = cpt.sections()[0];
  EXPECT_EQ(a.name(), "a");
  ASSERT_EQ(a.entries().size(), 4u);
  EXPECT_EQ(a.entries()[0].key, "k1");
  EXPECT_EQ(a.entries()[0].value, "override");
  EXPECT_EQ(a.entries()[0].line, 11u);
  EXPECT_EQ(a.find("k2")->value, "x=y");
  EXPECT_EQ(a.find("k3")->value, " p q");
  EXPECT_EQ(a.find("k4\t")->value, "\tv\t");  // only spaces are trimmed
  EXPECT_EQ(cpt.sections()[1].find("k")->value, "2");
}

TEST(CptParser, ErrorsNameFileLineAndSection) {
  auto e = input_error_of([] { parse_cpt("## c\n\n[sec]\nk=v\nno equals here\n", "m5.cpt"); });
  EXPECT_EQ(e.where().file, "m5.cpt");
  EXPECT_EQ(e.where().line, 5u);
  EXPECT_EQ(e.where().offset, 16u);
  EXPECT_EQ(e.where().key, "sec");

  e = input_error_of([] { parse_cpt("## c\r\n\r\n[sec]\r\nk=v\r\n", "m5.cpt"); });
  EXPECT_EQ(e.where().line, 1u);
  EXPECT_NE(std::string(e.what()).find("carriage return"), std::string::npos);

  e = input_error_of([] { parse_cpt("[sec]\n = v\n", "m5.cpt"); });
  EXPECT_EQ(e.where().line, 2u);
  EXPECT_NE(std::string(e.what()).find("empty key"), std::string::npos);

  // A `#` line inside a section is not a comment (v24 spec §1.4).
  EXPECT_THROW(parse_cpt("[sec]\n# comment\n", "m5.cpt"), cptx::InputError);
}

TEST(CptReader, MissingRequiredKeyNamesSectionAndKey) {
  const CptFile cpt = parse_cpt("\n[system.cpu.xc.0]\n_pc=1\n", "m5.cpt");
  const CptReader r(cpt, Era::v24);
  auto e = input_error_of([&] { r.integer<Tick>("system.cpu.xc.0", "regs"); });
  EXPECT_EQ(e.where().key, "system.cpu.xc.0:regs");
  EXPECT_EQ(e.where().line, 2u);
  e = input_error_of([&] { r.boolean("root", "FullSystem"); });
  EXPECT_EQ(e.where().key, "root:FullSystem");
  EXPECT_FALSE(r.opt_integer<int>("system.cpu.xc.0", "missing"));
  EXPECT_EQ(r.opt_integer<int>("system.cpu.xc.0", "_pc"), 1);
  EXPECT_FALSE(r.opt_boolean("nosuch", "key"));
}

TEST(CptReader, WrongArrayLengthNamesKeyAndCounts) {
  const CptFile cpt = parse_cpt("[system.cpu.xc.0]\nregs.integer=1 2 3\n", "m5.cpt");
  const CptReader r(cpt, Era::v24);
  auto e = input_error_of([&] { r.int_array<std::uint8_t>("system.cpu.xc.0", "regs.integer", 312); });
  EXPECT_EQ(e.where().key, "system.cpu.xc.0:regs.integer");
  EXPECT_EQ(e.where().line, 2u);
  EXPECT_NE(std::string(e.what()).find("3 elements, expected 312"), std::string::npos);
  EXPECT_EQ(r.int_array<std::uint8_t>("system.cpu.xc.0", "regs.integer", std::nullopt).size(), 3u);
}

TEST(CptWriter, GemFiveLayout) {
  CptFile cpt;
  cpt.preamble.push_back("## checkpoint generated: Mon Jan  1 00:00:00 2024");
  cpt.section("root").set("FullSystem", "true");
  cpt.section("empty");
  Section& g = cpt.section("root.globals");
  g.set("curTick", "5");
  g.set("lal_addr", "");
  EXPECT_EQ(write_cpt(cpt),
            "## checkpoint generated: Mon Jan  1 00:00:00 2024\n\n[root]\nFullSystem=true\n\n[empty]\n\n"
            "[root.globals]\ncurTick=5\nlal_addr=\n");
}

TEST(CptWriter, RefusesWhatWouldNotReadBack) {
  for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"k", " v"}, {"k", "v "}, {"k", "a\nb"}, {"k", "v\r"}, {"a=b", "v"}, {"", "v"},
           {" k", "v"}, {"\tk", "v"}, {"k+", "v"}, {"[k", "v]"}, {"k\n", "v"}}) {
    CptFile cpt;
    cpt.section("s").set(key, value);
    EXPECT_THROW(write_cpt(cpt), cptx::UsageError) << key << "=" << value;
  }
  CptFile bracket;
  bracket.section("s").set("[k", "v");  // not a header: the line does not end with `]`
  EXPECT_EQ(write_cpt(bracket), "\n[s]\n[k=v\n");
  EXPECT_EQ(parse_cpt(write_cpt(bracket), "t").find("s")->find("[k")->value, "v");
  CptFile bad_name;
  bad_name.section(" s");
  EXPECT_THROW(write_cpt(bad_name), cptx::UsageError);
  CptFile bad_preamble;
  bad_preamble.preamble.push_back("[looks like a header]");
  EXPECT_THROW(write_cpt(bad_preamble), cptx::UsageError);
}

TEST(CptWriter, RefusesToOverwrite) {
  const fs::path dir = fs::temp_directory_path() / ("cptx-gem5-cpt-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  CptFile cpt;
  cpt.section("root").set("FullSystem", "true");
  write_cpt_file(cpt, dir / "m5.cpt");
  EXPECT_THROW(write_cpt_file(cpt, dir / "m5.cpt"), cptx::UsageError);
  EXPECT_TRUE(same(read_cpt(dir / "m5.cpt"), cpt));
  fs::remove_all(dir);
}

namespace {

// Text over the characters that matter to the reader's rules, repaired into what the writer accepts.
rc::Gen<std::string> text_gen() {
  return rc::gen::container<std::string>(rc::gen::elementOf(std::string(" \t\r=[]+#-_.:0123456789abcXYZ")));
}

std::string trim_spaces(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string make_key(std::string s) {
  std::erase(s, '=');
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.erase(0, 1);
  s = trim_spaces(s);
  if (s.empty()) s = "k";
  if (s.back() == '+') s += 'k';
  return s;
}

std::string make_value(std::string s) {
  s = trim_spaces(s);
  if (!s.empty() && s.back() == '\r') s += 'v';
  return s;
}

CptFile random_cpt() {
  CptFile cpt;
  const auto preamble = *rc::gen::container<std::vector<std::string>>(*rc::gen::inRange<std::size_t>(0, 3), text_gen());
  for (std::string line : preamble) {
    line = make_value("#" + line);
    cpt.preamble.push_back(line);
  }
  const auto sections = *rc::gen::container<std::vector<std::string>>(*rc::gen::inRange<std::size_t>(0, 16), text_gen());
  for (const std::string& name : sections) {
    Section& s = cpt.section(trim_spaces(name));
    const auto entries = *rc::gen::container<std::vector<std::pair<std::string, std::string>>>(
        *rc::gen::inRange<std::size_t>(0, 12), rc::gen::pair(text_gen(), text_gen()));
    for (const auto& [k, v] : entries) {
      std::string key = make_key(k), value = make_value(v);
      if (key.front() == '[' && !value.empty() && value.back() == ']') value += 'v';
      s.set(std::move(key), std::move(value));
    }
  }
  return cpt;
}

// Layout freedom the reader allows: leading white space, trailing spaces, blank lines, spaces around '='.
std::string add_noise(const std::string& text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;  // blank lines are optional
    out += *rc::gen::container<std::string>(rc::gen::elementOf(std::string(" \t\n")));
    if (line.front() != '#' && line.front() != '[' && *rc::gen::arbitrary<bool>()) {
      const std::size_t eq = line.find('=');
      line = line.substr(0, eq) + " = " + line.substr(eq + 1);
    }
    out += line + std::string(*rc::gen::inRange(0, 3), ' ') + "\n";
  }
  return out;
}

}  // namespace

RC_GTEST_PROP(CptProperty, WriteThenParseIsIdentity, ()) {
  const CptFile cpt = random_cpt();
  const std::string text = write_cpt(cpt);
  const CptFile back = parse_cpt(text, "p");
  RC_ASSERT(same(cpt, back));
  RC_ASSERT(write_cpt(back) == text);
}

RC_GTEST_PROP(CptProperty, ReaderIgnoresLayoutNoise, ()) {
  const CptFile cpt = random_cpt();
  const std::string noisy = add_noise(write_cpt(cpt));
  RC_ASSERT(same(parse_cpt(noisy, "p"), cpt));
}
