// VMState bodies (spec §2): a vmsd's fields in declaration order, big-endian, no tags or lengths,
// then its present subsections `0x05 | u8 n | name | be32 version | fields | subsections`.
// A Schema declares one vmsd's wire layout; a Record holds the values of one body.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codecs/qemu/wire.hpp"

namespace cptx::qemu {

// One wire field: `count` elements of `width` bytes (1, 2, 4 or 8). Raw buffers are arrays of
// 1-byte elements; nested structs are declared flattened (their versions are never written, §2.1).
struct Field {
  std::string name;
  unsigned width;
  unsigned count = 1;
};

struct Schema {
  std::string_view name;
  std::uint32_t version;
  std::vector<Field> fields;
  std::vector<Schema> subsections;
};

struct Record {
  std::map<std::string, std::vector<std::uint64_t>, std::less<>> fields;
  std::map<std::string, Record, std::less<>> subsections;  // present subsections, by full name

  // Throws std::out_of_range if absent: the codec asks only for fields its schemas declare.
  std::uint64_t get(std::string_view field, std::size_t i = 0) const;
  std::int64_t get_signed(std::string_view field, unsigned width, std::size_t i = 0) const;
  void set(std::string_view field, std::uint64_t v, std::size_t i = 0);
  const Record* sub(std::string_view name) const;
  bool has(std::string_view name) const { return subsections.count(name) != 0; }
};

// A record of `schema` with every field zero and no subsections.
Record zero_record(const Schema& schema);
// The same, with subsection `name` of `schema` present (zero) in `r`; returns it.
Record& add_subsection(Record& r, const Schema& schema, std::string_view name);

// Byte sizes of subsections this build has no schema for, as the stream's own description says
// (spec §1.5). Returns nullopt if the description does not know it.
using SubsectionSizer = std::optional<std::uint64_t> (*)(const void* ctx, std::string_view subsection);

// Reads a body of `schema`. Subsections the schema does not declare are skipped using `sizer`, or
// are an error if it cannot size them.
Record read_body(WireReader& in, const Schema& schema, const void* sizer_ctx = nullptr,
                 SubsectionSizer sizer = nullptr);
void write_body(WireWriter& out, const Schema& schema, const Record& r);

}  // namespace cptx::qemu
