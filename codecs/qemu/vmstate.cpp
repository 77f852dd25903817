#include "codecs/qemu/vmstate.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace cptx::qemu {

std::uint64_t Record::get(std::string_view field, std::size_t i) const {
  const auto it = fields.find(field);
  if (it == fields.end() || i >= it->second.size())
    throw std::out_of_range(fmt::format("no field {}[{}] in this record", field, i));
  return it->second[i];
}

std::int64_t Record::get_signed(std::string_view field, unsigned width, std::size_t i) const {
  const std::uint64_t v = get(field, i);
  const unsigned shift = 64 - 8 * width;
  return static_cast<std::int64_t>(v << shift) >> shift;
}

void Record::set(std::string_view field, std::uint64_t v, std::size_t i) {
  const auto it = fields.find(field);
  if (it == fields.end() || i >= it->second.size())
    throw std::out_of_range(fmt::format("no field {}[{}] in this record", field, i));
  it->second[i] = v;
}

const Record* Record::sub(std::string_view name) const {
  const auto it = subsections.find(name);
  return it == subsections.end() ? nullptr : &it->second;
}

Record zero_record(const Schema& schema) {
  Record r;
  for (const Field& f : schema.fields) r.fields[std::string(f.name)].assign(f.count, 0);
  return r;
}

Record& add_subsection(Record& r, const Schema& schema, std::string_view name) {
  for (const Schema& s : schema.subsections)
    if (s.name == name) return r.subsections.try_emplace(std::string(name), zero_record(s)).first->second;
  throw std::out_of_range(fmt::format("{} has no subsection {}", schema.name, name));
}

namespace {

constexpr std::uint8_t subsection_marker = 0x05;

void read_fields(WireReader& in, const Schema& schema, Record& r) {
  for (const Field& f : schema.fields) {
    auto& values = r.fields[std::string(f.name)];
    values.resize(f.count);
    for (auto& v : values) v = in.be(f.width);
  }
}

// A subsection follows if the next byte is the marker and the name after it extends the parent's
// (spec §2.5); nothing else ends a body.
std::optional<std::string> next_subsection(WireReader& in, std::string_view parent) {
  if (in.peek() != subsection_marker) return std::nullopt;
  const std::uint64_t at = in.offset();
  in.u8();
  if (in.offset() >= in.size()) {
    in.seek(at);
    return std::nullopt;
  }
  const std::uint8_t n = in.u8();
  if (n <= parent.size() || n > in.size() - in.offset()) {
    in.seek(at);
    return std::nullopt;
  }
  std::string name(n, '\0');
  in.bytes(std::span(reinterpret_cast<std::uint8_t*>(name.data()), n));
  if (name.compare(0, parent.size(), parent) != 0) {
    in.seek(at);
    return std::nullopt;
  }
  return name;
}

}  // namespace

Record read_body(WireReader& in, const Schema& schema, const void* ctx, SubsectionSizer sizer) {
  Record r;
  read_fields(in, schema, r);
  while (auto name = next_subsection(in, schema.name)) {
    const std::uint64_t at = in.offset() - name->size() - 2;
    const std::uint32_t version = in.be32();
    const Schema* known = nullptr;
    for (const Schema& s : schema.subsections)
      if (s.name == *name) known = &s;
    if (!known) {
      const auto size = sizer ? sizer(ctx, *name) : std::nullopt;
      if (!size) in.fail_at(at, fmt::format("subsection {} has no known layout", *name));
      in.skip(*size);
      continue;
    }
    if (version > known->version)
      in.fail_at(at, fmt::format("subsection {} version {} is newer than {}", *name, version, known->version));
    if (r.subsections.count(*name)) in.fail_at(at, fmt::format("subsection {} appears twice", *name));
    r.subsections.emplace(*name, read_body(in, *known, ctx, sizer));
  }
  return r;
}

void write_body(WireWriter& out, const Schema& schema, const Record& r) {
  for (const Field& f : schema.fields) {
    const auto& values = r.fields.at(std::string(f.name));
    for (unsigned i = 0; i < f.count; ++i) out.be(values.at(i), f.width);
  }
  for (const Schema& s : schema.subsections)
    if (const Record* sub = r.sub(s.name)) {
      out.u8(subsection_marker);
      out.name(s.name);
      out.be32(s.version);
      write_body(out, s, *sub);
    }
}

}  // namespace cptx::qemu
