// QEMU 7.2's reset values of the state the model does not hold, for sections written without a
// skeleton (target/i386/cpu.c, hw/input/ps2.c).
#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {

Record reset_record(const Schema& schema) {
  Record r = zero_record(schema);
  constexpr std::uint64_t none32 = 0xffffffff, all64 = ~std::uint64_t{0};
  if (&schema == &layout::cpu()) {
    r.set("env.interrupt_injected", none32);
    r.set("env.exception_nr", none32);
    r.set("env.hflags2", 0x101);  // GIF | VGIF, as observed under TCG and KVM
    r.set("env.smbase", 0x30000);
    r.set("env.a20_mask", none32);
    r.set("env.mcg_cap", 0x0100010a);  // 10 banks, MCG_CTL_P, MCG_SER_P
    r.set("env.mcg_ctl", all64);
    for (std::size_t bank = 0; bank < 10; ++bank) r.set("env.mce_banks", all64, 4 * bank);
    r.set("env.xcr0", 1);
  } else if (&schema == &layout::ps2kbd()) {
    r.set("common.write_cmd", none32);
    r.set("scancode_set", 2);
  } else if (&schema == &layout::ps2mouse()) {
    r.set("common.write_cmd", none32);
  }
  return r;
}

const Record& need(const Stream& s, std::string_view idstr, std::uint32_t instance, const std::string& path) {
  if (const Section* sec = s.find(idstr, instance)) return sec->record;
  throw InputError({s.path, std::nullopt, std::nullopt, path},
                   fmt::format("the stream has no section {} instance {}", idstr, instance));
}

}  // namespace cptx::qemu
