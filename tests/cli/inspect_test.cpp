// The verbs that look inside a checkpoint: show, info --json, memory; and diff's provenance.
#include <gtest/gtest.h>

#include <sstream>

#include "model/json.hpp"
#include "model/power_on.hpp"
#include "tests/support/corpus.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using cptx::testing::run_cptx;
using cptx::testing::TempDir;
using cptx::testing::write_file;
using model::Json;

const std::string linux_cpt = (testing::gem5_linux_corpus / "cpt.200000001500").string();
const std::string selfcheck_cpt =
    (testing::gem5_linux_corpus.parent_path() / "selfcheck-32M" / "cpt.80000000500").string();

Json decode(const std::string& checkpoint) {
  const auto r = run_cptx({"decode", "-q", checkpoint});
  EXPECT_EQ(r.status, 0) << r.err;
  return Json::parse(r.out)["machine"];
}

// The value `show` prints on the line of `name` directly under the subtree line, as text.
std::map<std::string, std::string> shown_fields(const std::string& out) {
  std::map<std::string, std::string> fields;
  std::istringstream in(out);
  std::string line;
  std::getline(in, line);  // the subtree's own line
  while (std::getline(in, line)) {
    if (line.rfind("  ", 0) != 0 || line[2] == ' ') continue;  // deeper, or the notes
    std::istringstream words(line);
    std::string name, value;
    words >> name >> value;
    fields[name] = value;
  }
  return fields;
}

// The JSON value as show writes a leaf: hex strings as they are, numbers and booleans as JSON.
std::string as_shown(const Json& v) {
  if (!v.is_string()) return v.dump();
  return v.get<std::string>().empty() ? "(empty)" : v.get<std::string>();
}

void expect_show_matches_decode(const std::string& checkpoint, const std::string& path, const Json& subtree) {
  const auto r = run_cptx({"show", checkpoint, path});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind(path + "\n", 0), 0u) << r.out;
  const auto fields = shown_fields(r.out);
  std::size_t leaves = 0;
  for (const auto& [key, value] : subtree.items()) {
    if (value.is_object() || value.is_array()) continue;
    ++leaves;
    ASSERT_TRUE(fields.count(key)) << key << " missing from\n" << r.out;
    EXPECT_EQ(fields.at(key), as_shown(value)) << path << "." << key;
  }
  EXPECT_GT(leaves, 2u);
}

TEST(Show, ASubtreePrintsTheValuesDecodeGives) {
  const Json m = decode(linux_cpt);
  expect_show_matches_decode(linux_cpt, "cpu[0].regs", m["cpu"][0]["regs"]);
  expect_show_matches_decode(linux_cpt, "uart[0]", m["uart"][0]);
  expect_show_matches_decode(linux_cpt, "cpu[0].lapic.timer", m["cpu"][0]["lapic"]["timer"]);
}

