#include "codecs/io/gzip_stream.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <istream>
#include <limits>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"

namespace cptx::io {

namespace {

constexpr std::size_t kBufSize = 64 * 1024;
constexpr std::uint8_t kMagic0 = 0x1f;
constexpr std::uint8_t kMagic1 = 0x8b;

// 1 MiB of zeros, raw-deflated once and ending on a byte boundary (full flush, not final), so it can
// be copied into any raw deflate stream at a full-flush point.
constexpr std::size_t kZeroBlock = 1 << 20;

struct ZeroBlock {
  std::vector<std::uint8_t> deflated;
  std::uint32_t crc = 0;
};

const ZeroBlock& zero_block() {
  static const ZeroBlock block = [] {
    ZeroBlock b;
    std::vector<std::uint8_t> zeros(kZeroBlock, 0);
    b.crc = static_cast<std::uint32_t>(crc32(0, zeros.data(), static_cast<uInt>(zeros.size())));
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::bad_alloc();
    b.deflated.resize(deflateBound(&zs, kZeroBlock) + 16);
    zs.next_in = zeros.data();
    zs.avail_in = static_cast<uInt>(zeros.size());
    zs.next_out = b.deflated.data();
    zs.avail_out = static_cast<uInt>(b.deflated.size());
    const int rc = deflate(&zs, Z_FULL_FLUSH);
    if (rc != Z_OK || zs.avail_in != 0) throw std::logic_error("zero block did not fit its bound");
    b.deflated.resize(zs.total_out);
    deflateEnd(&zs);
    return b;
  }();
  return block;
}

void put_le32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// zlib counts in uInt; never hand it more than that at once.
uInt clamp_uint(std::uint64_t n) {
  return static_cast<uInt>(std::min<std::uint64_t>(n, std::numeric_limits<uInt>::max()));
}

}  // namespace

GzipReader::GzipReader(std::istream& in, std::string name, std::uint64_t max_output, GzipReadOptions options)
    : in_(in), name_(std::move(name)), max_output_(max_output), buf_(kBufSize) {
  // Raw deflate: the gzip framing is read here (RFC 1952), so that inflating can stop at block
  // boundaries and recognise the precompressed zero block the writer splices in.
  if (inflateInit2(&zs_, -MAX_WBITS) != Z_OK) throw std::bad_alloc();
  zs_.next_in = buf_.data();
  try {
    refill();
    const bool magic = zs_.avail_in >= 2 && buf_[0] == kMagic0 && buf_[1] == kMagic1;
    if (!magic) {
      if (!options.allow_raw)
        fail(zs_.avail_in == 0 ? "empty file, expected a gzip stream" : "not a gzip stream (no 1f 8b magic)");
      raw_ = true;
    }
  } catch (...) {
    inflateEnd(&zs_);
    throw;
  }
}

GzipReader::~GzipReader() { inflateEnd(&zs_); }

void GzipReader::fail(const std::string& what) const {
  throw InputError(Location{name_, consumed(), std::nullopt, ""}, what);
}

void GzipReader::truncated() const {
  fail(fmt::format("truncated gzip stream after {} decompressed bytes", produced_));
}

// Keeps unconsumed input at the front of the buffer and tops it up from the stream.
void GzipReader::refill() {
  if (in_eof_) return;
  if (zs_.avail_in > 0 && zs_.next_in != buf_.data()) std::memmove(buf_.data(), zs_.next_in, zs_.avail_in);
  zs_.next_in = buf_.data();
  const std::size_t room = buf_.size() - zs_.avail_in;
  in_.read(reinterpret_cast<char*>(buf_.data() + zs_.avail_in), static_cast<std::streamsize>(room));
  const auto got = static_cast<std::size_t>(in_.gcount());
  if (in_.bad()) fail("read error");
  if (got < room) in_eof_ = true;
  zs_.avail_in += static_cast<uInt>(got);
  fed_ += got;
}

bool GzipReader::have(std::size_t n) {
  if (zs_.avail_in < n) refill();
  return zs_.avail_in >= n;
}

void GzipReader::skip_input(std::size_t n) {
  zs_.next_in += n;
  zs_.avail_in -= static_cast<uInt>(n);
}

std::size_t GzipReader::read_raw(std::span<std::uint8_t> out) {
  if (zs_.avail_in == 0) refill();
  const std::size_t n = std::min<std::size_t>(out.size(), zs_.avail_in);
  if (n == 0) {
    state_ = State::done;
    return 0;
  }
  if (n > max_output_ - produced_) fail(fmt::format("data continues past the expected {} bytes", max_output_));
  std::memcpy(out.data(), zs_.next_in, n);
  skip_input(n);
  produced_ += n;
  return n;
}

// A member header (RFC 1952 §2.3): ID1 ID2 CM FLG MTIME XFL OS, then by FLG an extra field, a
// NUL-terminated name and comment, and a CRC-16 of the header. It must fit the input buffer.
void GzipReader::read_header() {
  constexpr std::uint8_t ftext = 1, fhcrc = 2, fextra = 4, fname = 8, fcomment = 16;
  const auto length = [&]() -> std::optional<std::size_t> {
    const std::uint8_t* p = zs_.next_in;
    const std::size_t n = zs_.avail_in;
    if (n < 10) return std::nullopt;
    std::size_t at = 10;
    if (p[3] & fextra) {
      if (n < at + 2) return std::nullopt;
      at += 2 + (p[at] | std::size_t{p[at + 1]} << 8);
    }
    for (const std::uint8_t flag : {fname, fcomment}) {
      if (!(p[3] & flag)) continue;
      const auto* end = at < n ? static_cast<const std::uint8_t*>(std::memchr(p + at, 0, n - at)) : nullptr;
      if (!end) return std::nullopt;
      at = static_cast<std::size_t>(end - p) + 1;
    }
    if (p[3] & fhcrc) at += 2;
    if (at > n) return std::nullopt;
    return at;
  };
  auto n = length();
  if (!n) {
    refill();
    n = length();
  }
  if (!n) {
    if (in_eof_) truncated();
    fail(fmt::format("gzip header longer than {} bytes", buf_.size()));
  }
  const std::uint8_t* p = zs_.next_in;
  if (p[0] != kMagic0 || p[1] != kMagic1) fail("trailing bytes after the gzip stream");
  if (p[2] != Z_DEFLATED) fail("corrupt gzip stream: unknown compression method");
  if (p[3] & ~(ftext | fhcrc | fextra | fname | fcomment)) fail("corrupt gzip stream: unknown header flags set");
  if ((p[3] & fhcrc) &&
      (crc32(0, p, static_cast<uInt>(*n - 2)) & 0xffff) != (p[*n - 2] | std::uint32_t{p[*n - 1]} << 8))
    fail("corrupt gzip stream: header crc mismatch");
  skip_input(*n);
  inflateReset(&zs_);
  crc_ = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
  member_size_ = 0;
  at_block_ = true;
  state_ = State::body;
}

// The member trailer: CRC-32 and length mod 2^32 of its data. Then either another member follows
// (gzip allows concatenation) or the input must end.
void GzipReader::read_trailer() {
  if (!have(8)) truncated();
  const auto le32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | zs_.next_in[at + static_cast<std::size_t>(i)];
    return v;
  };
  if (le32(0) != crc_) fail("corrupt gzip stream: incorrect data check");
  if (le32(4) != static_cast<std::uint32_t>(member_size_)) fail("corrupt gzip stream: incorrect length check");
  skip_input(8);
  if (!have(1)) {
    state_ = State::done;
    return;
  }
  if (!have(2) || zs_.next_in[0] != kMagic0 || zs_.next_in[1] != kMagic1) fail("trailing bytes after the gzip stream");
  state_ = State::header;
}

