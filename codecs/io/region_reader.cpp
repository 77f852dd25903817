#include "codecs/io/region_reader.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/gzip_stream.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/io/progress.hpp"
#include "model/hex.hpp"

namespace cptx {

namespace {
PagedSourceFactory paged_factory = nullptr;
}

void register_region_encoding(model::Encoding encoding, PagedSourceFactory factory) {
  if (encoding == model::Encoding::qemu) paged_factory = factory;
}

RegionReader::RegionReader(const model::RamRegion& region) : region_(region), remaining_(region.size) {
  if (!region.backing) return;
  const auto& b = *region.backing;
  if (b.encoding == model::Encoding::qemu) {
    if (!paged_factory) throw InputError({b.path}, "this program cannot read RAM from QEMU streams");
    paged_ = paged_factory(region);
    return;
  }
  io::require_regular_file(b.path, {"", {}, {}, "backing.path"});
  file_.open(b.path, std::ios::binary);
  if (!file_) throw InputError({b.path}, "cannot open");
  if (b.encoding == model::Encoding::gzip) {
    // The region ends the useful part of the stream: inflating further is refused (gzip bombs).
    gzip_ = std::make_unique<io::GzipReader>(file_, b.path, b.offset + region.size);
    std::vector<std::uint8_t> skip(1 << 16);
    for (std::uint64_t left = b.offset; left;) {
      const std::size_t n = gzip_->read(std::span(skip.data(), std::min<std::uint64_t>(left, skip.size())));
      if (n == 0) throw InputError({b.path, b.offset}, "decompressed stream ends before the region starts");
      left -= n;
    }
  } else {
    file_.seekg(static_cast<std::streamoff>(b.offset));
    if (!file_) throw InputError({b.path, b.offset}, "file ends before the region starts");
  }
  file_pos_ = b.offset;
}

RegionReader::~RegionReader() = default;

void RegionReader::truncated() const {
  throw InputError({region_.backing->path, file_pos_},
                   fmt::format("ends {} bytes before the end of the region at guest-physical 0x{:x}", remaining_,
                               region_.gpa));
}

std::size_t RegionReader::read(std::span<std::uint8_t> buf) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), remaining_));
  if (n == 0) return 0;
  io::Progress::advance(n);
  if (!region_.backing) {
    std::fill_n(buf.begin(), n, std::uint8_t{0});
  } else if (paged_) {
    if (paged_->read(buf.first(n)) != n) truncated();
  } else if (gzip_) {
    for (std::size_t got = 0; got < n;) {
      const std::size_t r = gzip_->read(buf.subspan(got, n - got));
      file_pos_ += r;
      if (r == 0) truncated();
      got += r;
    }
  } else if (region_.backing->encoding == model::Encoding::raw) {
    file_.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(n));
    file_pos_ += static_cast<std::uint64_t>(file_.gcount());
    if (static_cast<std::size_t>(file_.gcount()) != n) truncated();
  } else {
    // Two digits a byte; whitespace between digits is tolerated as Palacios's text store does.
    std::vector<char> text(2 * n);
    std::size_t filled = 0;
    int high = -1;
    while (filled < n) {
      // Never read past the digits this call needs: the next call continues from here.
      const std::size_t digits = 2 * (n - filled) - (high >= 0 ? 1 : 0);
      file_.read(text.data(), static_cast<std::streamsize>(digits));
      const auto got = static_cast<std::size_t>(file_.gcount());
      if (got == 0) truncated();
      for (std::size_t i = 0; i < got; ++i, ++file_pos_) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        const int v = hex_digit_value(c);
        if (v < 0)
          throw InputError({region_.backing->path, file_pos_},
                           fmt::format("expected a hex digit, got byte 0x{:02x}", static_cast<unsigned char>(c)));
        if (high < 0) {
          high = v;
        } else {
          buf[filled++] = static_cast<std::uint8_t>(high << 4 | v);
          high = -1;
        }
      }
    }
  }
  remaining_ -= n;
  return n;
}

}  // namespace cptx
