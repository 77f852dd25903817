#include "codecs/palacios/store.hpp"

#include "codecs/palacios/binfile.hpp"
#include "codecs/palacios/textfile.hpp"

namespace cptx::palacios {

std::string_view store_name(Store store) { return store == Store::file ? "file" : "textfile"; }

std::unique_ptr<EntryReader> make_reader(Store store, std::unique_ptr<ByteSource> source, std::string context) {
  if (store == Store::file) return std::make_unique<BinaryReader>(std::move(source), std::move(context));
  return std::make_unique<TextReader>(std::move(source), std::move(context));
}

std::unique_ptr<EntryWriter> make_writer(Store store, ByteSink& out, std::string_view context, std::string file) {
  if (store == Store::file) return std::make_unique<BinaryWriter>(out, std::move(file));
  return std::make_unique<TextWriter>(out, context, std::move(file));
}

std::vector<Entry> read_entries(EntryReader& in, std::size_t max_value_size) {
  std::vector<Entry> entries;
  while (auto info = in.next()) entries.push_back({std::move(info->tag), in.read_value(max_value_size)});
  return entries;
}

void write_entries(EntryWriter& out, std::span<const Entry> entries) {
  for (const auto& e : entries) out.put(e.tag, e.value);
}

void copy_entries(EntryReader& in, EntryWriter& out) {
  while (auto info = in.next()) {
    out.begin_entry(info->tag, in.value_size());
    in.stream_value([&](std::span<const std::uint8_t> chunk) { out.write(chunk); });
    out.end_entry();
  }
}

Context parse_context(Store store, std::string name, std::span<const std::uint8_t> bytes, std::string file,
                      std::size_t max_value_size) {
  auto in = make_reader(store, std::make_unique<MemorySource>(std::move(file), bytes), name);
  return {std::move(name), read_entries(*in, max_value_size)};
}

std::vector<std::uint8_t> serialize_context(Store store, const Context& context) {
  std::vector<std::uint8_t> bytes;
  VectorSink sink(bytes);
  auto out = make_writer(store, sink, context.name, context.name);
  write_entries(*out, context.entries);
  return bytes;
}

}  // namespace cptx::palacios
