#include "codecs/io/ram_stream.hpp"

#include <algorithm>
#include <stdexcept>

#include "codecs/io/progress.hpp"

namespace cptx {

RamStream::RamStream(const model::Memory& memory, std::uint64_t from) : memory_(memory), gpa_(from) {
  while (next_ < memory_.regions.size() && memory_.regions[next_].gpa + memory_.regions[next_].size <= from) ++next_;
  if (next_ < memory_.regions.size() && memory_.regions[next_].gpa < from)
    throw std::logic_error("RamStream starts inside a RAM region");
}

std::size_t RamStream::read(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size() && next_ < memory_.regions.size()) {
    const model::RamRegion& r = memory_.regions[next_];
    auto chunk = out.subspan(done);
    if (gpa_ < r.gpa) {  // a hole
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), r.gpa - gpa_));
      std::fill_n(chunk.begin(), n, 0);
      io::Progress::advance(n);
      done += n;
      gpa_ += n;
      continue;
    }
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), r.gpa + r.size - gpa_));
    if (r.backing) {
      if (!reader_) reader_ = std::make_unique<RegionReader>(r);
      reader_->read(chunk.first(n));
    } else {
      std::fill_n(chunk.begin(), n, 0);
      io::Progress::advance(n);  // a RegionReader counts the bytes it reads
    }
    done += n;
    gpa_ += n;
    if (gpa_ == r.gpa + r.size) {
      reader_.reset();
      ++next_;
    }
  }
  return done;
}

void RamStream::read_padded(std::span<std::uint8_t> out) {
  const std::size_t got = read(out);
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(got), out.end(), 0);
}

}  // namespace cptx
