#include "codecs/palacios/textfile.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/text.hpp"
#include "model/hex.hpp"

namespace cptx::palacios {

namespace {
constexpr std::size_t kChunk = 64 * 1024;

// What Palacios skips before the header (§1.5): no SPACE.
bool header_space(int c) { return c == '\t' || c == '\r' || c == '\n'; }
// What Palacios skips before a tag and inside hex.
bool entry_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool inline_space(int c) { return c == ' ' || c == '\t'; }

std::string describe(int c) {
  if (c < 0) return "end of file";
  if (c == 0xff) return "a 0xFF byte (Palacios reads it as end of file)";
  if (c == 0) return "a NUL byte";
  return "'" + io::printable(std::string(1, static_cast<char>(c))) + "'";
}

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

TextReader::TextReader(std::unique_ptr<ByteSource> source, std::string context)
    : in_(std::move(source)), context_(std::move(context)) {
  read_header();
}

void TextReader::fail(std::uint64_t offset, std::uint64_t line, const std::string& key, const std::string& what) const {
  throw InputError({in_.name(), offset, line, key}, what);
}

void TextReader::skip_while(bool (*pred)(int)) {
  for (int c = in_.peek(); c >= 0 && pred(c); c = in_.peek()) {
    if (c == '\n') ++line_;
    in_.skip();
  }
}

void TextReader::read_header() {
  skip_while(header_space);
  const std::uint64_t at = in_.offset();
  const std::string want = "[" + context_ + "]";
  if (in_.peek() != '[')
    fail(at, line_, context_, fmt::format("expected the context header '{}', found {}", io::printable(want),
                                          describe(in_.peek())));
  // Like Palacios, read as many bytes as the expected header has, stopping early at a line break.
  std::string got;
  while (got.size() < want.size() && in_.peek() >= 0 && !header_space(in_.peek())) {
    got += static_cast<char>(in_.peek());
    in_.skip();
  }
  if (got != want)
    fail(at, line_, context_,
         fmt::format("context header '{}' does not match the file name (expected '{}')", io::printable(got),
                     io::printable(want)));
}

std::optional<EntryInfo> TextReader::next() {
  if (value_pending_) decode(nullptr);
  value_pending_ = false;
  has_entry_ = false;
  size_.reset();
  tag_.clear();

  skip_while(entry_space);
  const std::uint64_t start = in_.offset();
  const std::uint64_t start_line = line_;
  if (in_.peek() < 0) return std::nullopt;
  if (in_.peek() == '=') fail(start, start_line, context_, "entry without a tag");

  for (int c = in_.peek(); c >= 0 && !entry_space(c) && c != '='; c = in_.peek()) {
    if (c == 0xff || c == 0)
      fail(in_.offset(), line_, io::printable(tag_), fmt::format("{} in a tag", describe(c)));
    if (tag_.size() == kMaxTagLength)
      fail(start, start_line, io::printable(tag_), fmt::format("tag longer than {} bytes", kMaxTagLength));
    tag_ += static_cast<char>(c);
    in_.skip();
  }
  const std::string key = io::printable(tag_);
  skip_while(inline_space);
  if (in_.peek() != '=')
    fail(in_.offset(), line_, key, fmt::format("expected '=' after the tag, found {}", describe(in_.peek())));
  in_.skip();

  value_start_ = in_.offset();
  value_line_ = line_;
  has_entry_ = true;
  value_pending_ = true;
  return EntryInfo{tag_, std::nullopt, start, start_line};
}

std::uint64_t TextReader::decode(const ChunkFn* sink) {
  std::array<std::uint8_t, kChunk> out;
  std::size_t n = 0;
  std::uint64_t total = 0;
  int high = -1;
  auto flush = [&] {
    if (sink != nullptr && n > 0) (*sink)(std::span(out).first(n));
    total += n;
    n = 0;
  };
  for (bool eol = false; !eol;) {
    auto w = in_.window();
    if (w.empty()) break;  // the last line may lack its LF
    std::size_t i = 0;
    for (; i < w.size(); ++i) {
      // Pairs of digits by table; everything else one character at a time.
      if (high < 0) {
        const std::size_t k = hex_decode_pairs(w.subspan(i), std::span(out).subspan(n));
        n += k;
        i += 2 * k;
        if (n == out.size()) flush();
        if (i == w.size()) break;
      }
      const int c = w[i];
      const int v = hex_digit_value(c);
      if (v >= 0) {
        if (high < 0) {
          high = v;
          continue;
        }
        out[n++] = static_cast<std::uint8_t>(high << 4 | v);
        high = -1;
        if (n == out.size()) flush();
      } else if (c == '\n') {
        eol = true;
        ++i;
        ++line_;
        break;
      } else if (!inline_space(c) && c != '\r') {
        fail(in_.offset() + i, value_line_, io::printable(tag_), fmt::format("{} in a hex value", describe(c)));
      }
    }
    in_.advance(i);
  }
  if (high >= 0) fail(value_start_, value_line_, io::printable(tag_), "odd number of hex digits in the value");
  flush();
  return total;
}

std::uint64_t TextReader::value_size() {
  if (!has_entry_) throw std::logic_error("value_size: no current entry");
  if (!size_) {
    // Measure by decoding without output, then rewind: constant memory at the cost of a second scan.
    const std::uint64_t line = line_;
    size_ = decode(nullptr);
    in_.seek(value_start_);
    line_ = line;
  }
  return *size_;
}

std::uint64_t TextReader::stream_value(const ChunkFn& sink) {
  if (!value_pending_) throw std::logic_error("stream_value: no unread value");
  value_pending_ = false;
  size_ = decode(&sink);
  return *size_;
}

std::vector<std::uint8_t> TextReader::read_value(std::size_t max_size) {
  if (!value_pending_) throw std::logic_error("read_value: no unread value");
  auto too_long = [&] {
    fail(value_start_, value_line_, io::printable(tag_),
         fmt::format("value longer than the limit of {} bytes", max_size));
  };
  if (size_ && *size_ > max_size) too_long();
  std::vector<std::uint8_t> v;
  stream_value([&](std::span<const std::uint8_t> c) {
    if (c.size() > max_size - v.size()) too_long();
    v.insert(v.end(), c.begin(), c.end());
  });
  return v;
}

TextWriter::TextWriter(ByteSink& out, std::string_view context, std::string file)
    : out_(out), file_(std::move(file)) {
  if (std::any_of(context.begin(), context.end(), [](char c) { return header_space(c) || c == '\xff'; }))
    throw InputError({file_, {}, {}, io::printable(context)},
                     "context name with TAB, CR, LF or 0xFF cannot be written to a textfile header");
  out_.write(bytes_of("["));
  out_.write(bytes_of(context));
  out_.write(bytes_of("]\n"));
}

void TextWriter::do_begin(std::string_view tag, std::uint64_t /*size*/) {
  auto bad = [](char c) { return entry_space(c) || c == '=' || c == '\0' || c == '\xff'; };
  if (tag.empty() || tag.size() > kMaxTagLength || std::any_of(tag.begin(), tag.end(), bad))
    throw InputError({file_, {}, {}, io::printable(tag)},
                     fmt::format("tag cannot be written to a textfile (empty, over {} bytes, or holding "
                                 "SPACE, TAB, CR, LF, '=', NUL or 0xFF)",
                                 kMaxTagLength));
  out_.write(bytes_of(tag));
  out_.write(bytes_of("="));
}

void TextWriter::do_write(std::span<const std::uint8_t> chunk) {
  while (!chunk.empty()) {
    const auto part = chunk.first(std::min(chunk.size(), kChunk));
    hex_.resize(2 * part.size());
    for (std::size_t i = 0; i < part.size(); ++i) std::memcpy(&hex_[2 * i], hex_byte_digits[part[i]].data(), 2);
    out_.write(hex_);
    chunk = chunk.subspan(part.size());
  }
}

void TextWriter::do_end() { out_.write(bytes_of("\n")); }

}  // namespace cptx::palacios
