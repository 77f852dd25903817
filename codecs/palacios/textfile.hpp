// The `textfile:` store's context file (§1.5): `[name]` LF, then per entry `tag=<hex>` LF.
//
// TextReader accepts the canonical form and the variants Palacios' own reader accepts: TAB/CR/LF
// before the header, CRLF line ends, blank lines, SPACE/TAB around '=' and inside the hex, upper-case
// hex, text right after `]` (§9.4). Palacios reads each entry against a requested (tag, size); this
// reader knows no schema, so it differs on purpose:
//  * Stricter: a value ends at the end of its line (Palacios reads the requested number of digits
//    and would continue on the next line); one entry per line (Palacios would read `a=00 b=01`);
//    only SPACE/TAB may stand between the tag and '=' (Palacios skips anything up to the '='); an
//    entry without a tag (`=00`) is an error (Palacios skips leading '='); an odd digit count is an
//    error (Palacios leaves the extra digit to break the next tag); a NUL in a tag is an error.
//  * Looser: the full tag is returned, so a longer tag is never mistaken for a requested prefix (a
//    request for `R1` matching `R10=` in Palacios, P19); a caller checking against a schema compares
//    whole tags. Values of 2 GiB or more are read (Palacios cannot, §9.6).
//  * Same: a 0xFF byte is an error (Palacios takes it for end of file, §9.3); the header must be
//    the first token, preceded by TAB/CR/LF only, and be exactly `[` + the file's name + `]`.
#pragma once

#include <memory>
#include <string>

#include "codecs/palacios/byte_sink.hpp"
#include "codecs/palacios/byte_source.hpp"
#include "codecs/palacios/entry.hpp"

namespace cptx::palacios {

class TextReader : public EntryReader {
 public:
  // Checks the header against `context` (the file's name) at once.
  TextReader(std::unique_ptr<ByteSource> source, std::string context);
  const std::string& file() const override { return in_.name(); }
  std::optional<EntryInfo> next() override;
  std::uint64_t value_size() override;
  std::uint64_t stream_value(const ChunkFn& sink) override;
  std::vector<std::uint8_t> read_value(std::size_t max_size) override;

 private:
  [[noreturn]] void fail(std::uint64_t offset, std::uint64_t line, const std::string& key,
                         const std::string& what) const;
  void read_header();
  void skip_while(bool (*pred)(int));
  // Decodes the rest of the current value's line, handing bytes to `sink` if given; returns the count.
  std::uint64_t decode(const ChunkFn* sink);

  SourceCursor in_;
  std::string context_;
  std::uint64_t line_ = 1;
  std::string tag_;
  std::uint64_t value_start_ = 0;
  std::uint64_t value_line_ = 0;
  std::optional<std::uint64_t> size_;
  bool has_entry_ = false;
  bool value_pending_ = false;
};

// Writes the canonical form byte for byte: `[name]\n`, then `tag=<lowercase hex>\n` per entry with
// no wrapping, nothing else (§1.5). Tags must be non-empty and free of SPACE, TAB, CR, LF, '=', NUL
// and 0xFF, which no reader could split off again; the name must be free of TAB, CR, LF and 0xFF,
// where Palacios stops reading the header.
class TextWriter : public EntryWriter {
 public:
  // `file` names the output in error messages. Writes the header at once.
  TextWriter(ByteSink& out, std::string_view context, std::string file);

 protected:
  void do_begin(std::string_view tag, std::uint64_t size) override;
  void do_write(std::span<const std::uint8_t> chunk) override;
  void do_end() override;

 private:
  ByteSink& out_;
  std::string file_;
  std::vector<std::uint8_t> hex_;
};

}  // namespace cptx::palacios
