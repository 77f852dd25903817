// Wire layouts of the QEMU 7.2 x86_64 sections cptx maps to the model (spec §4, §5), as written
// by a TCG `-machine pc` guest; KVM writes the same layouts (spec §5.13).
#pragma once

#include "codecs/qemu/vmstate.hpp"

namespace cptx::qemu::layout {

const Schema& timer();        // §5.1
const Schema& cpu_common();   // §5.2
const Schema& cpu();          // §5.3
const Schema& apic();         // §5.4
const Schema& ioapic();       // §5.6
const Schema& i8259();        // §5.7
const Schema& i8254();        // §5.8
const Schema& pcspk();        // §4 row 21
const Schema& serial();       // §5.9
const Schema& mc146818rtc();  // §5.10
const Schema& pckbd();        // §5.11
const Schema& ps2kbd();
const Schema& ps2mouse();

// The schema of section `idstr`, or null if cptx does not map it.
const Schema* of(std::string_view idstr);

}  // namespace cptx::qemu::layout