// At a byte-aligned block boundary, the zero block GzipWriter splices in is taken whole: 1 MiB of
// zeros without inflating them. Those bytes mean the same in any stream (they refer to nothing
// before them), so this holds whoever wrote it.
bool GzipReader::splice_zeros() {
  const ZeroBlock& zb = zero_block();
  if (!have(zb.deflated.size()) || std::memcmp(zs_.next_in, zb.deflated.data(), zb.deflated.size()) != 0)
    return false;
  if (kZeroBlock > max_output_ - produced_)
    fail(fmt::format("gzip data inflates past the expected {} bytes", max_output_));
  skip_input(zb.deflated.size());
  // What follows may refer back into the zeros.
  static const std::vector<std::uint8_t> window(std::size_t{1} << MAX_WBITS, 0);
  if (inflateSetDictionary(&zs_, window.data(), static_cast<uInt>(window.size())) != Z_OK)
    throw std::logic_error("inflateSetDictionary failed on a raw stream");
  crc_ = static_cast<std::uint32_t>(crc32_combine(crc_, zb.crc, static_cast<z_off_t>(kZeroBlock)));
  member_size_ += kZeroBlock;
  zeros_ += kZeroBlock;
  return true;
}

std::size_t GzipReader::read(std::span<std::uint8_t> out) {
  if (out.empty()) throw std::invalid_argument("GzipReader::read: empty buffer");
  if (raw_ && state_ != State::done) return read_raw(out);
  for (;;) {
    if (zeros_ > 0) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(zeros_, out.size()));
      std::fill_n(out.begin(), n, std::uint8_t{0});
      zeros_ -= n;
      produced_ += n;
      return n;
    }
    switch (state_) {
      case State::done:
        return 0;
      case State::header:
        read_header();
        continue;
      case State::trailer:
        read_trailer();
        continue;
      case State::body:
        break;
    }
    if (zs_.avail_in == 0) refill();
    if (at_block_ && splice_zeros()) continue;
    // Room for at most one byte beyond the limit: enough to detect an oversized stream without
    // inflating any further.
    const std::uint64_t left = max_output_ - produced_;
    const std::uint64_t allowed = left == std::numeric_limits<std::uint64_t>::max() ? left : left + 1;
    zs_.next_out = out.data();
    zs_.avail_out = clamp_uint(std::min<std::uint64_t>(out.size(), allowed));
    const uInt before = zs_.avail_out;
    // Z_BLOCK: stop at each block boundary, where a spliced zero block may begin.
    const int rc = inflate(&zs_, Z_BLOCK);
    const std::size_t n = before - zs_.avail_out;
    produced_ += n;
    if (produced_ > max_output_) fail(fmt::format("gzip data inflates past the expected {} bytes", max_output_));
    crc_ = static_cast<std::uint32_t>(crc32(crc_, out.data(), static_cast<uInt>(n)));
    member_size_ += n;
    // data_type: 128 at a block boundary, its low bits the unused bits of the last input byte.
    at_block_ = (zs_.data_type & 128) && (zs_.data_type & 7) == 0;
    if (rc == Z_STREAM_END) {
      state_ = State::trailer;
      if (n > 0) return n;
      continue;
    }
    if (rc == Z_OK) {
      if (n > 0) return n;
      continue;
    }
    // No progress possible: fine while more input can be read, truncation otherwise.
    if (rc == Z_BUF_ERROR && zs_.avail_in == 0 && !in_eof_) continue;
    if (rc == Z_BUF_ERROR) truncated();
    fail(fmt::format("corrupt gzip stream: {}", zs_.msg ? zs_.msg : "inflate failed"));
  }
}

