#include "codecs/io/atomic_output.hpp"

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "codecs/io/error.hpp"

namespace cptx {
namespace fs = std::filesystem;

namespace {

// The output a path names: "out/" names "out".
fs::path output_name(const fs::path& p) { return p.has_filename() ? p : p.parent_path(); }

bool exists_no_follow(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type() != fs::file_type::not_found;
}

[[noreturn]] void throw_errno(const std::string& what, const fs::path& p) {
  throw fs::filesystem_error(what, p, std::error_code(errno, std::generic_category()));
}

// The rename is only durable once the directory holding the new name is on disk.
void sync_parent(const fs::path& p) {
  fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
  int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// renameat2 flags may be unsupported by the file system; the caller then falls back.
bool flags_unsupported(int err) { return err == EINVAL || err == ENOSYS || err == ENOTSUP; }

// The temporaries alive now, for the signal handler: fixed storage, so the handler neither allocates
// nor follows pointers that a half-finished update could leave dangling.
constexpr int max_pending = 32;
char pending_path[max_pending][PATH_MAX];
volatile std::sig_atomic_t pending_used[max_pending];

int register_pending(const fs::path& temp) {
  const std::string abs = fs::absolute(temp).string();
  if (abs.size() >= PATH_MAX) return -1;
  for (int i = 0; i < max_pending; ++i)
    if (!pending_used[i]) {
      std::memcpy(pending_path[i], abs.c_str(), abs.size() + 1);
      pending_used[i] = 1;
      return i;
    }
  return -1;  // more outputs at once than slots: this one is left to the destructor alone
}

void unregister_pending(int slot) {
  if (slot >= 0) pending_used[slot] = 0;
}

// Removes a temporary file, or a temporary directory and the files in it (outputs are flat), with
// async-signal-safe calls only.
void remove_in_handler(const char* path) {
  if (::unlink(path) == 0 || (errno != EISDIR && errno != EPERM)) return;
  const int dir = ::open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir >= 0) {
    alignas(8) char buf[4096];
    for (long n; (n = ::syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0;)
      for (long at = 0; at < n;) {
        const auto* e = reinterpret_cast<const struct dirent64*>(buf + at);
        const char* name = e->d_name;
        if (!(name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))) ::unlinkat(dir, name, 0);
        at += e->d_reclen;
      }
    ::close(dir);
  }
  ::rmdir(path);
}

constexpr int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

// Holds back the signals that remove temporaries while it lives.
class SignalsHeld {
 public:
  SignalsHeld() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : cleanup_signals) sigaddset(&set, sig);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~SignalsHeld() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t old_;
};

extern "C" void remove_pending_and_reraise(int sig) {
  const int saved = errno;
  for (int i = 0; i < max_pending; ++i)
    if (pending_used[i]) remove_in_handler(pending_path[i]);
  errno = saved;
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

void AtomicOutput::remove_temporaries_on_signals() {
  struct sigaction sa {};
  sa.sa_handler = remove_pending_and_reraise;
  sigemptyset(&sa.sa_mask);
  for (int sig : cleanup_signals) sigaddset(&sa.sa_mask, sig);
  for (int sig : cleanup_signals) ::sigaction(sig, &sa, nullptr);
}

AtomicOutput::AtomicOutput(fs::path target, Kind kind, bool force) : target_(std::move(target)), force_(force) {
  target_ = output_name(target_);
  if (target_.empty() || !target_.has_filename() || target_.filename() == "." || target_.filename() == "..")
    throw UsageError("output path '" + target_.string() + "' does not name a file or directory");
  if (!force_ && exists_no_follow(target_))
    throw UsageError("output '" + target_.string() + "' already exists (use --force to replace it)");

  std::string templ = target_.string() + ".tmp-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  {
    // A signal between creating the temporary and registering it would leave it behind.
    const SignalsHeld held;
    if (kind == Kind::directory) {
      if (::mkdtemp(buf.data()) == nullptr) throw_errno("cannot create temporary directory", templ);
    } else {
      int fd = ::mkstemp(buf.data());
      if (fd < 0) throw_errno("cannot create temporary file", templ);
      ::close(fd);
    }
    temp_ = fs::path(buf.data());
    pending_slot_ = register_pending(temp_);
  }
  // mkstemp/mkdtemp create private entries; the output gets the modes the user's umask asks for.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(temp_.c_str(), (kind == Kind::directory ? 0777 : 0666) & ~mask);
}

AtomicOutput::~AtomicOutput() {
  unregister_pending(pending_slot_);
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(temp_, ec);
}

namespace {

// Moves `temp` to `target`, as AtomicOutput::commit() describes. Returns whether it replaced an
// output that was there.
bool rename_into_place(const fs::path& temp, const fs::path& target, bool force) {
  const auto exists_error = [&] {
    return UsageError("output '" + target.string() + "' already exists (use --force to replace it)");
  };
  bool replaced = false;
  if (!force) {
    // RENAME_NOREPLACE closes the window between the constructor's check and now.
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
      if (errno == EEXIST) throw exists_error();
      if (!flags_unsupported(errno)) throw_errno("cannot rename into place", target);
      // A plain rename would silently replace an empty directory or a file.
      if (exists_no_follow(target)) throw exists_error();
      if (::rename(temp.c_str(), target.c_str()) != 0) throw_errno("cannot rename into place", target);
    }
  } else if (!exists_no_follow(target)) {
    if (::rename(temp.c_str(), target.c_str()) != 0) throw_errno("cannot rename into place", target);
  } else if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    // The old output now sits at the temporary name.
    replaced = true;
    std::error_code ec;
    fs::remove_all(temp, ec);
  } else {
    if (!flags_unsupported(errno)) throw_errno("cannot swap output into place", target);
    // No atomic swap here: the new output is complete, so dropping the old one first is safe enough.
    replaced = true;
    fs::remove_all(target);
    if (::rename(temp.c_str(), target.c_str()) != 0) throw_errno("cannot rename into place", target);
  }
  sync_parent(target);
  return replaced;
}

