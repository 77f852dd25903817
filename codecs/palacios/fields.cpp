#include "codecs/palacios/fields.hpp"

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/text.hpp"

namespace cptx::palacios {

std::uint64_t get_le(std::span<const std::uint8_t> in) {
  std::uint64_t v = 0;
  for (std::size_t i = in.size(); i-- > 0;) v = v << 8 | in[i];
  return v;
}

void put_le(std::span<std::uint8_t> out, std::uint64_t v) {
  for (auto& b : out) {
    b = static_cast<std::uint8_t>(v);
    v >>= 8;
  }
}

Field lossy(Field f, mapping::Rule r) {
  f.rule = r;
  return f;
}

Field rule_row(std::string path, mapping::Rule r) {
  return {"", 0, std::move(path), [](const State&, std::span<std::uint8_t>) {}, [](State&, std::span<const std::uint8_t>) {}, r};
}

Field fixed(std::string tag, std::size_t size, std::uint64_t value) {
  return {std::move(tag), size, "", [value](const State&, std::span<std::uint8_t> out) { put_le(out, value); },
          [](State&, std::span<const std::uint8_t>) {}};
}

// Palacios's 256-bit maps: vector v is byte v/8, bit v%8 (§3.3), i.e. the model's words in little-endian order.
Field vector_set(std::string tag, std::string path, std::function<const model::VectorSet&(const State&)> cget,
                 std::function<model::VectorSet&(State&)> mget) {
  auto put = [cget](const State& s, std::span<std::uint8_t> out) {
    for (std::size_t w = 0; w < 4; ++w) put_le(out.subspan(8 * w, 8), cget(s).words[w]);
  };
  auto get = [mget](State& s, std::span<const std::uint8_t> in) {
    for (std::size_t w = 0; w < 4; ++w) mget(s).words[w] = get_le(in.subspan(8 * w, 8));
  };
  return {std::move(tag), 32, std::move(path), put, get};
}

void read_fields(EntryReader& in, const Fields& fields, State& s) {
  std::uint64_t last_offset = 0;
  std::string_view last_tag = "none";
  for (const Field& f : fields) {
    if (f.tag.empty()) continue;
    last_tag = f.tag;
    const auto entry = in.next();
    if (!entry)
      throw InputError({in.file(), last_offset, std::nullopt, f.tag},
                       fmt::format("the context ends where Palacios expects entry {} of {} bytes", f.tag, f.size));
    last_offset = entry->offset;
    const Location at{in.file(), entry->offset, entry->line, io::printable(entry->tag)};
    if (entry->tag != f.tag) throw InputError(at, fmt::format("expected entry {} of {} bytes", f.tag, f.size));
    const std::uint64_t size = in.value_size();
    if (size != f.size)
      throw InputError(at, fmt::format("{} bytes; Palacios loads exactly {} bytes here", size, f.size));
    const auto value = in.read_value(f.size);
    try {
      f.get(s, value);
    } catch (const FieldProblem& e) {
      throw InputError(at, e.what());
    }
  }
  if (const auto extra = in.next())
    throw InputError({in.file(), extra->offset, extra->line, io::printable(extra->tag)},
                     fmt::format("entry after the last one Palacios loads ({})", last_tag));
}

void write_fields(EntryWriter& out, const Fields& fields, const State& s) {
  std::vector<std::uint8_t> buf;
  for (const Field& f : fields) {
    if (f.tag.empty()) continue;
    buf.assign(f.size, 0);
    f.put(s, buf);
    out.put(f.tag, buf);
  }
}

}  // namespace cptx::palacios
