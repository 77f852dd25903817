#include "codecs/palacios/binfile.hpp"

#include <array>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/text.hpp"

namespace cptx::palacios {

namespace {
constexpr std::size_t kChunk = 64 * 1024;

void put_le(ByteSink& out, std::uint64_t v, std::size_t width) {
  std::array<std::uint8_t, 8> b{};
  for (std::size_t i = 0; i < width; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
  out.write(std::span(b).first(width));
}
}  // namespace

BinaryReader::BinaryReader(std::unique_ptr<ByteSource> source, std::string context)
    : in_(std::move(source)), context_(std::move(context)) {}

void BinaryReader::fail(std::uint64_t offset, const std::string& key, const std::string& what) const {
  throw InputError({in_.name(), offset, {}, key}, what);
}

std::uint64_t BinaryReader::read_le(std::size_t width, const char* field, const std::string& key) {
  const std::uint64_t at = in_.offset();
  if (in_.remaining() < width)
    fail(at, key, fmt::format("truncated entry: the {} needs {} bytes, {} left", field, width, in_.remaining()));
  std::array<std::uint8_t, 8> b{};
  in_.read(std::span(b).first(width));
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v |= std::uint64_t{b[i]} << (8 * i);
  return v;
}

std::optional<EntryInfo> BinaryReader::next() {
  in_.seek(next_entry_);
  value_pending_ = false;
  has_entry_ = false;
  const std::uint64_t start = in_.offset();
  if (in_.remaining() == 0) return std::nullopt;

  const auto boundary = read_le(4, "boundary tag", context_);
  if (boundary != kBoundaryTag)
    fail(start, context_, fmt::format("bad boundary tag 0x{:08x}, expected 0x{:08x}", boundary, kBoundaryTag));

  // The lengths are C int64 fields (§1.4): a value of 2^63 or more reads as negative.
  const auto tag_len = static_cast<std::int64_t>(read_le(8, "tag length", context_));
  if (tag_len < 0 || static_cast<std::uint64_t>(tag_len) > kMaxTagLength)
    fail(start + 4, context_, fmt::format("tag length {} out of range 0..{}", tag_len, kMaxTagLength));
  if (static_cast<std::uint64_t>(tag_len) > in_.remaining())
    fail(start + 4, context_,
         fmt::format("truncated entry: tag length {} but {} bytes left", tag_len, in_.remaining()));
  tag_.resize(static_cast<std::size_t>(tag_len));
  in_.read(std::span(reinterpret_cast<std::uint8_t*>(tag_.data()), tag_.size()));
  const std::string key = io::printable(tag_);

  const std::uint64_t len_at = in_.offset();
  const auto value_len = static_cast<std::int64_t>(read_le(8, "value length", key));
  if (value_len < 0) fail(len_at, key, fmt::format("value length {} is negative", value_len));
  if (static_cast<std::uint64_t>(value_len) > in_.remaining())
    fail(len_at, key,
         fmt::format("value length {} exceeds the {} bytes left in the file", value_len, in_.remaining()));

  value_start_ = in_.offset();
  value_size_ = static_cast<std::uint64_t>(value_len);
  next_entry_ = value_start_ + value_size_;
  value_pending_ = true;
  has_entry_ = true;
  return EntryInfo{tag_, value_size_, start, std::nullopt};
}

void BinaryReader::require_value(const char* call) const {
  if (!value_pending_) throw std::logic_error(std::string(call) + ": no unread value");
}

std::uint64_t BinaryReader::value_size() {
  if (!has_entry_) throw std::logic_error("value_size: no current entry");
  return value_size_;
}

std::uint64_t BinaryReader::stream_value(const ChunkFn& sink) {
  require_value("stream_value");
  value_pending_ = false;
  std::vector<std::uint8_t> buf(static_cast<std::size_t>(std::min<std::uint64_t>(value_size_, kChunk)));
  for (std::uint64_t left = value_size_; left > 0;) {
    auto chunk = std::span(buf).first(static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size())));
    if (in_.read(chunk) != chunk.size())
      fail(in_.offset(), io::printable(tag_), "file shrank while being read");
    sink(chunk);
    left -= chunk.size();
  }
  return value_size_;
}

std::vector<std::uint8_t> BinaryReader::read_value(std::size_t max_size) {
  require_value("read_value");
  if (value_size_ > max_size)
    fail(value_start_, io::printable(tag_),
         fmt::format("value of {} bytes exceeds the limit of {} bytes", value_size_, max_size));
  std::vector<std::uint8_t> v;
  v.reserve(static_cast<std::size_t>(value_size_));
  stream_value([&](std::span<const std::uint8_t> c) { v.insert(v.end(), c.begin(), c.end()); });
  return v;
}

BinaryWriter::BinaryWriter(ByteSink& out, std::string file) : out_(out), file_(std::move(file)) {}

void BinaryWriter::do_begin(std::string_view tag, std::uint64_t size) {
  if (tag.size() > kMaxTagLength)
    throw InputError({file_, {}, {}, io::printable(tag)}, fmt::format("tag longer than {} bytes", kMaxTagLength));
  if (size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    throw InputError({file_, {}, {}, io::printable(tag)}, "value too large for an int64 length");
  put_le(out_, kBoundaryTag, 4);
  put_le(out_, tag.size(), 8);
  out_.write(std::span(reinterpret_cast<const std::uint8_t*>(tag.data()), tag.size()));
  put_le(out_, size, 8);
}

void BinaryWriter::do_write(std::span<const std::uint8_t> chunk) { out_.write(chunk); }

}  // namespace cptx::palacios