OutputTransaction* open_transaction = nullptr;

}  // namespace

void AtomicOutput::commit() {
  if (committed_) return;
  if (open_transaction) {
    open_transaction->held_.push_back({target_, temp_, force_, pending_slot_});
    pending_slot_ = -1;  // the transaction removes the temporary from now on
  } else {
    rename_into_place(temp_, target_, force_);
    unregister_pending(pending_slot_);
  }
  committed_ = true;
}

OutputTransaction::OutputTransaction() {
  if (open_transaction) throw std::logic_error("an output transaction is open already");
  open_transaction = this;
}

OutputTransaction::~OutputTransaction() {
  if (open_transaction == this) open_transaction = nullptr;
  for (const Held& h : held_) {
    std::error_code ec;
    fs::remove_all(h.temp, ec);
    unregister_pending(h.slot);
  }
}

void OutputTransaction::commit() {
  open_transaction = nullptr;  // an output committed from now on goes straight into place
  std::vector<fs::path> created;
  try {
    while (!held_.empty()) {
      const Held& h = held_.front();
      if (!rename_into_place(h.temp, h.target, h.force)) created.push_back(h.target);
      unregister_pending(h.slot);
      held_.erase(held_.begin());
    }
  } catch (...) {
    // All or nothing: what this transaction put where nothing was is removed again (an output it
    // replaced under --force cannot be brought back).
    for (const auto& p : created) {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
    throw;
  }
}

fs::path OutputTransaction::where(const fs::path& target) {
  const fs::path named = output_name(target);
  if (open_transaction)
    for (const Held& h : open_transaction->held_)
      if (h.target == named) return h.temp;
  return target;
}

}  // namespace cptx
