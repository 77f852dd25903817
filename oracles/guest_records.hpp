// The records the corpus Linux guest prints (corpus/guests/linux-hashchain/init.sh): `GUEST: boot
// complete`, `GUEST: step N hash H` and `GUEST: done hash H`, H being 16 hex digits.
//
// Its init shares the serial console with the kernel, and the kernel does not wait for a user's line
// to end before printing: a message can land inside a record. A guest booted on gem5 and resumed in
// QEMU meets timers running at other rates than it measured, and Linux's clocksource watchdog says so
// at an arbitrary point of the hash chain.
#pragma once

#include <string>
#include <vector>

namespace cptx::oracle {

// The records in `serial`, in order. The kernel prints whole lines, so a record it cut short goes on
// at the start of a later line, before the next record begins; such a record is put back together.
// A record that cannot be completed is returned as its line, so that comparisons show it.
std::vector<std::string> guest_records(const std::string& serial);

// Whether `line` is one whole record and nothing else.
bool is_guest_record(const std::string& line);

}  // namespace cptx::oracle
