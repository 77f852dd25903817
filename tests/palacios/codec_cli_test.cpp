// The Palacios codec through the cptx command: the verbs on checkpoint directories, the write
// options, and bad input (exit 2, one line naming file, offset or line and tag, nothing written).
#include <gtest/gtest.h>

#include <sstream>

#include "codecs/palacios/codec.hpp"
#include "codecs/palacios/vm_config.hpp"
#include "model/hex.hpp"
#include "model/json.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/palacios/test_support.hpp"

namespace cptx::palacios::test {
namespace {

namespace fs = std::filesystem;
using cptx::testing::run_cptx;

// A small checkpoint (RAM in 4 KiB regions) written through the codec API.
fs::path small_checkpoint(const TempDir& dir, Store store, const std::string& name = "ck") {
  Target t;
  t.store = store;
  t.region_size = model::page_size;
  t.devices = default_devices();
  Report report;
  model::Machine m = model::power_on(2, 3 * model::page_size);
  m.cpu[0].regs.rax = 0x1234;
  write_machine(m, dir / name, t, report);
  return dir / name;
}

// `s` NUL-padded to `width` bytes, as hex.
std::string hex_of(const std::string& s, std::size_t width) {
  Bytes b(width, 0);
  std::copy(s.begin(), s.end(), b.begin());
  return hex_encode(b);
}

TEST(PalaciosCli, InfoDecodeAndDiffWorkOnADetectedCheckpoint) {
  TempDir dir;
  const auto ck = small_checkpoint(dir, Store::file);
  auto r = run_cptx({"info", ck.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("format   palacios"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cpu[1]"), std::string::npos) << r.out;
  r = run_cptx({"decode", "palacios:" + ck.string(), "-o", (dir / "m.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto m = model::from_json(model::Json::parse(cptx::testing::read_file(dir / "m.json")));
  EXPECT_EQ(m.cpu[0].regs.rax, 0x1234u);
  EXPECT_EQ(m.platform.source, model::System::palacios);
  r = run_cptx({"diff", ck.string(), (dir / "m.json").string()});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST(PalaciosCli, EncodeAndConvertWriteTheChosenStore) {
  TempDir dir;
  const auto ck = small_checkpoint(dir, Store::textfile);
  ASSERT_EQ(run_cptx({"decode", ck.string(), "-o", (dir / "m.json").string()}).status, 0);
  // The default store is textfile; --store file gives the binary one. The skeleton keeps the small
  // memory layout (without one, RAM goes in 128 MiB regions).
  auto r = run_cptx({"encode", (dir / "m.json").string(), "palacios:" + (dir / "t").string(), "--skeleton", ck.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(text(read_file(dir / "t" / "header")).substr(0, 9), "[header]\n");
  r = run_cptx({"convert", ck.string(), "palacios:" + (dir / "b").string(), "--store", "file", "--skeleton", ck.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir / "b" / "header").at(0), 0x23);
  // Only where the RAM bytes live differs (the bytes themselves are compared page by page).
  r = run_cptx({"diff", ck.string(), (dir / "b").string()});
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    EXPECT_TRUE(line.starts_with("memory.regions[") && line.find("].backing.") != std::string::npos) << line;
  r = run_cptx({"convert", ck.string(), "palacios:" + (dir / "x").string(), "--store", "net"});
  expect_error(r, {"--store net"});
  EXPECT_FALSE(fs::exists(dir / "x"));
}

const char* kVmXml = R"(<vm class="PC">
  <memory>1</memory>
  <cores count="2"><core/><core/></cores>
  <devices>
    <device class="8259A" id="PIC"/>
    <device class="8254_PIT" id="PIT"/>
    <device class="KEYBOARD" id="keyboard"/>
    <device class="LAPIC" id="apic"/>
    <device class="IOAPIC" id="ioapic"><apic>apic</apic></device>
    <device class="NVRAM"><id>nvram</id><storage>ide</storage></device>
    <device class="SERIAL" id="com"/>
  </devices>
</vm>
)";

// §5: device ids in document order, attributes or elements; NVRAM has no context.
TEST(PalaciosCli, TargetConfigDecidesDeviceIdsAndOrder) {
  TempDir dir;
  cptx::testing::write_file(dir / "vm.xml", kVmXml);
  const VmConfig cfg = read_vm_config(dir / "vm.xml");
  ASSERT_EQ(cfg.devices.size(), 7u);
  EXPECT_EQ(cfg.devices[5].id, "nvram");
  EXPECT_EQ(cfg.memory, 1u << 20);
  EXPECT_EQ(cfg.cores, 2u);

  const auto ck = small_checkpoint(dir, Store::textfile);
  ASSERT_EQ(run_cptx({"decode", ck.string(), "-o", (dir / "m.json").string()}).status, 0);
  // The model's 3 pages fit the target's 1 MiB (one 128 MiB region): the binary store keeps it small.
  // A VM of other RAM than the checkpoint's is refused unless --force-platform (docs/pairs.md).
  auto r = run_cptx({"encode", (dir / "m.json").string(), "palacios:" + (dir / "out").string(), "--store", "file",
                     "--target-config", (dir / "vm.xml").string(), "--force-platform"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "com"));
  EXPECT_FALSE(fs::exists(dir / "out" / "serial"));
  EXPECT_FALSE(fs::exists(dir / "out" / "nvram"));
  const auto devices = read_file(dir / "out" / "devices");
  const std::string names(devices.end() - 6 * 32, devices.end());
  EXPECT_EQ(names.substr(0, 4), std::string("com\0", 4));
  EXPECT_EQ(names.substr(5 * 32, 4), std::string("PIC\0", 4));

  // One core in the config, two in the model: Palacios would fail on guest_info1.
  std::string one_core = kVmXml;
  one_core.replace(one_core.find("count=\"2\""), 9, "count=\"1\"");
  cptx::testing::write_file(dir / "one.xml", one_core);
  expect_error(run_cptx({"encode", (dir / "m.json").string(), "palacios:" + (dir / "o2").string(),
                         "--target-config", (dir / "one.xml").string(), "--force-platform"}),
               {"1 cores"});
  EXPECT_FALSE(fs::exists(dir / "o2"));
}

TEST(PalaciosCli, TargetConfigIdsThatEscapeTheDirectoryAreRefused) {
  TempDir dir;
  const auto ck = small_checkpoint(dir, Store::textfile);
  for (const std::string id : {"../evil", "a/b", "..", "0123456789012345678901234567890123"}) {
    std::string xml = kVmXml;
    xml.replace(xml.find("id=\"com\""), 8, "id=\"" + id + "\"");
    cptx::testing::write_file(dir / "vm.xml", xml);
    const auto r = run_cptx({"convert", ck.string(), "palacios:" + (dir / "out").string(), "--target-config",
                             (dir / "vm.xml").string()});
    expect_error(r, {"vm.xml", "device[6]"});
    EXPECT_FALSE(fs::exists(dir / "out"));
    EXPECT_FALSE(fs::exists(dir / "evil"));
  }
}

// The skeleton's memory layout, unmapped devices and extended contexts carry over.
TEST(PalaciosCli, SkeletonSuppliesLayoutAndUnmappedContexts) {
  TempDir dir;
  const auto skel = small_checkpoint(dir, Store::textfile, "skel");
  // Add an HPET (plain hook, no entries) to the device table and an IDE context (extended hook, unlisted).
  write_file(skel / "hpet", bytes("[hpet]\n"));
  write_file(skel / "ide-0", bytes("[ide-0]\nERROR=00\n"));
  auto devices = text(read_file(skel / "devices"));
  const auto names_at = devices.find("names=");
  devices.replace(devices.find("num_devs=06"), 11, "num_devs=07");
  devices.insert(names_at + 6, hex_of("hpet", 32));
  write_file(skel / "devices", bytes(devices));

  const auto src = small_checkpoint(dir, Store::file, "src");
  const auto r = run_cptx({"convert", src.string(), "palacios:" + (dir / "out").string(), "--skeleton", skel.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir / "out" / "hpet"), read_file(skel / "hpet"));
  EXPECT_EQ(read_file(dir / "out" / "ide-0"), read_file(skel / "ide-0"));
  EXPECT_EQ(read_file(dir / "out" / "devices"), read_file(skel / "devices"));
  EXPECT_EQ(read_file(dir / "out" / "memory_img"), read_file(skel / "memory_img"));
}

// An Intel checkpoint: vmcs_data<i> instead of vmcb_data<i> (§2.6), the VMX header.
fs::path make_intel(const fs::path& ck) {
  for (const char* core : {"0", "1"}) {
    fs::remove(ck / (std::string("vmcb_data") + core));
    write_file(ck / (std::string("vmcs_data") + core),
               bytes("[vmcs_data" + std::string(core) + "]\nvmcs_data=" + std::string(8192, '7') + "\n"));
  }
  const std::string vmx = "v3vee palacios checkpoint version: x.x, VMX x.x";
  write_file(ck / "header", bytes("[header]\nheader=" + hex_encode(bytes(vmx)) + "\n"));
  return ck;
}

TEST(PalaciosCli, IntelCheckpointsReadWithoutTheSvmOnlyRegisters) {
  TempDir dir;
  const auto ck = make_intel(small_checkpoint(dir, Store::textfile));
  const auto r = run_cptx({"convert", ck.string(), (dir / "m.json").string(), "--report-json", (dir / "r.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto report = model::Json::parse(cptx::testing::read_file(dir / "r.json"));
  bool cstar_lost = false;
  for (const auto& f : report["findings"])
    if (f["path"] == "cpu[1].msr.cstar" && f["carry"] == "not carried") cstar_lost = true;
  EXPECT_TRUE(cstar_lost) << report.dump(1);
  const auto m = model::from_json(model::Json::parse(cptx::testing::read_file(dir / "m.json")));
  EXPECT_EQ(m.cpu[0].regs.rax, 0x1234u);
}

// With an Intel skeleton the VMCS pages are the skeleton's and the header says VMX.
TEST(PalaciosCli, IntelSkeletonGivesVmcsContexts) {
  TempDir dir;
  const auto skel = make_intel(small_checkpoint(dir, Store::textfile, "skel"));
  const auto src = small_checkpoint(dir, Store::file, "src");
  const auto r = run_cptx({"convert", src.string(), "palacios:" + (dir / "out").string(), "--skeleton", skel.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir / "out" / "vmcs_data1"), read_file(skel / "vmcs_data1"));
  EXPECT_EQ(read_file(dir / "out" / "header"), read_file(skel / "header"));
  EXPECT_FALSE(fs::exists(dir / "out" / "vmcb_data0"));
}

// Contexts cptx does not map are reported, not dropped silently.
TEST(PalaciosCli, UntranslatedDeviceContextsAreReported) {
  TempDir dir;
  const auto ck = small_checkpoint(dir, Store::textfile);
  write_file(ck / "hpet", bytes("[hpet]\n"));
  auto devices = text(read_file(ck / "devices"));
  devices.replace(devices.find("num_devs=06"), 11, "num_devs=07");
  devices.insert(devices.find("names=") + 6, hex_of("hpet", 32));
  write_file(ck / "devices", bytes(devices));
  write_file(ck / "ide-0-1", bytes("[ide-0-1]\nDRIVE_TYPE=00000000\n"));
  write_file(ck / "guest_info7", read_file(ck / "guest_info1"));
  const auto r = run_cptx({"convert", ck.string(), (dir / "m.json").string(), "--report-json", (dir / "r.json").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto json = cptx::testing::read_file(dir / "r.json");
  EXPECT_NE(json.find("device context 'hpet' (no entries) is not translated"), std::string::npos);
  EXPECT_NE(json.find("context 'ide-0-1' is not translated"), std::string::npos);
  EXPECT_NE(json.find("context 'guest_info7' is not translated"), std::string::npos);
  EXPECT_EQ(json.find("context 'guest_info1' is not translated"), std::string::npos);
}

// Each case damages one file of a good checkpoint; decode must fail naming the file and the spot.
struct Damage {
  const char* name;
  Store store;
  std::function<void(const fs::path&)> apply;
  std::vector<std::string> message;
};

void overwrite(const fs::path& p, std::size_t offset, const Bytes& b) {
  Bytes content = read_file(p);
  std::copy(b.begin(), b.end(), content.begin() + static_cast<std::ptrdiff_t>(offset));
  write_file(p, content);
}

TEST(PalaciosCli, BadCheckpointsGiveExitTwoAndAOneLineError) {
  const std::vector<Damage> cases = {
      {"missing context", Store::textfile, [](const fs::path& ck) { fs::remove(ck / "PIT"); }, {"PIT", "missing context"}},
      {"missing core", Store::file, [](const fs::path& ck) { fs::remove(ck / "guest_info0"); }, {"guest_info0"}},
      {"truncated file", Store::file,
       [](const fs::path& ck) { fs::resize_file(ck / "guest_info0", fs::file_size(ck / "guest_info0") - 3); },
       {"guest_info0", "offset"}},
      {"wrong boundary tag", Store::file, [](const fs::path& ck) { overwrite(ck / "PIC", 0, {0x24, 0x01, 0xcd, 0xab}); },
       {"PIC", "offset 0"}},
      {"length 2^63", Store::file,
       [](const fs::path& ck) { overwrite(ck / "apic", 4, {0, 0, 0, 0, 0, 0, 0, 0x80}); }, {"apic", "offset"}},
      {"odd hex digits", Store::textfile,
       [](const fs::path& ck) {
         auto t = text(read_file(ck / "ioapic"));
         t.replace(t.find("INDEX_REG=00000000"), 18, "INDEX_REG=0000000");
         write_file(ck / "ioapic", bytes(t));
       },
       {"ioapic", ":3", "INDEX_REG"}},
      {"wrong value size", Store::textfile,
       [](const fs::path& ck) {
         auto t = text(read_file(ck / "PIT"));
         t.replace(t.find("PIT_RELOAD="), 27, "PIT_RELOAD=00000000");
         write_file(ck / "PIT", bytes(t));
       },
       {"PIT", "PIT_RELOAD", "exactly 8 bytes"}},
      {"enum out of range", Store::textfile,
       [](const fs::path& ck) {
         auto t = text(read_file(ck / "PIT"));
         t.replace(t.find("PIT_CH1_RUN_STATE=") + 18, 8, "07000000");
         write_file(ck / "PIT", bytes(t));
       },
       {"PIT", "PIT_CH1_RUN_STATE", "out of range 0-2"}},
      {"model domain", Store::textfile,
       [](const fs::path& ck) {
         auto t = text(read_file(ck / "PIT"));
         t.replace(t.find("PIT_CH2_OP_MODE=") + 16, 8, "09000000");
         write_file(ck / "PIT", bytes(t));
       },
       {"ck", "pit.channel[2].mode"}},
      {"name with a slash", Store::textfile,
       [](const fs::path& ck) {
         auto t = text(read_file(ck / "devices"));
         t.replace(t.find("names=") + 6, 6, "2f2f2f");  // "///" in the first slot
         write_file(ck / "devices", bytes(t));
       },
       {"devices", "names", "slot 0"}},
      {"name ..", Store::textfile,
       [](const fs::path& ck) {
         auto t = text(read_file(ck / "devices"));
         t.replace(t.find("names=") + 6, 12, "2e2e00000000");
         write_file(ck / "devices", bytes(t));
       },
       {"devices", "names", "slot 0"}},
      {"entries out of order", Store::textfile,
       [](const fs::path& ck) {
         auto t = text(read_file(ck / "PIC"));
         t.replace(t.find("SLAVE_IRR"), 9, "SLAVE_ISR");
         write_file(ck / "PIC", bytes(t));
       },
       {"PIC", ":3", "SLAVE_ISR", "expected entry SLAVE_IRR"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    const auto ck = small_checkpoint(dir, c.store);
    c.apply(ck);
    const auto before = dir.names();
    expect_error(run_cptx({"convert", "palacios:" + ck.string(), (dir / "out.json").string()}), c.message);
    EXPECT_EQ(dir.names(), before);
  }
}

}  // namespace
}  // namespace cptx::palacios::test
