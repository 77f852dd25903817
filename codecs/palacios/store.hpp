// The two file-based stores of Palacios' KEYED_STREAM back end (§1.2): `file:` (binary, §1.4) and
// `textfile:` (hex text, §1.5), behind one reader/writer interface, plus whole-context helpers.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "codecs/palacios/byte_sink.hpp"
#include "codecs/palacios/byte_source.hpp"
#include "codecs/palacios/entry.hpp"

namespace cptx::palacios {

enum class Store { file, textfile };

// "file" or "textfile", as in the URL prefix.
std::string_view store_name(Store store);

std::unique_ptr<EntryReader> make_reader(Store store, std::unique_ptr<ByteSource> source, std::string context);
// `file` names the output in error messages. A textfile writer emits the header at once.
std::unique_ptr<EntryWriter> make_writer(Store store, ByteSink& out, std::string_view context, std::string file);

// Reads every entry; a value longer than `max_value_size` is an error.
std::vector<Entry> read_entries(EntryReader& in, std::size_t max_value_size);
void write_entries(EntryWriter& out, std::span<const Entry> entries);
// Streams every entry from `in` to `out` in constant memory (for textfile input each value is
// scanned twice: once to learn its length).
void copy_entries(EntryReader& in, EntryWriter& out);

// A whole context file held in memory; `file` names it in error messages.
Context parse_context(Store store, std::string name, std::span<const std::uint8_t> bytes, std::string file,
                      std::size_t max_value_size);
std::vector<std::uint8_t> serialize_context(Store store, const Context& context);

}  // namespace cptx::palacios
