#include "codecs/palacios/byte_sink.hpp"

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "codecs/io/error.hpp"

namespace cptx::palacios {

namespace {
constexpr std::size_t kBufferSize = 64 * 1024;
}  // namespace

FileSink::FileSink(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd_ < 0) io::write_failed(path);
  buf_.reserve(kBufferSize);
}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSink::write(std::span<const std::uint8_t> bytes) {
  if (buf_.size() + bytes.size() > kBufferSize) flush();
  if (bytes.size() >= kBufferSize) {
    write_all(bytes);  // large chunks skip the copy
    return;
  }
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
}

void FileSink::write_all(std::span<const std::uint8_t> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) io::write_failed(path_);
    done += static_cast<std::size_t>(n);
  }
}

void FileSink::flush() {
  write_all(buf_);
  buf_.clear();
}

void FileSink::close() {
  if (fd_ < 0) return;
  flush();
  if (::fsync(fd_) != 0) io::write_failed(path_);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) io::write_failed(path_);
}

}  // namespace cptx::palacios
