// LAPIC (§3.3): one NUM_APICS entry, then 33 entries per core's APIC, tags suffixed with the index.
#include <string>

#include "codecs/palacios/tables.hpp"

namespace cptx::palacios {

namespace {

using model::Lapic;
using model::LapicLvt;
using model::LapicTimer;

// Processor priority (Intel SDM 10.8.3.1): the TPR if its class is at least the highest in-service
// class, else that class. Palacios recomputes it on load and discards the saved value.
std::uint32_t ppr(const Lapic& a) {
  int isrv = 0;
  for (int v = 255; v >= 0; --v)
    if (a.isr.test(static_cast<unsigned>(v))) {
      isrv = v;
      break;
    }
  return (a.tpr >> 4) >= (isrv >> 4) ? a.tpr : static_cast<std::uint32_t>(isrv & 0xf0);
}

Fields apic(std::size_t i) {
  const std::string n = std::to_string(i);
  const std::string p = "cpu[" + n + "].lapic";
  auto a = [i](auto& s) -> auto& { return s.m.cpu[i].lapic; };
  auto lvt = [i](auto& s) -> auto& { return s.m.cpu[i].lapic.lvt; };
  auto tmr = [i](auto& s) -> auto& { return s.m.cpu[i].lapic.timer; };
  auto cpu = [i](auto& s) -> auto& { return s.m.cpu[i]; };
  return {
      // The MMIO base is the base field of IA32_APIC_BASE (bits 12-51).
      {"BASE_ADDR" + n, 8, "",
       [i](const State& s, std::span<std::uint8_t> out) { put_le(out, s.m.cpu[i].msr.apic_base & 0x000ffffffffff000); },
       [](State&, std::span<const std::uint8_t>) {}},
      num("BASE_ADDR_MSR" + n, 8, "cpu[" + n + "].msr", [i](auto& s) -> auto& { return s.m.cpu[i].msr; },
          &model::Msrs::apic_base),
      num("LAPIC_ID" + n, 4, p, a, &Lapic::id, 24),
      num("APIC_VER" + n, 4, p, a, &Lapic::version),
      fixed("EXT_APIC_CTRL" + n, 4, 0),
      fixed("LOCAL_VEC_TBL" + n, 4, 0),
      num("TMR_VEC_TBL" + n, 4, p + ".lvt", lvt, &LapicLvt::timer),
      num("TMR_DIV_CFG" + n, 4, p + ".timer", tmr, &LapicTimer::divide),
      num("LINT0_VEC_TBL" + n, 4, p + ".lvt", lvt, &LapicLvt::lint0),
      num("LINT1_VEC_TBL" + n, 4, p + ".lvt", lvt, &LapicLvt::lint1),
      num("PERF_CTR_LOC_VEC_TBL" + n, 4, p + ".lvt", lvt, &LapicLvt::perf),
      num("THERM_LOC_VEC_TBL" + n, 4, p + ".lvt", lvt, &LapicLvt::thermal),
      num("ERR_VEC_TBL" + n, 4, p + ".lvt", lvt, &LapicLvt::error),
      num("ERR_STATUS" + n, 4, p, a, &Lapic::esr),
      num("SPURIOUS_INT" + n, 4, p, a, &Lapic::svr),
      num("INT_CMD" + n, 8, p, a, &Lapic::icr),
      num("LOG_DST" + n, 4, p, a, &Lapic::ldr),
      num("DST_FMT" + n, 4, p, a, &Lapic::dfr),
      // Recomputed by Palacios on load: written as computed, not read.
      {"ARB_PRIO" + n, 4, "", [a](const State& s, std::span<std::uint8_t> out) { put_le(out, ppr(a(s))); },
       [](State&, std::span<const std::uint8_t>) {}},
      num("TASK_PRIO" + n, 4, p, a, &Lapic::tpr),
      {"PROC_PRIO" + n, 4, "", [a](const State& s, std::span<std::uint8_t> out) { put_le(out, ppr(a(s))); },
       [](State&, std::span<const std::uint8_t>) {}},
      fixed("EXT_APIC_FEATURE" + n, 4, 0),
      fixed("SPEC_EOI" + n, 4, 0),
      num("TMR_CUR_CNT" + n, 4, p + ".timer", tmr, &LapicTimer::current_count),
      num("TMR_INIT_CNT" + n, 4, p + ".timer", tmr, &LapicTimer::initial_count),
      fixed("EXT_INTR_VEC_TBL" + n, 16, 0),
      fixed("REM_RD_DATA" + n, 4, 0),
      // INIT_ST=0 (waiting for INIT-SIPI), SIPI=1, STARTED=2.
      {"IPI_STATE" + n, 4, "",
       [cpu](const State& s, std::span<std::uint8_t> out) {
         put_le(out, cpu(s).activity == model::Activity::wait_for_sipi ? 0 : 2);
       },
       [](State&, std::span<const std::uint8_t> in) {
         if (get_le(in) > 2) throw FieldProblem("IPI state out of range 0-2");
       }},
      vector_set("INT_REQ_REG" + n, p + ".irr", [i](const State& s) -> auto& { return s.m.cpu[i].lapic.irr; },
                 [i](State& s) -> auto& { return s.m.cpu[i].lapic.irr; }),
      vector_set("INT_SVC_REG" + n, p + ".isr", [i](const State& s) -> auto& { return s.m.cpu[i].lapic.isr; },
                 [i](State& s) -> auto& { return s.m.cpu[i].lapic.isr; }),
      // AMD's interrupt enable registers: Palacios initialises every vector enabled.
      {"INT_EN_REG" + n, 32, "", [](const State&, std::span<std::uint8_t> out) { std::fill(out.begin(), out.end(), 0xff); },
       [](State&, std::span<const std::uint8_t>) {}},
      vector_set("TRIG_MODE_REG" + n, p + ".tmr", [i](const State& s) -> auto& { return s.m.cpu[i].lapic.tmr; },
                 [i](State& s) -> auto& { return s.m.cpu[i].lapic.tmr; }),
      fixed("EOI" + n, 4, 0),
  };
}

}  // namespace

Fields lapic_fields(std::size_t cores) {
  Fields f = {{"NUM_APICS", 4, "",
               [](const State& s, std::span<std::uint8_t> out) { put_le(out, s.m.cpu.size()); },
               [](State& s, std::span<const std::uint8_t> in) {
                 // Palacios does not check it (P24); a mismatch would overrun its APIC array.
                 if (get_le(in) != s.m.cpu.size())
                   throw FieldProblem("NUM_APICS " + std::to_string(get_le(in)) + " differs from the " +
                                      std::to_string(s.m.cpu.size()) + " guest_info contexts");
               }}};
  for (std::size_t i = 0; i < cores; ++i)
    for (auto& x : apic(i)) f.push_back(std::move(x));
  return f;
}

}  // namespace cptx::palacios
