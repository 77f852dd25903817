#include "codecs/io/atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include <fmt/format.h>

#include "codecs/io/error.hpp"

namespace cptx {

namespace fs = std::filesystem;

namespace {

fs::path sibling(const fs::path& target, std::string_view tag) {
  std::random_device rd;
  return target.parent_path() /
         fmt::format(".{}.{}-{:08x}", target.filename().string(), tag, static_cast<std::uint32_t>(rd()));
}

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

}  // namespace

AtomicOutput::AtomicOutput(fs::path target, Kind kind, bool force)
    : target_(std::move(target)), kind_(kind), force_(force) {
  if (target_.filename().empty()) target_ = target_.parent_path();  // "out/" names "out"
  std::error_code ec;
  if (fs::symlink_status(target_, ec).type() != fs::file_type::not_found && !force_)
    throw UsageError(fmt::format("{}: exists; use --force to replace it", target_.string()));
  const fs::path parent = target_.parent_path().empty() ? fs::path(".") : target_.parent_path();
  if (!fs::is_directory(parent, ec)) throw UsageError(fmt::format("{}: no such directory", parent.string()));

  for (int attempt = 0;; ++attempt) {
    staging_ = sibling(target_, "tmp");
    int rc;
    if (kind_ == Kind::directory) {
      rc = ::mkdir(staging_.c_str(), 0755);
    } else {
      rc = ::open(staging_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (rc >= 0) rc = ::close(rc);
    }
    if (rc == 0) break;
    if (errno != EEXIST || attempt > 8)
      throw UsageError(fmt::format("{}: cannot create: {}", staging_.string(), std::strerror(errno)));
  }
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) remove_quietly(staging_);
}

void AtomicOutput::commit() {
  std::error_code ec;
  const bool exists = fs::symlink_status(target_, ec).type() != fs::file_type::not_found;
  if (exists && !force_) throw UsageError(fmt::format("{}: appeared while writing; not replaced", target_.string()));
  if (exists && kind_ == Kind::directory) {
    // rename(2) cannot replace a non-empty directory: move the old one aside first.
    const fs::path old = sibling(target_, "old");
    fs::rename(target_, old);
    fs::rename(staging_, target_);
    remove_quietly(old);
  } else {
    fs::rename(staging_, target_);
  }
  committed_ = true;
}

}  // namespace cptx
