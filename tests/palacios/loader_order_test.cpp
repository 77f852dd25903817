// The writer against the loader's rules: for every context it emits, the sequence of (tag, exact
// size) is what Palacios's load function requests, in order. The tables below are transcribed from
// the spec (§2.2-§2.6, §3.1-§3.6), not taken from the writer.
#include <gtest/gtest.h>

#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/codec.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/palacios/test_support.hpp"

namespace cptx::palacios::test {
namespace {

struct Request {
  std::string tag;
  std::uint64_t size;
  bool operator==(const Request&) const = default;
};
using Requests = std::vector<Request>;

std::ostream& operator<<(std::ostream& o, const Request& r) { return o << r.tag << "/" << r.size; }

Requests suffixed(const Requests& rs, const std::string& prefix, const std::string& suffix) {
  Requests out;
  for (const auto& r : rs) out.push_back({prefix + r.tag + suffix, r.size});
  return out;
}

void append(Requests& a, const Requests& b) { a.insert(a.end(), b.begin(), b.end()); }

// §3.1
const Requests kPic = {{"MASTER_IRR", 1},   {"SLAVE_IRR", 1},   {"MASTER_ISR", 1},  {"SLAVE_ISR", 1},
                       {"MASTER_ELCR", 1},  {"SLAVE_ELCR", 1},  {"MASTER_ELCR_MASK", 1}, {"SLAVE_ELCR_MASK", 1},
                       {"MASTER_ICW1", 1},  {"MASTER_ICW2", 1}, {"MASTER_ICW3", 1}, {"MASTER_ICW4", 1},
                       {"SLAVE_ICW1", 1},   {"SLAVE_ICW2", 1},  {"SLAVE_ICW3", 1},  {"SLAVE_ICW4", 1},
                       {"MASTER_IMR", 1},   {"SLAVE_IMR", 1},   {"MASTER_OCW2", 1}, {"MASTER_OCW3", 1},
                       {"SLAVE_OCW2", 1},   {"SLAVE_OCW3", 1},  {"MASTER_STATE", 4}, {"SLAVE_STATE", 4}};

// §3.2
Requests pit() {
  const Requests channel = {{"ACCESS_MODE", 4},  {"ACCESS_STATE", 4}, {"RUN_STATE", 4},   {"OP_MODE", 4},
                            {"COUNTER", 2},      {"RELOAD_VALUE", 2}, {"LATCH_VALUE", 2}, {"LATCH_STATE", 4},
                            {"READ_STATE", 4},   {"PINS", 1}};
  Requests r = {{"PIT_COUNTER", 8}, {"PIT_RELOAD", 8}};
  for (int c = 0; c < 3; ++c) append(r, suffixed(channel, "PIT_CH" + std::to_string(c) + "_", ""));
  r.push_back({"PIT_SPEAKER", 1});
  return r;
}

// §3.3
Requests lapic(int cores) {
  const Requests apic = {{"BASE_ADDR", 8},         {"BASE_ADDR_MSR", 8},     {"LAPIC_ID", 4},
                         {"APIC_VER", 4},          {"EXT_APIC_CTRL", 4},     {"LOCAL_VEC_TBL", 4},
                         {"TMR_VEC_TBL", 4},       {"TMR_DIV_CFG", 4},       {"LINT0_VEC_TBL", 4},
                         {"LINT1_VEC_TBL", 4},     {"PERF_CTR_LOC_VEC_TBL", 4}, {"THERM_LOC_VEC_TBL", 4},
                         {"ERR_VEC_TBL", 4},       {"ERR_STATUS", 4},        {"SPURIOUS_INT", 4},
                         {"INT_CMD", 8},           {"LOG_DST", 4},           {"DST_FMT", 4},
                         {"ARB_PRIO", 4},          {"TASK_PRIO", 4},         {"PROC_PRIO", 4},
                         {"EXT_APIC_FEATURE", 4},  {"SPEC_EOI", 4},          {"TMR_CUR_CNT", 4},
                         {"TMR_INIT_CNT", 4},      {"EXT_INTR_VEC_TBL", 16}, {"REM_RD_DATA", 4},
                         {"IPI_STATE", 4},         {"INT_REQ_REG", 32},      {"INT_SVC_REG", 32},
                         {"INT_EN_REG", 32},       {"TRIG_MODE_REG", 32},    {"EOI", 4}};
  Requests r = {{"NUM_APICS", 4}};
  for (int i = 0; i < cores; ++i) append(r, suffixed(apic, "", std::to_string(i)));
  return r;
}

// §3.4
const Requests kIoApic = {{"BASE_ADDR", 8},  {"INDEX_REG", 4},     {"IOAPIC_ID", 4},
                          {"IOAPIC_VER", 4}, {"IOAPIC_ARB_ID", 4}, {"REDIR_TABLE", 192}};

// §3.5
Requests serial() {
  const Requests port = {{"RBR", 1},     {"THR", 1},     {"IER", 1},     {"IIR", 1},      {"FCR", 1},
                         {"LCR", 1},     {"MCR", 1},     {"LSR", 1},     {"MSR", 1},      {"SCR", 1},
                         {"DLL", 1},     {"DLM", 1},     {"int_state", 1}, {"TX_HEAD", 4}, {"TX_TAIL", 4},
                         {"TX_FULL", 4}, {"TX_DATA", 16}, {"RX_HEAD", 4}, {"RX_TAIL", 4}, {"RX_FULL", 4},
                         {"RX_DATA", 16}, {"IRQ_NUM", 4}};
  Requests r;
  for (int p = 0; p < 4; ++p) append(r, suffixed(port, "COM" + std::to_string(p) + "_", ""));
  return r;
}

// §3.6
const Requests kKeyboard = {{"CMD_REG", 1}, {"STATUS_REG", 1}, {"STATE", 4},        {"MOUSE_STATE", 4},
                            {"OUTPUT", 1},  {"INPUT", 1},      {"SCANCODE_SET", 1}, {"MOUSE_ENABLED", 1}};

// §2.5
Requests guest_info() {
  Requests r = {{"run_state", 4}, {"cpu_mode", 4}, {"mem_mode", 4}, {"CPL", 4}, {"RIP", 8}};
  for (const char* g : {"RDI", "RSI", "RBP", "RSP", "RBX", "RDX", "RCX", "RAX", "R8", "R9", "R10", "R11", "R12",
                        "R13", "R14", "R15", "CR0", "CR2", "CR3", "CR4", "CR8", "APIC_TPR", "RFLAGS", "EFER", "DR0",
                        "DR1", "DR2", "DR3", "DR6", "DR7"})
    r.push_back({g, 8});
  for (const char* s : {"CS", "DS", "ES", "FS", "GS", "SS", "LDTR", "GDTR", "IDTR", "TR"}) r.push_back({s, 16});
  for (const char* m : {"STAR", "LSTAR", "SFMASK", "KERN_GS_BASE", "GUEST_CR3", "GUEST_CR0", "GUEST_EFER"})
    r.push_back({m, 8});
  r.push_back({"FP_STATE_TYPE", 4});
  r.push_back({"FP_STATE_BLOB", 512});
  return r;
}

// §2.6, SVM
const Requests kVmcb = {{"CPL", 4},          {"STAR", 8},         {"CSTAR", 8},        {"LSTAR", 8},
                        {"SFMASK", 8},       {"KERNELGSBASE", 8}, {"SYSENTER_CS", 8},  {"SYSENTER_ESP", 8},
                        {"SYSENTER_EIP", 8}, {"VMCB_DATA", 4096}};

Requests written(const std::filesystem::path& dir, const std::string& name, Store store) {
  Requests r;
  for (const auto& e : read_context(dir, name, store, 1 << 20).entries) r.push_back({e.tag, e.value.size()});
  return r;
}

void check_loader_order(Store store) {
  TempDir dir;
  const int cores = 2;
  const std::uint64_t region = 2 * model::page_size;
  Target t;
  t.store = store;
  t.region_size = region;
  t.devices = default_devices();
  Report report;
  write_machine(model::power_on(cores, 5 * model::page_size), dir / "ck", t, report);

  // §2.9's context set for this VM (no IDE/PCI), one file each.
  std::map<std::string, Requests> expected = {
      {"PIC", kPic},           {"PIT", pit()},       {"keyboard", kKeyboard}, {"apic", lapic(cores)},
      {"ioapic", kIoApic},     {"serial", serial()}, {"header", {{"header", 47}}},
      {"devices", {{"num_devs", 4}, {"names", 6 * 32}}},
      {"memory_img", {{"region_size", 8}, {"num_regions", 4}, {"memory_img0", region}, {"memory_img1", region},
                      {"memory_img2", region}}},
  };
  for (int i = 0; i < cores; ++i) {
    expected["guest_info" + std::to_string(i)] = guest_info();
    expected["vmcb_data" + std::to_string(i)] = kVmcb;
  }
  std::vector<std::string> names;
  for (const auto& [name, requests] : expected) names.push_back(name);
  EXPECT_EQ(list_contexts(dir / "ck"), names);
  for (const auto& [name, requests] : expected) EXPECT_EQ(written(dir / "ck", name, store), requests) << name;
  EXPECT_EQ(guest_info().size(), 54u);
}

TEST(PalaciosLoaderOrder, TextfileContextsMatchTheLoadersRequests) { check_loader_order(Store::textfile); }
TEST(PalaciosLoaderOrder, FileContextsMatchTheLoadersRequests) { check_loader_order(Store::file); }

// §2.9: the names table lists the plain-hook devices newest first.
TEST(PalaciosLoaderOrder, DeviceTableListsDevicesNewestFirst) {
  TempDir dir;
  Target t;
  t.region_size = model::page_size;
  t.devices = default_devices();
  Report report;
  write_machine(model::power_on(1, model::page_size), dir / "ck", t, report);
  const auto ctx = read_context(dir / "ck", "devices", Store::textfile, 1 << 10);
  Bytes names(6 * 32, 0);
  const char* order[] = {"serial", "ioapic", "apic", "keyboard", "PIT", "PIC"};
  for (int k = 0; k < 6; ++k) std::copy_n(order[k], std::strlen(order[k]), names.begin() + 32 * k);
  EXPECT_EQ(ctx.entries.at(1).value, names);
}

}  // namespace
}  // namespace cptx::palacios::test