void gunzip_exact(std::istream& in, const std::string& name, std::uint64_t expected_size, const ChunkSink& sink,
                  GzipReadOptions options) {
  GzipReader reader(in, name, expected_size, options);
  std::vector<std::uint8_t> chunk(kBufSize);
  while (const std::size_t n = reader.read(chunk)) sink(std::span<const std::uint8_t>(chunk.data(), n));
  if (reader.produced() != expected_size)
    throw InputError(Location{name, reader.consumed(), std::nullopt, ""},
                     fmt::format("data ends after {} bytes, expected {}", reader.produced(), expected_size));
}

void gunzip_file_exact(const std::filesystem::path& file, std::uint64_t expected_size, const ChunkSink& sink,
                       GzipReadOptions options) {
  require_regular_file(file);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(Location{file.string(), std::nullopt, std::nullopt, ""}, "cannot open file");
  gunzip_exact(in, file.string(), expected_size, sink, options);
}

namespace {

constexpr std::size_t kBlock = 1 << 20;
constexpr std::size_t kWindow = 32 * 1024;
// An empty final block with fixed codes: the end of a deflate stream whose blocks end byte-aligned.
constexpr std::array<std::uint8_t, 2> kFinalBlock{0x03, 0x00};

GzipWriter::Block deflate_block(const std::vector<std::uint8_t>& in, const std::vector<std::uint8_t>& dictionary,
                                int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::invalid_argument("GzipWriter: bad compression level");
  GzipWriter::Block b;
  try {
    if (!dictionary.empty() &&
        deflateSetDictionary(&zs, dictionary.data(), static_cast<uInt>(dictionary.size())) != Z_OK)
      throw std::logic_error("deflateSetDictionary failed");
    b.deflated.resize(deflateBound(&zs, in.size()) + 16);
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = static_cast<uInt>(in.size());
    for (;;) {
      zs.next_out = b.deflated.data() + zs.total_out;
      zs.avail_out = static_cast<uInt>(b.deflated.size() - zs.total_out);
      // A sync flush ends the block on a byte boundary, so the next one can follow it directly.
      const int rc = deflate(&zs, Z_SYNC_FLUSH);
      if (rc != Z_OK && rc != Z_BUF_ERROR) throw std::logic_error("deflate: stream error");
      if (zs.avail_in == 0 && zs.avail_out != 0) break;
      b.deflated.resize(b.deflated.size() * 2);
    }
  } catch (...) {
    deflateEnd(&zs);
    throw;
  }
  b.deflated.resize(zs.total_out);
  deflateEnd(&zs);
  b.crc = static_cast<std::uint32_t>(crc32(0, in.data(), static_cast<uInt>(in.size())));
  b.size = in.size();
  return b;
}

}  // namespace

