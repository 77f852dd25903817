// The device classes whose contexts cptx maps, with the ids of the configs it generates (§5.3). Class
// names are compared case-insensitively, like every configuration name (§3.0).
#include <algorithm>
#include <array>
#include <string>
#include <strings.h>

#include "codecs/palacios/tables.hpp"

namespace cptx::palacios {

namespace {

const std::array<DeviceClass, 6> classes = {{
    {"8259A", "PIC", "MASTER_IRR", "pic", [](std::size_t) { return pic_fields(); }},
    {"8254_PIT", "PIT", "PIT_COUNTER", "pit", [](std::size_t) { return pit_fields(); }},
    {"KEYBOARD", "keyboard", "CMD_REG", "i8042", [](std::size_t) { return keyboard_fields(); }},
    {"LAPIC", "apic", "NUM_APICS", "cpu[].lapic", [](std::size_t cores) { return lapic_fields(cores); }},
    {"IOAPIC", "ioapic", "BASE_ADDR", "ioapic", [](std::size_t) { return ioapic_fields(); }},
    {"SERIAL", "serial", "COM0_RBR", "uart", [](std::size_t) { return serial_fields(); }},
}};

}  // namespace

std::span<const DeviceClass> device_classes() { return classes; }

const DeviceClass* device_class_by_xml(std::string_view xml_class) {
  for (const auto& c : classes)
    if (strcasecmp(std::string(c.xml_class).c_str(), std::string(xml_class).c_str()) == 0) return &c;
  return nullptr;
}

const DeviceClass* device_class_by_first_tag(std::string_view tag) {
  for (const auto& c : classes)
    if (c.first_tag == tag) return &c;
  return nullptr;
}

}  // namespace cptx::palacios
