// `cptx verify` and the round trip under it: what the formats declare is expected, anything else is
// named with its path and both values. Broken codec variants, which exist only here, show that a
// mapping broken on purpose is caught and named.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "cli/verify.hpp"
#include "codecs/json/codec.hpp"
#include "model/json.hpp"
#include "model/power_on.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using cptx::testing::run_cptx;
using cptx::testing::TempDir;
using cptx::testing::write_file;

// The model's JSON format with one mapping broken: RBX is stored one higher than it is.
void write_rbx_off_by_one(const model::Machine& m, const fs::path& p, const WriteOptions& o, Report& r) {
  model::Machine broken = m;
  broken.cpu[0].regs.rbx += 1;
  json_codec.writer(broken, p, o, r);
}

// ...and with RAM broken: every region written as zeros.
void write_ram_as_zeros(const model::Machine& m, const fs::path& p, const WriteOptions& o, Report& r) {
  model::Machine broken = m;
  for (auto& region : broken.memory.regions) region.backing.reset();
  json_codec.writer(broken, p, o, r);
}

Codec variant_of_json(decltype(Codec::writer) writer, std::span<const CoverageRule> coverage = json_codec.coverage) {
  Codec c = json_codec;
  c.writer = writer;
  c.coverage = coverage;
  return c;
}

// The tests make an undeclared change fatal in every write (tests/support/main.cpp); verify must
// meet it as a user does, as a finding.
class UndeclaredChangesReported {
 public:
  UndeclaredChangesReported() {
    if (const char* v = std::getenv(name)) saved_ = v;
    setenv(name, "report", 1);
  }
  ~UndeclaredChangesReported() {
    if (saved_) setenv(name, saved_->c_str(), 1);
    else unsetenv(name);
  }

 private:
  static constexpr const char* name = "CPTX_UNDECLARED_CHANGES";
  std::optional<std::string> saved_;
};

// A machine with RAM that is not all zeros, as a model document in `dir`.
Endpoint source_in(const TempDir& dir) {
  model::Machine m = model::power_on(1, 1 << 20);
  m.cpu[0].regs.rbx = 0x1234;
  m.memory.regions[0].backing = model::FileBacking{"ram.bin", 0, model::Encoding::raw};
  std::string ram(1 << 20, '\0');
  ram[0x5123] = 7;
  write_file(dir / "ram.bin", ram);
  write_file(dir / "m.json", model::to_json(m).dump());
  return parse_input("json:" + (dir / "m.json").string());
}

TEST(Verify, AnUndeclaredChangeIsNamedWithItsPathAndBothValues) {
  TempDir dir;
  const Codec broken = variant_of_json(write_rbx_off_by_one);
  const Codec* via[] = {&broken};
  const UndeclaredChangesReported reported;
  const RoundTrip trip = round_trip(source_in(dir), via, {});
  EXPECT_FALSE(trip.holds());
  ASSERT_EQ(trip.changes.size(), 1u) << verify_text(trip);
  EXPECT_EQ(trip.changes[0].path, "cpu[0].regs.rbx");
  EXPECT_EQ(trip.changes[0].source, "\"0x1234\"");
  EXPECT_EQ(trip.changes[0].target, "\"0x1235\"");
  EXPECT_EQ(trip.changes[0].carry, Carry::exact);
  EXPECT_TRUE(trip.ram.empty());
  const std::string text = verify_text(trip);
  EXPECT_NE(text.find("UNDECLARED   cpu[0].regs.rbx: 0x1234 -> 0x1235 -> 0x1235  ("), std::string::npos) << text;
  const auto j = verify_json(trip);
  EXPECT_EQ(j["holds"], false);
  EXPECT_EQ(j["changes"][0]["carry"], "undeclared");
  ASSERT_EQ(j["fields"].size(), 1u) << j.dump(2);
  EXPECT_EQ(j["fields"][0]["values"], (model::Json{"\"0x1234\"", "\"0x1235\"", "\"0x1235\""})) << "each in its JSON form, as reports hold values";
  EXPECT_EQ(j["fields"][0]["carry"], "undeclared");
  EXPECT_EQ(j["fields"][0]["came_back"], false);
}

TEST(Verify, TheSameChangeDeclaredByTheFormatIsExpected) {
  TempDir dir;
  constexpr CoverageRule declared[] = {{"", Carry::exact, "the model itself"},
                                       {"cpu[].regs.rbx", Carry::approximated, "kept one higher"}};
  const Codec broken = variant_of_json(write_rbx_off_by_one, declared);
  const Codec* via[] = {&broken};
  const RoundTrip trip = round_trip(source_in(dir), via, {});
  EXPECT_TRUE(trip.holds()) << verify_text(trip);
  ASSERT_EQ(trip.changes.size(), 1u);
  EXPECT_EQ(trip.changes[0].path, "cpu[0].regs.rbx");
  EXPECT_EQ(trip.changes[0].carry, Carry::approximated);
  EXPECT_NE(trip.changes[0].note.find("kept one higher"), std::string::npos) << trip.changes[0].note;
}

