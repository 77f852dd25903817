#include "codecs/palacios/byte_sink.hpp"

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "codecs/io/error.hpp"
#include "codecs/io/zero.hpp"

namespace cptx::palacios {

namespace {
constexpr std::size_t kBufferSize = 64 * 1024;
constexpr std::size_t kPage = 4096;
}  // namespace

FileSink::FileSink(const std::filesystem::path& path, std::filesystem::path shown, Open how)
    : shown_(std::move(shown)) {
  fd_ = how == Open::create ? ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)
                            : ::open(path.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
  if (fd_ < 0) io::write_failed(shown_);
  buf_.reserve(kBufferSize);
}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSink::write(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), kBufferSize - buf_.size());
    buf_.insert(buf_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    bytes = bytes.subspan(n);
    if (buf_.size() == kBufferSize) flush(false);
  }
}

void FileSink::write_all(std::span<const std::uint8_t> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) io::write_failed(shown_);
    done += static_cast<std::size_t>(n);
  }
}

// The buffer starts at a page boundary of the file. Its whole pages go out, zero ones as holes; a
// partial last page stays for the next bytes unless this is the end of the file.
void FileSink::flush(bool end) {
  const std::size_t whole = end ? buf_.size() : buf_.size() / kPage * kPage;
  std::size_t data_from = 0;
  const auto write_data = [&](std::size_t to) {
    if (data_from == to) return;
    if (hole_ != 0 && ::lseek(fd_, static_cast<off_t>(hole_), SEEK_CUR) < 0) io::write_failed(shown_);
    hole_ = 0;
    write_all(std::span(buf_).subspan(data_from, to - data_from));
  };
  for (std::size_t at = 0; at + kPage <= whole; at += kPage)
    if (io::all_zero(std::span(buf_).subspan(at, kPage))) {
      write_data(at);
      hole_ += kPage;
      data_from = at + kPage;
    }
  write_data(whole);
  buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(whole));
}

void FileSink::close() {
  if (fd_ < 0) return;
  flush(true);
  // A hole at the end is the file's length, not a write.
  if (hole_ != 0 && ::ftruncate(fd_, ::lseek(fd_, static_cast<off_t>(hole_), SEEK_CUR)) != 0)
    io::write_failed(shown_);
  if (::fsync(fd_) != 0) io::write_failed(shown_);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) io::write_failed(shown_);
}

}  // namespace cptx::palacios
