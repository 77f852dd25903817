#include "codecs/qemu/wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"

namespace cptx::qemu {

namespace {
// Large enough that a scan of page headers reads the stream once, in few calls.
constexpr std::size_t window_capacity = std::size_t{1} << 20;
}  // namespace

WireReader::WireReader(std::string path) : path_(std::move(path)) {
  io::require_regular_file(path_);
  file_.rdbuf()->pubsetbuf(nullptr, 0);
  file_.open(path_, std::ios::binary);
  if (!file_) throw InputError({path_}, "cannot open");
  file_.seekg(0, std::ios::end);
  const auto end = file_.tellg();
  if (end < 0) throw InputError({path_}, "cannot read");
  size_ = static_cast<std::uint64_t>(end);
  window_.reserve(window_capacity);
}

void WireReader::fail(const std::string& what) const { fail_at(offset_, what); }

void WireReader::fail_at(std::uint64_t off, const std::string& what) const {
  throw InputError({path_, off, std::nullopt, context_}, what);
}

void WireReader::need(std::uint64_t n) {
  if (n > size_ - offset_)
    fail(fmt::format("stream ends: {} bytes needed, {} left", n, size_ - offset_));
}

void WireReader::refill() {
  const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(window_capacity, size_ - offset_));
  window_.resize(n);
  file_.clear();
  file_.seekg(static_cast<std::streamoff>(offset_));
  file_.read(reinterpret_cast<char*>(window_.data()), static_cast<std::streamsize>(n));
  if (static_cast<std::size_t>(file_.gcount()) != n) fail("read error");
  window_at_ = offset_;
}

void WireReader::bytes(std::span<std::uint8_t> out) {
  need(out.size());
  for (std::size_t done = 0; done < out.size();) {
    if (offset_ < window_at_ || offset_ >= window_at_ + window_.size()) refill();
    const std::size_t from = static_cast<std::size_t>(offset_ - window_at_);
    const std::size_t n = std::min(out.size() - done, window_.size() - from);
    std::memcpy(out.data() + done, window_.data() + from, n);
    done += n;
    offset_ += n;
  }
}

std::uint64_t WireReader::be(unsigned width) {
  std::uint8_t b[8];
  bytes(std::span(b, width));
  std::uint64_t v = 0;
  for (unsigned i = 0; i < width; ++i) v = v << 8 | b[i];
  return v;
}

std::uint8_t WireReader::u8() { return static_cast<std::uint8_t>(be(1)); }
std::uint16_t WireReader::be16() { return static_cast<std::uint16_t>(be(2)); }
std::uint32_t WireReader::be32() { return static_cast<std::uint32_t>(be(4)); }
std::uint64_t WireReader::be64() { return be(8); }

std::string WireReader::name() {
  const std::uint8_t n = u8();
  std::string s(n, '\0');
  bytes(std::span(reinterpret_cast<std::uint8_t*>(s.data()), n));
  return s;
}

void WireReader::skip(std::uint64_t n) {
  need(n);
  seek(offset_ + n);
}

void WireReader::seek(std::uint64_t off) {
  if (off > size_) fail(fmt::format("offset {} lies beyond the end of the stream", off));
  offset_ = off;
}

int WireReader::peek() {
  if (offset_ >= size_) return -1;
  std::uint8_t b;
  bytes(std::span(&b, 1));
  --offset_;
  return b;
}

void WireWriter::be(std::uint64_t v, unsigned width) {
  for (unsigned i = width; i-- > 0;) buf_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  maybe_flush();
}

void WireWriter::bytes(std::span<const std::uint8_t> b) {
  buf_.insert(buf_.end(), b.begin(), b.end());
  maybe_flush();
}

void WireWriter::name(std::string_view n) {
  u8(static_cast<std::uint8_t>(n.size()));
  bytes(std::span(reinterpret_cast<const std::uint8_t*>(n.data()), n.size()));
}

void WireWriter::flush() {
  if (buf_.empty()) return;
  out_.write(reinterpret_cast<const char*>(buf_.data()), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
  if (!out_) io::write_failed(file_);
}

}  // namespace cptx::qemu