// The way back restores RBX: the round trip ends as it began, yet the change on the way is a bug.
void write_rbx_back_by_one(const model::Machine& m, const fs::path& p, const WriteOptions& o, Report& r) {
  model::Machine broken = m;
  broken.cpu[0].regs.rbx -= 1;
  json_codec.writer(broken, p, o, r);
}

TEST(Verify, AnUndeclaredChangeOnTheWayIsABugEvenWhenTheWayBackUndoesIt) {
  TempDir dir;
  const Codec there = variant_of_json(write_rbx_off_by_one), back = variant_of_json(write_rbx_back_by_one);
  const Codec* via[] = {&there};
  const UndeclaredChangesReported reported;
  Endpoint src = source_in(dir);
  src.codec = &back;  // the source's own format, which the way back writes
  const RoundTrip trip = round_trip(src, via, {});
  EXPECT_TRUE(trip.changes.empty()) << verify_text(trip);
  EXPECT_FALSE(trip.holds());
  ASSERT_EQ(trip.fields.size(), 1u) << verify_text(trip);
  EXPECT_EQ(trip.fields[0].values, (std::vector<std::string>{"\"0x1234\"", "\"0x1235\"", "\"0x1234\""}));
  EXPECT_TRUE(trip.fields[0].came_back());
  const std::string text = verify_text(trip);
  EXPECT_NE(text.find("1 field changed on the way, 0 did not come back, 1 undeclared"), std::string::npos) << text;
  EXPECT_NE(text.find("UNDECLARED   cpu[0].regs.rbx: 0x1234 -> 0x1235 -> 0x1234  ("), std::string::npos) << text;
  EXPECT_NE(text.find(", came back\n"), std::string::npos) << text;
}

TEST(Verify, RamBytesThatDoNotComeBackAreNamed) {
  TempDir dir;
  const Codec broken = variant_of_json(write_ram_as_zeros);
  const Codec* via[] = {&broken};
  const RoundTrip trip = round_trip(source_in(dir), via, {});
  EXPECT_FALSE(trip.holds());
  EXPECT_TRUE(trip.changes.empty()) << verify_text(trip);
  ASSERT_EQ(trip.ram.size(), 1u);
  EXPECT_EQ(trip.ram[0], "memory.regions[0]: 1 page differ, the first at guest-physical 0x5000");
}

TEST(Verify, AnIntactRoundTripHoldsAndNamesNothing) {
  TempDir dir;
  const Codec* via[] = {&json_codec, &json_codec};
  const RoundTrip trip = round_trip(source_in(dir), via, {});
  EXPECT_TRUE(trip.holds());
  EXPECT_TRUE(trip.changes.empty()) << verify_text(trip);
  EXPECT_EQ(trip.route, (std::vector<std::string>{"json", "json", "json", "json"}));
  EXPECT_EQ(trip.hops.size(), 3u);
}

TEST(Verify, CommandGoesThroughEveryFormatInTurnAndLeavesNothingBehind) {
  TempDir dir, tmp;
  source_in(dir);
  setenv("TMPDIR", tmp.path().c_str(), 1);
  // Palacios's file store: its textfile store would spell a whole region of zeros out in hex.
  const auto r = run_cptx({"verify", "json:" + (dir / "m.json").string(), "--via", "all", "--store", "file"});
  unsetenv("TMPDIR");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  std::size_t at = 0;
  for (const Codec* c : all_codecs()) {
    at = r.out.find(fmt::format("json -> {} -> json: ", c->name), at);
    EXPECT_NE(at, std::string::npos) << c->name << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("UNDECLARED"), std::string::npos) << r.out;
  EXPECT_TRUE(tmp.names().empty());
}

TEST(Verify, BadArgumentsGiveExitTwo) {
  TempDir dir;
  source_in(dir);
  const std::string src = "json:" + (dir / "m.json").string();
  auto r = run_cptx({"verify", src, "--via", "gem5,nosuch"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("'nosuch' is not a format"), std::string::npos) << r.err;
  r = run_cptx({"verify", src});
  EXPECT_EQ(r.status, 2);
  r = run_cptx({"verify", (dir / "missing.json").string(), "--via", "json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cptx
