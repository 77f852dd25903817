// Pending events in the SVM VMCB control area (spec §3.12.3, AMD APM vol. 2 §15.20): the interrupt
// shadow at 0x068 and EXITINTINFO at 0x088, which Palacios re-injects at the next entry. Expected words
// are composed by hand from the architectural layout: vector 7:0, type 10:8, error code valid 11,
// valid 31, error code 63:32.
#include <gtest/gtest.h>

#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/palacios/fields.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/palacios/test_support.hpp"

namespace cptx::palacios::test {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kShadow = 0x068, kExitIntInfo = 0x088, kEventInj = 0x0a8;

Target small_target() {
  Target t;
  t.store = Store::file;
  t.region_size = model::page_size;
  t.devices = default_devices();
  return t;
}

model::Machine machine(const model::Events& ev) {
  model::Machine m = model::power_on(2, model::page_size);
  m.cpu[0].events = ev;
  return m;
}

Bytes vmcb_of(const fs::path& ck, std::size_t core = 0) {
  const Context ctx = read_context(ck, "vmcb_data" + std::to_string(core), Store::file, 1 << 20);
  for (const auto& e : ctx.entries)
    if (e.tag == "VMCB_DATA") return e.value;
  ADD_FAILURE() << "no VMCB_DATA";
  return {};
}

std::uint64_t word(const Bytes& vmcb, std::size_t offset) {
  return get_le(std::span(vmcb).subspan(offset, 8));
}

// A copy of checkpoint `in` whose core-0 VMCB has `edit` applied.
fs::path with_vmcb(const fs::path& in, const fs::path& out, const std::function<void(Bytes&)>& edit) {
  std::vector<Context> contexts;
  for (const auto& name : list_contexts(in)) {
    contexts.push_back(read_context(in, name, Store::file, 1 << 20));
    if (name == "vmcb_data0")
      for (auto& e : contexts.back().entries)
        if (e.tag == "VMCB_DATA") edit(e.value);
  }
  write_checkpoint(out, Store::file, contexts, false);
  return out;
}

void set_word(Bytes& vmcb, std::size_t offset, std::uint64_t v) { put_le(std::span(vmcb).subspan(offset, 8), v); }

bool has_finding(const Report& r, const std::string& path, Carry carry) {
  for (const auto& f : r.findings())
    if (f.path == path && f.carry == carry) return true;
  return false;
}

struct Case {
  const char* name;
  model::Events events;
  std::uint64_t exit_int_info, shadow;
};

TEST(PalaciosVmcbEvents, EachEventIsWrittenAsEXITINTINFOAndReadBack) {
  model::Events page_fault, ud, irq, nmi, sti;
  page_fault.exception = model::PendingException{14, 0x2};
  ud.exception = model::PendingException{6, std::nullopt};
  irq.interrupt = 0x31;
  nmi.nmi_pending = true;
  sti.shadow = model::InterruptShadow::sti;
  const Case cases[] = {
      {"none", {}, 0, 0},
      {"#PF with error code", page_fault, 0x0000'0002'8000'0b0eull, 0},
      {"#UD", ud, 0x8000'0306ull, 0},
      {"external interrupt", irq, 0x8000'0031ull, 0},
      {"NMI", nmi, 0x8000'0202ull, 0},
      {"STI shadow", sti, 0, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    Report report;
    write_machine(machine(c.events), dir / "ck", small_target(), report);
    const Bytes vmcb = vmcb_of(dir / "ck");
    EXPECT_EQ(word(vmcb, kExitIntInfo), c.exit_int_info);
    EXPECT_EQ(word(vmcb, kShadow), c.shadow);
    EXPECT_EQ(word(vmcb, kEventInj), 0u);
    EXPECT_EQ(word(vmcb_of(dir / "ck", 1), kExitIntInfo), 0u);
    const model::Machine back = read_machine(dir / "ck", report);
    EXPECT_EQ(back.cpu[0].events, c.events);
    EXPECT_EQ(back.cpu[1].events, model::Events{});
  }
}

// EXITINTINFO holds one event: the one delivered first is kept, the others are reported.
TEST(PalaciosVmcbEvents, WhatTheVmcbCannotHoldIsReported) {
  model::Events ev;
  ev.exception = model::PendingException{13, 0};
  ev.interrupt = 0x40;
  ev.nmi_pending = ev.nmi_blocked = ev.smi_pending = ev.init_pending = true;
  ev.sipi_vector = 0x9a;
  ev.shadow = model::InterruptShadow::mov_ss;
  TempDir dir;
  Report report;
  write_machine(machine(ev), dir / "ck", small_target(), report);
  const Bytes vmcb = vmcb_of(dir / "ck");
  EXPECT_EQ(word(vmcb, kExitIntInfo), 0x0000'0000'8000'0b0dull);
  EXPECT_EQ(word(vmcb, kShadow), 1u);
  for (const char* f : {"interrupt", "nmi_pending", "nmi_blocked", "smi_pending", "init_pending", "sipi_vector"})
    EXPECT_TRUE(has_finding(report, std::string("cpu[0].events.") + f, Carry::none)) << f;
  EXPECT_TRUE(has_finding(report, "cpu[0].events.shadow", Carry::approximated));
  const model::Machine back = read_machine(dir / "ck", report);
  EXPECT_EQ(back.cpu[0].events.exception, ev.exception);
  EXPECT_EQ(back.cpu[0].events.interrupt, std::nullopt);
  EXPECT_EQ(back.cpu[0].events.shadow, model::InterruptShadow::sti);

  // A pending NMI alone is written as one being delivered, which ignores the blocking.
  model::Events blocked;
  blocked.nmi_pending = blocked.nmi_blocked = true;
  Report r2;
  write_machine(machine(blocked), dir / "nmi", small_target(), r2);
  EXPECT_EQ(word(vmcb_of(dir / "nmi"), kExitIntInfo), 0x8000'0202ull);
  EXPECT_TRUE(has_finding(r2, "cpu[0].events.nmi_pending", Carry::approximated));
}

// A skeleton's own event state belongs to another moment of another guest: it is replaced, and
// EVENTINJ is left clear as Palacios leaves it after every exit.
TEST(PalaciosVmcbEvents, SkeletonEventStateIsNeverCarriedOver) {
  TempDir dir;
  Report report;
  write_machine(machine({}), dir / "base", small_target(), report);
  const auto skel = with_vmcb(dir / "base", dir / "skel", [](Bytes& v) {
    set_word(v, kShadow, 1);
    set_word(v, kExitIntInfo, 0x8000'0020ull);
    set_word(v, kEventInj, 0x8000'0021ull);
    set_word(v, 0x040, 0x1234'5000ull);  // IOPM_BASE_PA: the rest of the control area is kept
  });
  Target t = target_from_skeleton(skel);
  t.store = Store::file;
  write_machine(machine({}), dir / "out", t, report);
  Bytes vmcb = vmcb_of(dir / "out");
  EXPECT_EQ(word(vmcb, kShadow), 0u);
  EXPECT_EQ(word(vmcb, kExitIntInfo), 0u);
  EXPECT_EQ(word(vmcb, kEventInj), 0u);
  EXPECT_EQ(word(vmcb, 0x040), 0x1234'5000u);

  model::Events irq;
  irq.interrupt = 0x51;
  write_machine(machine(irq), dir / "out2", t, report);
  vmcb = vmcb_of(dir / "out2");
  EXPECT_EQ(word(vmcb, kExitIntInfo), 0x8000'0051ull);
  EXPECT_EQ(word(vmcb, kEventInj), 0u);
}

TEST(PalaciosVmcbEvents, ReadingFollowsWhatPalaciosInjectsAtTheNextEntry) {
  TempDir dir;
  Report report;
  write_machine(machine({}), dir / "base", small_target(), report);
  // EVENTINJ alone is injected as it is; a valid EXITINTINFO replaces it.
  auto back = read_machine(with_vmcb(dir / "base", dir / "inj", [](Bytes& v) { set_word(v, kEventInj, 0x8000'0022ull); }),
                           report);
  EXPECT_EQ(back.cpu[0].events.interrupt, 0x22);
  back = read_machine(with_vmcb(dir / "base", dir / "both",
                                [](Bytes& v) {
                                  set_word(v, kEventInj, 0x8000'0022ull);
                                  set_word(v, kExitIntInfo, 0x8000'0023ull);
                                }),
                      report);
  EXPECT_EQ(back.cpu[0].events.interrupt, 0x23);
  // Stale bits of an invalid EXITINTINFO mean nothing.
  back = read_machine(with_vmcb(dir / "base", dir / "stale", [](Bytes& v) { set_word(v, kExitIntInfo, 0x0b0e); }),
                      report);
  EXPECT_EQ(back.cpu[0].events, model::Events{});
  // A software interrupt (INT n) being delivered has no place in the model: reported.
  Report sw;
  back = read_machine(with_vmcb(dir / "base", dir / "sw", [](Bytes& v) { set_word(v, kExitIntInfo, 0x8000'0480ull); }),
                      sw);
  EXPECT_EQ(back.cpu[0].events, model::Events{});
  EXPECT_TRUE(has_finding(sw, "cpu[0].events", Carry::none));
}

TEST(PalaciosVmcbEvents, EventsTheHardwareWouldRefuseAreInputErrors) {
  TempDir dir;
  Report report;
  write_machine(machine({}), dir / "base", small_target(), report);
  const std::pair<const char*, std::uint64_t> bad[] = {
      {"type 5 is reserved", 0x8000'0500ull},
      {"exception vector 32 is above 31", 0x8000'0320ull},
      {"external interrupt (type 0) with an error code", 0x0000'0001'8000'0820ull},
  };
  int k = 0;
  for (const auto& [what, w] : bad) {
    SCOPED_TRACE(what);
    const auto ck = with_vmcb(dir / "base", dir / ("bad" + std::to_string(k++)),
                              [w = w](Bytes& v) { set_word(v, kExitIntInfo, w); });
    const auto e = input_error_of([&] { read_machine(ck, report); });
    EXPECT_EQ(e.where().file, (ck / "vmcb_data0").string());
    EXPECT_EQ(e.where().key, "VMCB_DATA");
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cptx::palacios::test
