#include "codecs/io/region_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/gzip_stream.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/io/progress.hpp"
#include "codecs/io/ram_tally.hpp"
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
  if (b.encoding == model::Encoding::raw) {
    fd_ = ::open(b.path.c_str(), O_RDONLY | O_CLOEXEC);  // for SEEK_DATA only; bytes come from file_
    std::error_code ec;
    file_size_ = std::filesystem::file_size(b.path, ec);
    if (ec) throw InputError({b.path}, "cannot read its size: " + ec.message());
    data_end_ = file_pos_;
  }
}

RegionReader::~RegionReader() {
  if (fd_ >= 0) ::close(fd_);
}

// Where the file's next data at or after file_pos_ begins and ends: the bytes before it are a hole
// of a sparse file (zero pages the writer skipped). A file system that cannot tell has data
// throughout. Past the end of the file, the region is cut short.
void RegionReader::locate_data() {
  if (file_pos_ >= file_size_) truncated();
  data_at_ = file_pos_;
  data_end_ = file_size_;
  if (fd_ < 0) return;
  const off_t data = ::lseek(fd_, static_cast<off_t>(file_pos_), SEEK_DATA);
  if (data < 0) {
    if (errno == ENXIO) data_at_ = file_size_;  // a hole to the end
    return;
  }
  data_at_ = std::min<std::uint64_t>(static_cast<std::uint64_t>(data), file_size_);
  const off_t hole = ::lseek(fd_, data, SEEK_HOLE);
  if (hole > data) data_end_ = std::min<std::uint64_t>(static_cast<std::uint64_t>(hole), file_size_);
}

// Raw bytes, a hole filled with zeros here rather than copied out by the kernel page by page.
void RegionReader::read_raw(std::span<std::uint8_t> out) {
  while (!out.empty()) {
    if (file_pos_ >= data_end_) locate_data();
    std::size_t n = 0;
    if (file_pos_ < data_at_) {
      n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), data_at_ - file_pos_));
      std::fill_n(out.begin(), n, std::uint8_t{0});
      skipped_ = true;
    } else {
      n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), data_end_ - file_pos_));
      if (skipped_) file_.seekg(static_cast<std::streamoff>(file_pos_));
      skipped_ = false;
      file_.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(n));
      if (static_cast<std::size_t>(file_.gcount()) != n) {
        file_pos_ += static_cast<std::uint64_t>(file_.gcount());
        truncated();
      }
    }
    file_pos_ += n;
    out = out.subspan(n);
  }
}

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
    read_raw(buf.first(n));
  } else {
    // Two digits a byte; whitespace between digits is tolerated as Palacios's text store does.
    text_.resize(2 * n);
    std::size_t filled = 0;
    int high = -1;
    while (filled < n) {
      // Never read past the digits this call needs: the next call continues from here.
      const std::size_t digits = 2 * (n - filled) - (high >= 0 ? 1 : 0);
      file_.read(text_.data(), static_cast<std::streamsize>(digits));
      const auto got = static_cast<std::size_t>(file_.gcount());
      if (got == 0) truncated();
      const auto* text = reinterpret_cast<const std::uint8_t*>(text_.data());
      for (std::size_t i = 0; i < got; ++i) {
        // Pairs of digits by table; whitespace and errors one character at a time.
        if (high < 0) {
          const std::size_t k = hex_decode_pairs(std::span(text + i, got - i), buf.first(n).subspan(filled));
          filled += k;
          i += 2 * k;
          if (i == got) break;
        }
        const std::uint8_t c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        const std::uint8_t v = hex_digit_values[c];
        if (v > 0xf)
          throw InputError({region_.backing->path, file_pos_ + i},
                           fmt::format("expected a hex digit, got byte 0x{:02x}", c));
        if (high < 0) {
          high = v;
        } else {
          buf[filled++] = static_cast<std::uint8_t>(high << 4 | v);
          high = -1;
        }
      }
      file_pos_ += got;
    }
  }
  remaining_ -= n;
  if (io::RamTally::counting()) {
    zero_pages_.add(buf.first(n));
    if (remaining_ == 0) io::RamTally::region_read(region_.gpa, zero_pages_.zero_pages());
  }
  return n;
}

}  // namespace cptx
