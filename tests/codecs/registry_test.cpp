#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "codecs/registry.hpp"
#include "codecs/json/codec.hpp"
#include "codecs/mapping.hpp"
#include "codecs/mapping_reference.hpp"
#include "codecs/io/error.hpp"
#include "model/power_on.hpp"
#include "model/schema.hpp"
#include "reports/report.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

using cptx::testing::TempDir;
using cptx::testing::write_file;

TEST(Formats, EveryFormatOfTheCommandLineIsNamed) {
  for (const char* name : {"json", "palacios", "gem5", "gem5-2011", "qemu"}) EXPECT_NE(find_codec(name), nullptr) << name;
  EXPECT_EQ(find_codec("vmware"), nullptr);
}

// Every codec must say, for every model field, how it carries it: a row of its mapping tables, or a
// row the code of a device declares (mapped, approximated or not held). Only the model's own JSON
// format holds everything by one row.
TEST(Formats, EveryCodecDeclaresCoverageOfEveryModelField) {
  for (const Codec* c : all_codecs()) {
    for (const auto& f : model::field_list())
      if (f.leaf) {
        const CoverageRule* rule = coverage_of(c->coverage, f.path);
        ASSERT_NE(rule, nullptr) << c->name << " says nothing of " << f.path;
        if (c != &json_codec) {
          EXPECT_NE(rule->path, "") << c->name << " covers " << f.path << " by a catch-all row";
        }
      }
  }
}

// A table row names the model member once: its path comes from the model's describe names.
TEST(Formats, MappingRowsTakeTheirPathFromTheModel) {
  EXPECT_EQ(mapping::member_name(&model::PicChip::vector_base), "vector_base");
  EXPECT_EQ(mapping::member_name(&model::Gprs::r15), "r15");
  mapping::Coverage c;
  c.mapped("pic.master.imr", Carry::exact, "vmstate i8259 imr").mapped("pic.master.icw3", Carry::exact, "a table row");
  constexpr CoverageRule declared[] = {mapping::row("pic.master.icw3", mapping::defaulted("fixed"))};
  c.declare(declared);
  EXPECT_EQ(coverage_of(c.rules(), "pic.master.imr")->note, "vmstate i8259 imr");
  EXPECT_EQ(coverage_of(c.rules(), "pic.master.icw3")->carry, Carry::defaulted) << "the code beside the table refines its row";
  EXPECT_EQ(coverage_of(c.rules(), "pic.master.irr"), nullptr);
}

// Every row of every codec's coverage names a field of the model: a row whose path drifted from the
// model would govern nothing.
TEST(Formats, EveryCoverageRowNamesAModelField) {
  for (const Codec* c : all_codecs())
    for (const CoverageRule& r : c->coverage) {
      if (r.path.empty()) continue;
      const auto fields = model::field_list();
      EXPECT_TRUE(std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.path == r.path; }))
          << c->name << ": " << r.path;
    }
}

// docs/model.md is the field reference and every format's mapping of each field, generated.
TEST(Formats, DocsModelMdIsUpToDate) {
  std::ifstream in(std::string(CPTX_SOURCE_DIR) + "/docs/model.md");
  std::ostringstream committed;
  committed << in.rdbuf();
  EXPECT_TRUE(committed.str() == model_reference())
      << "docs/model.md is stale: regenerate it with `cptx schema --markdown > docs/model.md`";
}

TEST(Formats, DocsModelMdNamesEachFormatsMappingOfEachField) {
  const std::string md = model_reference();
  EXPECT_NE(md.find("| `pic.master.imr` | exact: 8259A entry MASTER_IMR (1 byte) |"), std::string::npos);
  EXPECT_NE(md.find("exact: vmstate i8259 (instance 0) imr |"), std::string::npos);
  EXPECT_NE(md.find("| `cpu[].fpu.fcs` | not carried: the 64-bit FXSAVE format Palacios saves has no FCS |"),
            std::string::npos);
}

TEST(Formats, PrefixNamesTheFormat) {
  TempDir dir;
  write_file(dir / "m.json", "{}");
  const Endpoint e = parse_input("json:" + (dir / "m.json").string());
  EXPECT_EQ(e.codec->name, "json");
  EXPECT_EQ(e.path, dir / "m.json");
}