TEST(Show, FieldsCarryTheirDeclaredUnitsAndTheWholeModelIsShown) {
  auto r = run_cptx({"show", linux_cpt, "platform.time"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("guest_ns        200000001 ns\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("guest_sub_ns    500 ps\n"), std::string::npos) << r.out;
  r = run_cptx({"show", linux_cpt});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("platform\n", 0), 0u) << r.out.substr(0, 200);
  EXPECT_NE(r.out.find("\ni8042\n"), std::string::npos);
  EXPECT_NE(r.out.find("\n    rip "), std::string::npos);  // under cpu, [0]
}

TEST(Show, APathThatDoesNotExistIsRefusedNamingTheValidChildren) {
  auto r = run_cptx({"show", linux_cpt, "cpu[0].regz"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("'cpu[0].regz': no such field"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cpu[0] has cpu[0].regs, cpu[0].rip"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  r = run_cptx({"show", linux_cpt, "cpu[1]"});  // one processor
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("cpu has cpu[0]\n"), std::string::npos) << r.err;
}

// Palacios cannot save the RTC: its reader fills in power-on state, and info and show say so.
TEST(Show, StateTheCheckpointDoesNotHoldIsMarkedNotShownAsSaved) {
  TempDir dir;
  const std::string pal = "palacios:" + (dir / "p").string();
  ASSERT_EQ(run_cptx({"convert", "-q", selfcheck_cpt, pal}).status, 0);
  auto r = run_cptx({"show", pal, "rtc"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("  [not saved]\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[not saved] rtc: Palacios cannot checkpoint the NVRAM"), std::string::npos) << r.out;
  r = run_cptx({"show", pal, "cpu[0].regs"});
  EXPECT_EQ(r.out.find("[not saved]"), std::string::npos) << r.out;

  r = run_cptx({"info", pal});
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line, rtc_line;
  while (std::getline(lines, line))
    if (line.rfind("rtc ", 0) == 0) rtc_line = line;
  EXPECT_NE(rtc_line.find("[not saved]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[not saved] platform.time.guest_ns: Palacios saves no time state"), std::string::npos) << r.out;

  r = run_cptx({"info", "--json", pal});
  ASSERT_EQ(r.status, 0) << r.err;
  bool rtc_unsaved = false;
  const Json info = Json::parse(r.out);
  for (const auto& u : info["unsaved"])
    rtc_unsaved = rtc_unsaved || (u["path"] == "rtc" && u["carry"] == "not carried");
  EXPECT_TRUE(rtc_unsaved) << r.out;
  // gem5 holds the RTC: nothing of it is marked.
  r = run_cptx({"info", selfcheck_cpt});
  EXPECT_EQ(r.out.find("rtc: "), std::string::npos) << r.out;
}

TEST(Info, JsonHoldsTheSummaryUnderDocumentedKeys) {
  const auto r = run_cptx({"info", "--json", linux_cpt});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json j = Json::parse(r.out);
  const Json m = decode(linux_cpt);
  EXPECT_EQ(j["info_version"], 1);
  EXPECT_EQ(j["format"], "gem5");
  EXPECT_EQ(j["source"], "gem5");
  EXPECT_EQ(j["time"]["guest_ns"], 200000001u);
  EXPECT_EQ(j["time"]["guest_sub_ns"], 500u);
  EXPECT_EQ(j["ram_size"], 128u << 20);
  ASSERT_EQ(j["ram_regions"].size(), 1u);
  EXPECT_EQ(j["ram_regions"][0]["backing"]["encoding"], "gzip");
  ASSERT_EQ(j["cpus"].size(), 1u);
  EXPECT_EQ(j["cpus"][0]["mode"], "long mode (64-bit), paging");
  EXPECT_EQ(j["cpus"][0]["paging"], true);
  EXPECT_EQ(fmt::format("0x{:x}", j["cpus"][0]["rip"].get<std::uint64_t>()), m["cpu"][0]["rip"]);
  EXPECT_EQ(fmt::format("0x{:x}", j["cpus"][0]["cr3"].get<std::uint64_t>()), m["cpu"][0]["cr"]["cr3"]);
  EXPECT_EQ(j["uarts"].size(), 1u);
  EXPECT_TRUE(j["unsaved"].is_array());
}

// A lossless copy compares equal; where it came from differs only with --provenance. The copy here
// is the model's JSON with its provenance rewritten, as a copy passed through other hands would be.
TEST(Diff, ProvenanceIsComparedOnlyWhenAsked) {
  TempDir dir;
  ASSERT_EQ(run_cptx({"convert", "-q", linux_cpt, "json:" + (dir / "m.json").string()}).status, 0);
  Json doc = Json::parse(testing::read_file(dir / "m.json"));
  doc["machine"]["platform"]["source_detail"] = "copied by hand";
  write_file(dir / "m.json", doc.dump());
  auto r = run_cptx({"diff", linux_cpt, "json:" + (dir / "m.json").string()});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = run_cptx({"diff", "--provenance", linux_cpt, "json:" + (dir / "m.json").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out.rfind("platform.source_detail: ", 0), 0u) << r.out;
  // Machine state still counts without --provenance.
  r = run_cptx({"diff", "--no-memory", linux_cpt,
                (testing::gem5_linux_corpus / "cpt.500000002000").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("cpu[0].rip: "), std::string::npos) << r.out;
}

// The bytes of a hexdump, its addresses and text columns aside.
std::vector<std::uint8_t> dumped_bytes(const std::string& out) {
  std::vector<std::uint8_t> bytes;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    const std::string hex = line.substr(18, line.find('|') - 18);
    std::istringstream words(hex);
    std::string b;
    while (words >> b) bytes.push_back(static_cast<std::uint8_t>(std::stoul(b, nullptr, 16)));
  }
  return bytes;
}

std::vector<std::uint8_t> physical(const std::string& checkpoint, std::uint64_t gpa, std::size_t len) {
  const auto r = run_cptx({"memory", checkpoint, "--at", fmt::format("{:#x}", gpa), "--len", std::to_string(len)});
  EXPECT_EQ(r.status, 0) << r.err;
  return dumped_bytes(r.out);
}

std::uint64_t entry(const std::string& checkpoint, std::uint64_t gpa) {
  const auto b = physical(checkpoint, gpa, 8);
  std::uint64_t v = 0;
  for (std::size_t i = b.size(); i-- > 0;) v = v << 8 | b[i];
  return v;
}

// The 4-level walk written out here, reading each table entry with a physical `memory --at`.
std::uint64_t walk(const std::string& checkpoint, std::uint64_t cr3, std::uint64_t linear) {
  constexpr std::uint64_t frame = 0x000ffffffffff000;
  std::uint64_t table = cr3 & frame;
  for (unsigned shift : {39u, 30u, 21u, 12u}) {
    const std::uint64_t e = entry(checkpoint, table + (linear >> shift & 511) * 8);
    EXPECT_TRUE(e & 1) << "not present at level " << shift;
    if (shift != 12 && shift != 39 && (e & 0x80)) return (e & frame & ~((1ull << shift) - 1)) | (linear & ((1ull << shift) - 1));
    table = e & frame;
  }
  return table | (linear & 0xfff);
}

TEST(Memory, VirtualAtRipReadsThePhysicalBytesThePageTablesName) {
  for (const std::string& cpt : {linux_cpt, selfcheck_cpt}) {
    SCOPED_TRACE(cpt);
    const Json cpu = decode(cpt)["cpu"][0];
    const std::uint64_t rip = std::stoull(cpu["rip"].get<std::string>(), nullptr, 16);
    const std::uint64_t cr3 = std::stoull(cpu["cr"]["cr3"].get<std::string>(), nullptr, 16);
    const std::uint64_t gpa = walk(cpt, cr3, rip);
    const auto r = run_cptx({"memory", cpt, "--virt", "--at", fmt::format("{:#x}", rip), "--len", "40"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.rfind(fmt::format("{:016x}  ", rip), 0), 0u) << r.out;
    const auto virt = dumped_bytes(r.out);
    EXPECT_EQ(virt.size(), 40u);
    EXPECT_EQ(virt, physical(cpt, gpa, 40));
    EXPECT_NE(virt, std::vector<std::uint8_t>(40, 0));  // code, not an empty page
  }
}

// Page tables written here by the rules of the SDM (vol. 3A, chapter 4), one mode at a time: each
// linear address must dump the 16 bytes placed at the physical address its tables name.
struct PagedCase {
  const char* name;
  std::uint64_t cr4, efer, cr3, linear, gpa;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> entries;  // (physical address, entry); 4-byte without PAE
};

TEST(Memory, VirtualWalksEveryPagingModeAndPageSize) {
  constexpr std::uint64_t pse = 1 << 4, pae = 1 << 5, la57 = 1 << 12, lme_lma = (1 << 8) | (1 << 10);
  constexpr std::uint64_t p = 1, rw = 2, ps = 0x80;
  const PagedCase cases[] = {
      // 32-bit paging: PDE 1 -> page table at 0x2000, PTE 3 -> 0x5000.
      {"32-bit, 4 KiB", 0, 0, 0x1000, 0x00403123, 0x5123, {{0x1000 + 1 * 4, 0x2000 | p | rw}, {0x2000 + 3 * 4, 0x5000 | p}}},
      // With CR4.PSE, PDE 3 maps a 4 MiB page at 4 MiB.
      {"32-bit, 4 MiB", pse, 0, 0x1000, 0x00c01234, 0x401234, {{0x1000 + 3 * 4, 0x400000 | p | ps}}},
      // PAE: PDPTE 1 -> directory at 0x4000; PDE 3 a 2 MiB page at 6 MiB; PDE 0 -> table at 0x7000, PTE 16 -> 0x6000.
      {"PAE, 2 MiB", pae, 0, 0x3020, 0x40601234, 0x601234, {{0x3020 + 1 * 8, 0x4000 | p}, {0x4000 + 3 * 8, 0x600000 | p | ps}}},
      {"PAE, 4 KiB", pae, 0, 0x3020, 0x40010abc, 0x6abc,
       {{0x3020 + 1 * 8, 0x4000 | p}, {0x4000 + 0 * 8, 0x7000 | p}, {0x7000 + 16 * 8, 0x6000 | p}}},
      // 5-level: PML5E 1 -> PML4 at 0x8000, PML4E 0 -> PDPT at 0x9000, PDPTE 1 a 1 GiB page at 0.
      {"5-level, 1 GiB", pae | la57, lme_lma, 0xa000, 0x0001000040010678, 0x10678,
       {{0xa000 + 1 * 8, 0x8000 | p}, {0x8000 + 0 * 8, 0x9000 | p}, {0x9000 + 1 * 8, 0 | p | ps}}},
  };
  for (const PagedCase& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    constexpr std::uint64_t ram_size = 8 << 20;
    std::string ram(ram_size, '\0');
    const unsigned entry_bytes = c.cr4 & pae ? 8 : 4;
    for (const auto& [at, e] : c.entries)
      for (unsigned i = 0; i < entry_bytes; ++i) ram[at + i] = static_cast<char>(e >> (8 * i));
    const std::string marker = fmt::format("{:<16}", c.name).substr(0, 16);
    ram.replace(c.gpa, marker.size(), marker);
    write_file(dir / "ram.raw", ram);
    model::Machine m = model::power_on(1, ram_size);
    m.memory.regions = {{0, ram_size, model::FileBacking{(dir / "ram.raw").string(), 0, model::Encoding::raw}}};
    m.cpu[0].cr.cr0 = 0x80000011;  // PG, ET, PE
    m.cpu[0].cr.cr3 = c.cr3;
    m.cpu[0].cr.cr4 = c.cr4;
    m.cpu[0].efer = c.efer;
    write_file(dir / "m.json", model::to_json(m).dump());
    const auto r = run_cptx({"memory", (dir / "m.json").string(), "--virt", "--at", fmt::format("{:#x}", c.linear),
                             "--len", "16"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.rfind(fmt::format("{:016x}  ", c.linear), 0), 0u) << r.out;
    const auto bytes = dumped_bytes(r.out);
    EXPECT_EQ(std::string(bytes.begin(), bytes.end()), marker) << r.out;
  }
}

TEST(Memory, HexdumpShowsAddressBytesAndText) {
  TempDir dir;
  std::string ram(2 * 4096, '\0');
  const std::string text = "Hello, guest!\x01\x7f-X";
  ram.replace(0x1000, text.size(), text);
  write_file(dir / "ram.raw", ram);
  model::Machine m = model::power_on(1, 2 * 4096);
  m.memory.regions = {{0, 2 * 4096, model::FileBacking{(dir / "ram.raw").string(), 0, model::Encoding::raw}}};
  write_file(dir / "m.json", model::to_json(m).dump());
  const auto r = run_cptx({"memory", (dir / "m.json").string(), "--at", "0x1000", "--len", "18"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "0000000000001000  48 65 6c 6c 6f 2c 20 67  75 65 73 74 21 01 7f 2d  |Hello, guest!..-|\n"
            "0000000000001010  58 00                                             |X.|\n");
}

TEST(Memory, RangesOutsideRamTooLongOrUntranslatableAreRefused) {
  TempDir dir;
  write_file(dir / "m.json", model::to_json(model::power_on(1, 1 << 20)).dump());
  const std::string m = (dir / "m.json").string();
  auto r = run_cptx({"memory", m, "--at", "0xffff0", "--len", "32"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("0x100000 is not RAM (RAM: 0x0-0xfffff)"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  r = run_cptx({"memory", m, "--at", "0", "--len", "1048577"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("must be 1 to 1048576 bytes"), std::string::npos) << r.err;
  r = run_cptx({"memory", m, "--at", "0x10", "--virt"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("cpu[0] is not in paged mode"), std::string::npos) << r.err;
  r = run_cptx({"memory", m, "--at", "zero"});
  EXPECT_EQ(r.status, 2);
  r = run_cptx({"memory", linux_cpt, "--virt", "--at", "0x0000800000000000"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("not canonical"), std::string::npos) << r.err;
  r = run_cptx({"memory", linux_cpt, "--virt", "--cpu", "1", "--at", "0"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--cpu 1: the checkpoint has 1 processor"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cptx