GzipWriter::GzipWriter(std::ostream& out, std::string name, int level, unsigned jobs)
    : out_(out), name_(std::move(name)), level_(level), jobs_(std::max(1u, jobs)) {
  z_stream probe{};
  if (deflateInit2(&probe, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::invalid_argument("GzipWriter: bad compression level");
  deflateEnd(&probe);
  crc_ = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
  pending_.reserve(kBlock);
  // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=3 (Unix): the header gem5's images carry.
  static constexpr std::array<std::uint8_t, 10> header{kMagic0, kMagic1, 8, 0, 0, 0, 0, 0, 0, 3};
  put(header.data(), header.size());
}

// Blocks still being compressed are waited for (a future from std::async joins on destruction).
GzipWriter::~GzipWriter() = default;

void GzipWriter::put(const std::uint8_t* data, std::size_t n) {
  out_.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
  if (!out_) write_failed(name_);
}

// Hands the pending input to a compressing thread (or, with one job, to the caller when drained).
void GzipWriter::submit() {
  if (pending_.empty()) return;
  auto block = std::make_shared<std::vector<std::uint8_t>>(std::move(pending_));
  auto dictionary = std::make_shared<std::vector<std::uint8_t>>(dictionary_);
  // The next block is primed with the last 32 KiB before it.
  if (block->size() >= kWindow) {
    dictionary_.assign(block->end() - kWindow, block->end());
  } else {
    dictionary_.insert(dictionary_.end(), block->begin(), block->end());
    if (dictionary_.size() > kWindow) dictionary_.erase(dictionary_.begin(), dictionary_.end() - kWindow);
  }
  pending_ = {};
  pending_.reserve(kBlock);
  const int level = level_;
  in_flight_.push_back(std::async(jobs_ > 1 ? std::launch::async : std::launch::deferred,
                                  [block, dictionary, level] { return deflate_block(*block, *dictionary, level); }));
  drain(jobs_ > 1 ? 2 * std::size_t{jobs_} : 0);
}

// Writes finished blocks, in order, until at most `keep` are still being compressed.
void GzipWriter::drain(std::size_t keep) {
  while (in_flight_.size() > keep) {
    const Block b = in_flight_.front().get();
    in_flight_.pop_front();
    put(b.deflated.data(), b.deflated.size());
    crc_ = static_cast<std::uint32_t>(crc32_combine(crc_, b.crc, static_cast<z_off_t>(b.size)));
  }
}

void GzipWriter::write(std::span<const std::uint8_t> data) {
  if (finished_) throw std::logic_error("GzipWriter: write after finish");
  while (!data.empty()) {
    const std::size_t n = std::min(data.size(), kBlock - pending_.size());
    pending_.insert(pending_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
    size_ += n;
    data = data.subspan(n);
    if (pending_.size() == kBlock) submit();
  }
}

void GzipWriter::write_zeros(std::uint64_t count) {
  if (finished_) throw std::logic_error("GzipWriter: write after finish");
  static const std::array<std::uint8_t, 4096> page{};
  if (count >= 2 * kZeroBlock) {
    const ZeroBlock& zb = zero_block();
    submit();
    drain(0);  // the blocks before the splice are out, in order
    for (; count >= kZeroBlock; count -= kZeroBlock) {
      put(zb.deflated.data(), zb.deflated.size());
      crc_ = static_cast<std::uint32_t>(crc32_combine(crc_, zb.crc, static_cast<z_off_t>(kZeroBlock)));
      size_ += kZeroBlock;
    }
    dictionary_.assign(kWindow, 0);
  }
  for (; count > 0;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(count, page.size()));
    write(std::span<const std::uint8_t>(page.data(), n));
    count -= n;
  }
}

void GzipWriter::finish() {
  if (finished_) return;
  submit();
  drain(0);
  put(kFinalBlock.data(), kFinalBlock.size());
  std::array<std::uint8_t, 8> trailer{};
  put_le32(trailer.data(), crc_);
  put_le32(trailer.data() + 4, static_cast<std::uint32_t>(size_));  // ISIZE is the length mod 2^32
  put(trailer.data(), trailer.size());
  out_.flush();
  if (!out_) write_failed(name_);
  finished_ = true;
}

}  // namespace cptx::io
