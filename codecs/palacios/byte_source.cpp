#include "codecs/palacios/byte_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codecs/io/error.hpp"

namespace cptx::palacios {

namespace {
constexpr std::size_t kBufferSize = 64 * 1024;
}

std::size_t MemorySource::read_at(std::uint64_t offset, std::span<std::uint8_t> out) {
  if (offset >= bytes_.size()) return 0;
  std::size_t n = std::min<std::uint64_t>(out.size(), bytes_.size() - offset);
  std::memcpy(out.data(), bytes_.data() + offset, n);
  return n;
}

FileSource::FileSource(const std::filesystem::path& path) : ByteSource(path.string()) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd_ < 0) {
    if (errno == ELOOP) throw InputError({name(), {}, {}, {}}, "is a symbolic link; refusing to follow it");
    throw InputError({name(), {}, {}, {}}, std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw InputError({name(), {}, {}, {}}, "not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
}

FileSource::~FileSource() { ::close(fd_); }

std::size_t FileSource::read_at(std::uint64_t offset, std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size() && offset + done < size_) {
    ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError({name(), offset + done, {}, {}}, std::string("read error: ") + std::strerror(errno));
    if (n == 0) break;  // the file shrank under us; callers see a truncated file
    done += static_cast<std::size_t>(n);
  }
  return done;
}

SourceCursor::SourceCursor(std::unique_ptr<ByteSource> source) : source_(std::move(source)) {}

bool SourceCursor::fill() {
  buf_start_ += pos_;
  pos_ = 0;
  buf_.resize(kBufferSize);
  buf_.resize(source_->read_at(buf_start_, buf_));
  return !buf_.empty();
}

std::span<const std::uint8_t> SourceCursor::window() {
  if (pos_ >= buf_.size()) fill();
  return std::span<const std::uint8_t>(buf_).subspan(pos_);
}

std::size_t SourceCursor::read(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    auto w = window();
    if (w.empty()) break;
    std::size_t n = std::min(w.size(), out.size() - done);
    std::memcpy(out.data() + done, w.data(), n);
    advance(n);
    done += n;
  }
  return done;
}

void SourceCursor::seek(std::uint64_t offset) {
  if (offset >= buf_start_ && offset <= buf_start_ + buf_.size()) {
    pos_ = static_cast<std::size_t>(offset - buf_start_);
    return;
  }
  buf_.clear();
  buf_start_ = offset;
  pos_ = 0;
}

}  // namespace cptx::palacios