TEST(Formats, InputFormatIsDetectedWithoutPrefix) {
  TempDir dir;
  write_file(dir / "a:b", "  \n{\"cptx_model\": 1}");
  EXPECT_EQ(parse_input((dir / "a:b").string()).codec->name, "json");
  write_file(dir / "junk", "hello");
  EXPECT_THROW(parse_input((dir / "junk").string()), UsageError);
}

TEST(Formats, OutputNeedsAFormatUnlessItIsJson) {
  EXPECT_EQ(parse_output("out.json").codec->name, "json");
  EXPECT_THROW(parse_output("out"), UsageError);
  EXPECT_THROW(parse_output("json:"), UsageError);
}

// A raw memory dump and the saving VM's configuration are Palacios notions: only the Palacios codec
// takes them, and the refusal names the flag as the user wrote it.
TEST(Formats, RawMemoryAndConfigInputOptionsAreTakenByPalaciosAlone) {
  const ReadOptions read{.raw_memory = "mem.raw", .config = {}, .state_only = false};
  const ReadOptions config{.raw_memory = {}, .config = "vm.xml", .state_only = false};
  WriteOptions write;
  write.raw_memory = "mem.raw";
  for (const Codec* c : all_codecs()) {
    SCOPED_TRACE(c->name);
    if (c->name == "palacios") {
      EXPECT_NO_THROW(check_read_options(*c, read, "input"));
      EXPECT_NO_THROW(check_read_options(*c, config, "input"));
      EXPECT_NO_THROW(check_write_options(*c, write));
      continue;
    }
    try {
      check_read_options(*c, read, "b");
      ADD_FAILURE() << "accepted";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), "--b-raw-memory does not apply to " + std::string(c->name) + " input");
    }
    EXPECT_THROW(check_read_options(*c, config, "input"), UsageError);
    EXPECT_THROW(check_write_options(*c, write), UsageError);
    EXPECT_NO_THROW(check_read_options(*c, ReadOptions{.raw_memory = {}, .config = {}, .state_only = true}, "input"));
  }
}

// A guest measures its clocks once, at boot: a clock that runs at another rate on the target must be
// named in the report, with both rates.
TEST(Formats, AClockThatWillRunAtAnotherRateIsReportedWithBothRates) {
  model::Machine m = model::power_on(1, 16 * model::page_size);
  const auto clock_notes = [&m](const Codec& target) {
    TempDir dir;
    Report report;
    target.write(m, dir / "out", {}, report);
    std::map<std::string, std::string> notes;
    for (const auto& f : report.findings())
      if (f.path.starts_with("platform.time.")) notes[f.path] = f.text;
    return notes;
  };
  using Notes = std::map<std::string, std::string>;

  // Measured on QEMU: an APIC timer clock of 1 GHz, the TSC's rate unknown.
  m.platform.time = {1'000'000, 0, 1'000'000'000};
  const Notes to_gem5 = clock_notes(*find_codec("gem5"));
  ASSERT_EQ(to_gem5.size(), 1u);
  EXPECT_NE(to_gem5.at("platform.time.lapic_timer_hz").find("ran at 1 GHz where the checkpoint was taken and runs "
                                                            "at 125 MHz in gem5: 0.125 times the rate"),
            std::string::npos);
  EXPECT_EQ(clock_notes(*find_codec("qemu")), Notes{});
  EXPECT_EQ(clock_notes(*find_codec("json")), Notes{});

  // Measured on gem5's fs.py machine.
  m.platform.time = {1'000'000, 2'000'000'000, 125'000'000};
  EXPECT_EQ(clock_notes(*find_codec("gem5-2011")), Notes{});
  const Notes to_qemu = clock_notes(*find_codec("qemu"));
  ASSERT_EQ(to_qemu.size(), 2u);
  EXPECT_NE(to_qemu.at("platform.time.tsc_hz").find("ran at 2 GHz where the checkpoint was taken and runs at its "
                                                     "host's rate in qemu"),
            std::string::npos);
  EXPECT_NE(to_qemu.at("platform.time.lapic_timer_hz").find("ran at 125 MHz where the checkpoint was taken and runs "
                                                            "at 1 GHz in qemu: 8 times the rate"),
            std::string::npos);
  const Notes to_palacios = clock_notes(*find_codec("palacios"));
  EXPECT_EQ(to_palacios.size(), 2u);
}

}  // namespace
}  // namespace cptx
