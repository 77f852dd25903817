// A whole QEMU migration stream as saved by `migrate "exec:cat > FILE"` (spec §0, §1): header,
// configuration, RAM sections, one FULL section per device, EOF, optional description (vmdesc).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "codecs/qemu/ram.hpp"
#include "codecs/qemu/vmstate.hpp"

namespace cptx::qemu {

struct Section {
  std::string idstr;
  std::uint32_t instance{}, version{};
  const Schema* schema = nullptr;   // the layout cptx maps; null = kept as raw bytes
  Record record;                    // when schema is set
  std::vector<std::uint8_t> raw;    // the body, when schema is null
  std::uint64_t offset{};           // of the section header, for messages
};

struct Stream {
  std::string path;                       // for messages
  std::string machine;                    // configuration: machine type, e.g. pc-i440fx-7.2
  std::vector<std::uint8_t> config_tail;  // configuration subsections, verbatim
  std::vector<RamBlock> blocks;
  std::uint64_t ram_offset{};             // file offset of the RAM START record
  std::deque<Section> sections;           // FULL sections in stream order (references stay valid on growth)
  std::string vmdesc;                     // the trailing JSON, verbatim; empty if absent

  const Section* find(std::string_view idstr, std::uint32_t instance) const;
  // In stream order: QEMU registers cpu_common, cpu and apic of processor i before those of i + 1.
  std::vector<const Section*> all(std::string_view idstr) const;
};

inline constexpr std::uint32_t magic = 0x5145564d;  // "QEVM"
inline constexpr std::uint32_t file_version = 3;

// Quick check of the first bytes.
bool looks_like_stream(const std::string& path);
// Reads and checks the framing of every record; throws InputError naming file, offset and
// section on anything malformed.
Stream read_stream(const std::string& path);

// Writes `s`: its configuration, a RAM section of block pc.ram (`ram_length` bytes) holding the
// pages of `memory`, its device sections (from records, or raw bytes), EOF and its description.
// `name` names `file` in errors.
void write_stream(std::ostream& file, const std::string& name, const Stream& s, const model::Memory& memory,
                  std::uint64_t ram_length);

}  // namespace cptx::qemu
