// A core's pending-event state in the SVM VMCB control area (§3.12.3; AMD APM vol. 2 §15.20 and
// App. B): the interrupt shadow at 0x068 and EXITINTINFO at 0x088, the event whose delivery the last
// exit interrupted. Palacios clears EVENTINJ (0x0A8) at every exit and at the next entry re-injects a
// valid EXITINTINFO as EVENTINJ (`update_irq_exit_state`, `update_irq_entry_state` in svm.c), so an
// event being delivered when the checkpoint was taken lives in EXITINTINFO.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "codecs/palacios/fields.hpp"

namespace cptx::palacios {

inline constexpr std::size_t kVmcbInterruptShadow = 0x068, kVmcbExitIntInfo = 0x088, kVmcbEventInj = 0x0a8;

// The control-area words that hold a core's events.
struct VmcbEvents {
  std::uint64_t interrupt_shadow = 0;
  std::uint64_t exit_int_info = 0;
};

// The words for `events` of core `core`; what they cannot hold is noted in `notes` if given.
VmcbEvents encode_vmcb_events(const model::Events& events, std::size_t core, std::vector<State::Note>* notes = nullptr);

// Writes them into a VMCB page, and clears EVENTINJ as Palacios leaves it after an exit.
void put_vmcb_events(std::span<std::uint8_t> vmcb, const VmcbEvents& words);

// The events Palacios delivers when core `core` next enters the guest, from its VMCB page. Throws
// FieldProblem for an event the hardware would refuse to inject.
model::Events get_vmcb_events(std::span<const std::uint8_t> vmcb, std::size_t core, std::vector<State::Note>& notes);

}  // namespace cptx::palacios
