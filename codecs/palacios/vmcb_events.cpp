#include "codecs/palacios/vmcb_events.hpp"

#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace cptx::palacios {

namespace {

// One event as EXITINTINFO and EVENTINJ hold it: vector bits 7:0, type 10:8, error code valid 11,
// valid 31, error code 63:32 (APM vol. 2 §15.20).
struct Event {
  std::uint8_t vector = 0;
  std::optional<std::uint32_t> error_code;
};

constexpr std::uint64_t kValid = 1ull << 31, kErrorCodeValid = 1ull << 11;

// The event types and the model field each is. In the order one is chosen when the model has several,
// since EXITINTINFO holds one: an exception first; then an external interrupt, which the APIC has
// already moved to its ISR and which is therefore lost for good if dropped; then an NMI.
struct EventKind {
  std::uint8_t type;
  std::string_view name;
  std::string_view field;  // under cpu[i].events; "" if the model has no such event
  bool error_code;         // the type may carry an error code
  std::uint8_t max_vector;
  std::optional<Event> (*get)(const model::Events&);
  void (*set)(model::Events&, const Event&);
};

constexpr EventKind kinds[] = {
    {3, "exception", "exception", true, 31,
     [](const model::Events& e) -> std::optional<Event> {
       if (!e.exception) return std::nullopt;
       return Event{e.exception->vector, e.exception->error_code};
     },
     [](model::Events& e, const Event& v) { e.exception = model::PendingException{v.vector, v.error_code}; }},
    {0, "external interrupt", "interrupt", false, 255,
     [](const model::Events& e) -> std::optional<Event> {
       if (!e.interrupt) return std::nullopt;
       return Event{*e.interrupt, std::nullopt};
     },
     [](model::Events& e, const Event& v) { e.interrupt = v.vector; }},
    // The vector of an NMI is ignored by the hardware; 2 is what it reports.
    {2, "NMI", "nmi_pending", false, 255,
     [](const model::Events& e) -> std::optional<Event> {
       if (!e.nmi_pending) return std::nullopt;
       return Event{2, std::nullopt};
     },
     [](model::Events& e, const Event&) { e.nmi_pending = true; }},
    {4, "software interrupt", "", false, 255, nullptr, nullptr},
};

const EventKind* kind_of(std::uint8_t type) {
  for (const auto& k : kinds)
    if (k.type == type) return &k;
  return nullptr;
}

std::uint64_t encode(const EventKind& k, const Event& e) {
  std::uint64_t w = kValid | std::uint64_t{k.type} << 8 | e.vector;
  if (e.error_code) w |= kErrorCodeValid | std::uint64_t{*e.error_code} << 32;
  return w;
}

}  // namespace

VmcbEvents encode_vmcb_events(const model::Events& ev, std::size_t core, std::vector<State::Note>* notes) {
  const std::string p = fmt::format("cpu[{}].events", core);
  const auto note = [notes](std::string path, Carry carry, std::string text) {
    if (notes) notes->push_back({std::move(path), carry, std::move(text)});
  };
  VmcbEvents out;
  const EventKind* chosen = nullptr;
  for (const auto& k : kinds) {
    const auto e = k.get ? k.get(ev) : std::nullopt;
    if (!e) continue;
    if (!chosen) {
      chosen = &k;
      out.exit_int_info = encode(k, *e);
    } else {
      note(fmt::format("{}.{}", p, k.field), Carry::none,
           fmt::format("EXITINTINFO holds one event: the {} is written, this {} is dropped", chosen->name,
                       k.name));
    }
  }
  if (chosen && chosen->type == 2 && ev.nmi_blocked)
    note(p + ".nmi_pending", Carry::approximated,
         "written as an NMI being delivered: Palacios injects it at the next entry although NMIs are blocked");
  // Bit 0 is the shadow; bit 1 (the guest's interrupt mask) is only reported at exits.
  out.interrupt_shadow = ev.shadow == model::InterruptShadow::none ? 0 : 1;
  if (ev.shadow == model::InterruptShadow::mov_ss)
    note(p + ".shadow", Carry::approximated, "the VMCB has one interrupt-shadow bit: MOV SS reads back as STI");
  const std::pair<const char*, bool> lost[] = {
      {"nmi_blocked", ev.nmi_blocked},
      {"smi_pending", ev.smi_pending},
      {"init_pending", ev.init_pending},
      {"sipi_vector", ev.sipi_vector != 0},
  };
  for (const auto& [field, set] : lost)
    if (set) note(fmt::format("{}.{}", p, field), Carry::none, "Palacios saves no such state");
  return out;
}

void put_vmcb_events(std::span<std::uint8_t> vmcb, const VmcbEvents& words) {
  put_le(vmcb.subspan(kVmcbInterruptShadow, 8), words.interrupt_shadow);
  put_le(vmcb.subspan(kVmcbExitIntInfo, 8), words.exit_int_info);
  put_le(vmcb.subspan(kVmcbEventInj, 8), 0);
}

model::Events get_vmcb_events(std::span<const std::uint8_t> vmcb, std::size_t core, std::vector<State::Note>& notes) {
  model::Events ev;
  // Bits above 0 are the guest's interrupt mask, reported at exits and never loaded.
  if (vmcb[kVmcbInterruptShadow] & 1) ev.shadow = model::InterruptShadow::sti;
  // At the next entry a valid EXITINTINFO replaces EVENTINJ; otherwise a valid EVENTINJ (never left
  // so by Palacios itself, which clears it at each exit) would be injected as it is.
  std::string_view word = "EXITINTINFO";
  std::uint64_t info = get_le(vmcb.subspan(kVmcbExitIntInfo, 8));
  if (!(info & kValid)) {
    word = "EVENTINJ";
    info = get_le(vmcb.subspan(kVmcbEventInj, 8));
  }
  if (!(info & kValid)) return ev;
  const auto type = static_cast<std::uint8_t>(info >> 8 & 7);
  const Event e{static_cast<std::uint8_t>(info), info & kErrorCodeValid
                                                     ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(info >> 32))
                                                     : std::nullopt};
  const EventKind* k = kind_of(type);
  if (!k) throw FieldProblem(fmt::format("VMCB {} {:#018x}: event type {} is reserved", word, info, type));
  if (e.error_code && !k->error_code)
    throw FieldProblem(fmt::format("VMCB {} {:#018x}: {} (type {}) with an error code", word, info, k->name, type));
  if (e.vector > k->max_vector)
    throw FieldProblem(
        fmt::format("VMCB {} {:#018x}: {} vector {} is above {}", word, info, k->name, e.vector, k->max_vector));
  if (!k->set) {
    notes.push_back({fmt::format("cpu[{}].events", core), Carry::none,
                     fmt::format("VMCB {}: a {} (vector {:#04x}) being delivered; the model has no such event", word,
                                 k->name, e.vector)});
    return ev;
  }
  k->set(ev, e);
  return ev;
}

}  // namespace cptx::palacios
