// The tables of every context cptx maps (spec §2.5, §2.6, §3.1-§3.6), in Palacios's load order.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "codecs/palacios/fields.hpp"

namespace cptx::palacios {

Fields pic_fields();                       // 8259A (§3.1)
Fields pit_fields();                       // 8254_PIT (§3.2)
Fields lapic_fields(std::size_t cores);    // LAPIC (§3.3)
Fields ioapic_fields();                    // IOAPIC (§3.4)
Fields serial_fields();                    // SERIAL (§3.5)
Fields keyboard_fields();                  // KEYBOARD (§3.6)
Fields guest_info_fields(std::size_t core);  // guest_info<i> (§2.5)
Fields vmcb_fields(std::size_t core);        // vmcb_data<i> (§2.6)

// The coverage memory.cpp declares beside its code: memory_img and the platform it implies.
std::span<const CoverageRule> memory_rows();

// A device class cptx translates: its XML class, the id the configs cptx generates give it, and the
// first tag of its context, by which a checkpoint's device is recognised (the checkpoint does not
// record classes, §2.3).
struct DeviceClass {
  std::string_view xml_class;
  std::string_view default_id;
  std::string_view first_tag;
  std::string_view model_path;  // the model state it holds
  Fields (*fields)(std::size_t cores);
};

// In the creation order of the configs cptx generates (the order of the example VM of §5.3).
std::span<const DeviceClass> device_classes();
const DeviceClass* device_class_by_xml(std::string_view xml_class);
const DeviceClass* device_class_by_first_tag(std::string_view tag);

// Palacios's 16-byte `struct v3_segment` (§3.12.1) and the VMCB's segment layout (§3.12.3).
void put_segment(std::span<std::uint8_t> out, const model::Segment& s);
model::Segment get_segment(std::span<const std::uint8_t> in);
void put_vmcb_segment(std::span<std::uint8_t> out, const model::Segment& s);

// The 512-byte FXSAVE image in its 64-bit format (§3.12.2).
void put_fxsave(std::span<std::uint8_t> out, const model::Cpu& c);
// `type` is FP_STATE_TYPE: 0 is the 32-bit format (FIP/FCS, FDP/FDS), 1 and 2 the 64-bit one.
void get_fxsave(std::span<const std::uint8_t> in, std::uint32_t type, model::Cpu& c);

// The header value (§2.4): 47 ASCII bytes.
inline constexpr std::string_view kSvmHeader = "v3vee palacios checkpoint version: x.x, SVM x.x";
inline constexpr std::string_view kVmxHeader = "v3vee palacios checkpoint version: x.x, VMX x.x";

}  // namespace cptx::palacios
