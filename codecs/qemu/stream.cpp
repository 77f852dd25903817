#include "codecs/qemu/stream.hpp"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "codecs/io/error.hpp"
#include "codecs/io/text.hpp"
#include "codecs/io/json_depth.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {

namespace {

using Json = nlohmann::json;

// Record type bytes (spec §1.1).
constexpr std::uint8_t rec_eof = 0x00, rec_start = 0x01, rec_part = 0x02, rec_end = 0x03, rec_full = 0x04,
                       rec_subsection = 0x05, rec_vmdesc = 0x06, rec_config = 0x07, rec_command = 0x08,
                       rec_footer = 0x7e;
constexpr std::uint64_t max_vmdesc = 16u << 20;
constexpr std::uint64_t max_raw_section = 16u << 20;
constexpr std::size_t max_sections = 4096;
constexpr std::uint32_t max_name = 256;

// The trailer `00 | 06 | be32 len | JSON` ends the file exactly (§1.5); JSON holds no NUL byte, so
// the last position where that framing fits is the EOF record.
std::optional<std::uint64_t> find_vmdesc(WireReader& in) {
  const std::uint64_t size = in.size();
  if (size < 8) return std::nullopt;
  const std::uint64_t most = std::min<std::uint64_t>(size, max_vmdesc + 6);
  // A description is tens of KiB: the end of the file is read in growing pieces, not at once the most
  // it may hold, which can be all of a small guest's stream. Searched from the end each time, so the
  // last position that fits is found first, as in one search of the whole tail.
  for (std::uint64_t want = std::min<std::uint64_t>(most, 64 << 10);; want = std::min(most, want * 8)) {
    const std::uint64_t from = size - want;
    std::vector<std::uint8_t> tail(want);
    in.seek(from);
    in.bytes(tail);
    for (std::uint64_t p = tail.size() - 7; p-- > 0;) {
      if (tail[p] != rec_eof || tail[p + 1] != rec_vmdesc || tail[p + 6] != '{') continue;
      const std::uint64_t len = std::uint64_t{tail[p + 2]} << 24 | tail[p + 3] << 16 | tail[p + 4] << 8 | tail[p + 5];
      if (len == tail.size() - p - 6) return from + p;
    }
    if (want == most) return std::nullopt;
  }
}

std::uint64_t json_size(const Json& j) {
  if (!j.is_number_unsigned()) throw std::runtime_error("size is not an unsigned number");
  const auto v = j.get<std::uint64_t>();
  if (v > max_raw_section) throw std::runtime_error("size too large");
  return v;
}

std::uint64_t subsections_size(const Json& vmsd);

std::uint64_t fields_size(const Json& vmsd) {
  std::uint64_t n = 0;
  if (!vmsd.contains("fields")) return 0;
  for (const Json& f : vmsd.at("fields")) {
    const std::uint64_t count = f.contains("array_len") ? json_size(f.at("array_len")) : 1;
    n += json_size(f.at("size")) * count;
    if (n > max_raw_section) throw std::runtime_error("section too large");
  }
  return n;
}

// Bytes of the subsections listed for `vmsd`, headers included (§2.5).
std::uint64_t subsections_size(const Json& vmsd) {
  std::uint64_t n = 0;
  if (!vmsd.contains("subsections")) return 0;
  for (const Json& s : vmsd.at("subsections"))
    n += 2 + s.at("vmsd_name").get<std::string>().size() + 4 + fields_size(s) + subsections_size(s);
  return n;
}

// Looks for subsection `name` anywhere in a device description.
const Json* find_subsection(const Json& vmsd, std::string_view name) {
  if (vmsd.contains("subsections"))
    for (const Json& s : vmsd.at("subsections")) {
      if (s.at("vmsd_name").get<std::string>() == name) return &s;
      if (const Json* r = find_subsection(s, name)) return r;
    }
  if (vmsd.contains("fields"))
    for (const Json& f : vmsd.at("fields"))
      if (f.contains("struct"))
        if (const Json* r = find_subsection(f.at("struct"), name)) return r;
  return nullptr;
}

struct Description {
  Json doc;
  // Null if the description has no well-formed entry for the section.
  const Json* device(std::string_view idstr, std::uint32_t instance) const {
    try {
      if (!doc.is_object() || !doc.contains("devices")) return nullptr;
      for (const Json& d : doc.at("devices"))
        if (d.at("name").get<std::string>() == idstr && d.at("instance_id").get<std::uint64_t>() == instance)
          return &d;
    } catch (const Json::exception&) {
    }
    return nullptr;
  }
};

std::optional<std::uint64_t> size_subsection(const void* ctx, std::string_view name) {
  const Json* dev = static_cast<const Json*>(ctx);
  if (!dev) return std::nullopt;
  try {
    if (const Json* s = find_subsection(*dev, name)) return fields_size(*s) + subsections_size(*s);
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

void expect_footer(WireReader& in, std::uint32_t id) {
  const std::uint64_t at = in.offset();
  if (in.u8() != rec_footer) in.fail_at(at, "missing section footer (0x7e)");
  const std::uint32_t got = in.be32();
  if (got != id) in.fail_at(at, fmt::format("footer names section {}, expected {}", got, id));
}

}  // namespace

const Section* Stream::find(std::string_view idstr, std::uint32_t instance) const {
  for (const Section& s : sections)
    if (s.idstr == idstr && s.instance == instance) return &s;
  return nullptr;
}

std::vector<const Section*> Stream::all(std::string_view idstr) const {
  std::vector<const Section*> out;
  for (const Section& s : sections)
    if (s.idstr == idstr) out.push_back(&s);
  return out;
}

bool looks_like_stream(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::uint8_t b[8] = {};
  f.read(reinterpret_cast<char*>(b), 8);
  return f && b[0] == 'Q' && b[1] == 'E' && b[2] == 'V' && b[3] == 'M';
}

Stream read_stream(const std::string& path) {
  WireReader in(path);
  Stream s;
  s.path = path;
  in.set_context("header");
  if (in.be32() != magic) in.fail_at(0, "not a QEMU migration stream (no QEVM magic)");
  if (const std::uint32_t v = in.be32(); v != file_version)
    in.fail_at(4, fmt::format("stream version {}; QEMU 7.2 writes version 3", v));

  const auto eof_at = find_vmdesc(in);
  Description desc;
  if (eof_at) {
    in.seek(*eof_at + 6);
    s.vmdesc.resize(in.size() - in.offset());
    in.bytes(std::span(reinterpret_cast<std::uint8_t*>(s.vmdesc.data()), s.vmdesc.size()));
    // The description is walked recursively (subsections within subsections): bound its depth first.
    if (const auto deep = io::json_too_deep(s.vmdesc))
      in.fail_at(*eof_at + 6 + *deep, fmt::format("stream description nests deeper than {} levels", io::max_json_depth));
    desc.doc = Json::parse(s.vmdesc, nullptr, false);
    if (desc.doc.is_discarded()) in.fail_at(*eof_at + 6, "stream description is not valid JSON");
  }
  in.seek(8);

  in.set_context("configuration");
  if (in.u8() != rec_config) in.fail_at(8, "configuration section (0x07) missing");
  const std::uint32_t n = in.be32();
  if (n == 0 || n > max_name) in.fail(fmt::format("machine type name of {} bytes", n));
  s.machine.resize(n);
  in.bytes(std::span(reinterpret_cast<std::uint8_t*>(s.machine.data()), n));
  if (s.machine.rfind("pc-i440fx-", 0) != 0 && s.machine != "pc")
    in.fail_at(13, fmt::format("machine type {}: cptx reads -machine pc (pc-i440fx) streams", io::printable(s.machine)));
  if (in.peek() == rec_subsection) in.fail("configuration subsections (capabilities, uuid) are not supported");

  std::optional<std::uint32_t> ram_id;
  bool ram_done = false;
  RamScanner ram([](std::size_t, std::uint64_t, std::optional<std::uint64_t>) {});
  for (;;) {
    const std::uint64_t at = in.offset();
    in.set_context("");
    const std::uint8_t type = in.u8();
    if (type == rec_eof) {
      if (eof_at ? at != *eof_at : at + 1 != in.size())
        in.fail_at(at, "data after the end-of-stream record");
      break;
    }
    if (type == rec_command) in.fail_at(at, "COMMAND records (postcopy, COLO) are not supported");
    if (type != rec_start && type != rec_full && type != rec_part && type != rec_end)
      in.fail_at(at, fmt::format("unknown record type 0x{:02x}", type));
    const std::uint32_t id = in.be32();
    if (type == rec_part || type == rec_end) {
      in.set_context("ram");
      if (!ram_id || id != *ram_id || ram_done) in.fail_at(at, fmt::format("PART/END of unknown section {}", id));
      ram.body(in);
      ram_done = type == rec_end;
      expect_footer(in, id);
      continue;
    }
    Section sec;
    sec.offset = at;
    sec.idstr = in.name();
    sec.instance = in.be32();
    sec.version = in.be32();
    in.set_context(fmt::format("{}:{}", sec.idstr, sec.instance));
    if (type == rec_start) {
      if (sec.idstr != "ram" || ram_id) in.fail_at(at, "only one live section, ram, is supported");
      if (sec.version != ram_version) in.fail_at(at, fmt::format("ram version {}, expected 4", sec.version));
      ram_id = id;
      s.ram_offset = at;
      ram.body(in);
      if (ram.blocks().empty()) in.fail_at(at, "RAM section without a block list");
      expect_footer(in, id);
      continue;
    }
    if (s.sections.size() == max_sections) in.fail_at(at, "too many sections");
    if (s.find(sec.idstr, sec.instance)) in.fail_at(at, "section appears twice");
    const Json* dev = desc.device(sec.idstr, sec.instance);
    sec.schema = layout::of(sec.idstr);
    if (sec.schema) {
      if (sec.version != sec.schema->version)
        in.fail_at(at, fmt::format("version {}; cptx reads version {} (QEMU 7.2)", sec.version, sec.schema->version));
      sec.record = read_body(in, *sec.schema, dev, size_subsection);
    } else {
      if (!dev) in.fail_at(at, "section of unknown layout, and the stream has no description of it");
      std::uint64_t size = 0;
      try {
        size = fields_size(*dev) + subsections_size(*dev);
      } catch (const std::exception& e) {
        in.fail_at(at, fmt::format("stream description of this section is malformed: {}", e.what()));
      }
      sec.raw.resize(size);
      in.bytes(sec.raw);
    }
    expect_footer(in, id);
    s.sections.push_back(std::move(sec));
  }
  if (!ram_id) in.fail_at(8, "no RAM section");
  if (!ram_done) in.fail_at(s.ram_offset, "RAM section has no END");
  s.blocks = ram.blocks();
  // QEMU sends every page of every block at least once, as a ZERO or a PAGE record: a block longer
  // than its records is a length the stream does not hold, never to be generated as zeros.
  for (const RamBlock& b : s.blocks)
    if (b.records < b.length / model::page_size)
      in.fail_at(s.ram_offset, fmt::format("RAM block {} declares 0x{:x} bytes ({} pages), but the stream holds "
                                           "records for {} pages",
                                           b.name, b.length, b.length / model::page_size, b.records));
  if (std::none_of(s.blocks.begin(), s.blocks.end(), [](const RamBlock& b) { return b.name == main_ram_block; }))
    in.fail_at(s.ram_offset, "no pc.ram block");
  return s;
}

void write_stream(std::ostream& file, const std::string& name, const Stream& s, const model::Memory& memory,
                  std::uint64_t ram_length) {
  WireWriter out(file, name);
  out.be32(magic);
  out.be32(file_version);
  out.u8(rec_config);
  out.be32(static_cast<std::uint32_t>(s.machine.size()));
  out.bytes(std::span(reinterpret_cast<const std::uint8_t*>(s.machine.data()), s.machine.size()));
  out.bytes(s.config_tail);
  std::uint32_t id = 1;
  write_ram(out, id++, memory, ram_length);
  for (const Section& sec : s.sections) {
    out.u8(rec_full);
    out.be32(id);
    out.name(sec.idstr);
    out.be32(sec.instance);
    out.be32(sec.version);
    if (sec.schema)
      write_body(out, *sec.schema, sec.record);
    else
      out.bytes(sec.raw);
    out.u8(rec_footer);
    out.be32(id++);
  }
  out.u8(rec_eof);
  if (!s.vmdesc.empty()) {
    out.u8(rec_vmdesc);
    out.be32(static_cast<std::uint32_t>(s.vmdesc.size()));
    out.bytes(std::span(reinterpret_cast<const std::uint8_t*>(s.vmdesc.data()), s.vmdesc.size()));
  }
  out.flush();
}

}  // namespace cptx::qemu
