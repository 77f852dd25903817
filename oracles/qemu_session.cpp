#include "oracles/qemu_session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace cptx::oracle {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr auto qmp_timeout = 20s;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

fs::path qemu_binary() {
  for (const char* dir : {"/usr/bin", "/usr/local/bin"}) {
    const fs::path p = fs::path(dir) / "qemu-system-x86_64";
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return {};
}

QemuSession::QemuSession(QemuConfig config) : config_(std::move(config)) {
  serial_ = config_.workdir / (config_.name + ".serial");
  qmp_ = config_.workdir / (config_.name + ".qmp");
  stderr_ = config_.workdir / (config_.name + ".stderr");
  fs::remove(qmp_);
  const fs::path qemu = qemu_binary();
  if (qemu.empty()) throw std::runtime_error("qemu-system-x86_64 is not installed");

  // TCG only: nested KVM is not reliable on the machines this runs on.
  std::vector<std::string> args = {"/usr/bin/timeout", "--signal=KILL", std::to_string(config_.lifetime.count()),
                                   qemu.string(), "-machine", "pc,accel=tcg", "-m", std::to_string(config_.memory_mib),
                                   "-display", "none", "-nodefaults", "-no-user-config", "-monitor", "none",
                                   "-serial", "file:" + serial_.string(),
                                   "-qmp", "unix:" + qmp_.string() + ",server=on,wait=off",
                                   "-kernel", config_.kernel.string()};
  if (!config_.append.empty()) args.insert(args.end(), {"-append", config_.append});
  if (!config_.cpu.empty()) args.insert(args.end(), {"-cpu", config_.cpu});
  // One processor is QEMU's default: the command line stays the one the corpus pairs document.
  if (config_.cpus != 1) args.insert(args.end(), {"-smp", std::to_string(config_.cpus)});
  if (!config_.incoming.empty()) args.insert(args.end(), {"-incoming", "exec:cat '" + config_.incoming.string() + "'"});

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::setpgid(0, 0);  // timeout and QEMU in a group of their own, ended together
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // if the caller dies, timeout passes this on to QEMU
    const int err = ::open(stderr_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(err, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid_, pid_);  // also here, so that the group exists whichever of the two runs first

  const auto deadline = std::chrono::steady_clock::now() + qmp_timeout;
  while (true) {
    qmp_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, qmp_.c_str(), sizeof addr.sun_path - 1);
    if (::connect(qmp_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) break;
    ::close(qmp_fd_);
    qmp_fd_ = -1;
    if (!running() || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("QEMU did not open its QMP socket: " + diagnostics());
    std::this_thread::sleep_for(20ms);
  }
  read_message();  // greeting
  command("qmp_capabilities");
}

QemuSession::~QemuSession() {
  if (qmp_fd_ >= 0) ::close(qmp_fd_);
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

bool QemuSession::running() const {
  if (pid_ <= 0) return false;
  return ::waitpid(pid_, nullptr, WNOHANG) == 0;
}

std::string QemuSession::diagnostics() const { return slurp(stderr_); }
std::string QemuSession::serial() const { return slurp(serial_); }

Json QemuSession::read_message() {
  const auto deadline = std::chrono::steady_clock::now() + qmp_timeout;
  while (true) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      const std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return Json::parse(line);
    }
    pollfd p{qmp_fd_, POLLIN, 0};
    if (std::chrono::steady_clock::now() > deadline || ::poll(&p, 1, 200) < 0)
      throw std::runtime_error("QMP: no answer from QEMU: " + diagnostics());
    if (!(p.revents & (POLLIN | POLLHUP))) continue;
    char chunk[4096];
    const ssize_t n = ::read(qmp_fd_, chunk, sizeof chunk);
    if (n <= 0) throw std::runtime_error("QMP: QEMU closed the connection: " + diagnostics());
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

Json QemuSession::command(const std::string& name, const Json& arguments) {
  Json request = {{"execute", name}};
  if (!arguments.is_null()) request["arguments"] = arguments;
  const std::string text = request.dump() + "\n";
  if (::write(qmp_fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("QMP: cannot send " + name);
  while (true) {
    Json reply = read_message();
    if (reply.contains("event")) continue;
    if (reply.contains("error")) throw std::runtime_error("QMP " + name + ": " + reply["error"].dump());
    return reply["return"];
  }
}

std::string QemuSession::monitor(const std::string& line) {
  return command("human-monitor-command", {{"command-line", line}}).get<std::string>();
}

bool QemuSession::wait_for_serial(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // The line must be complete: a verdict read just after the marker would see half of it.
  auto complete = [&](const std::string& out) {
    const std::size_t at = out.find(text);
    return at != std::string::npos && out.find('\n', at + text.size()) != std::string::npos;
  };
  while (std::chrono::steady_clock::now() < deadline) {
    if (complete(serial())) return true;
    if (!running()) return serial().find(text) != std::string::npos;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

void QemuSession::wait_migration(const char* what) {
  const auto deadline = std::chrono::steady_clock::now() + qmp_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const Json status = command("query-migrate");
    const std::string s = status.value("status", "");
    if (s == "completed") return;
    if (s == "failed") throw std::runtime_error(std::string(what) + " failed: " + status.dump() + diagnostics());
    if (!running()) break;
    std::this_thread::sleep_for(10ms);
  }
  throw std::runtime_error(std::string(what) + " did not complete: " + diagnostics());
}

void QemuSession::save(const fs::path& file) {
  command("stop");
  command("migrate-set-parameters", {{"max-bandwidth", 20000000000ll}});  // a file, not a network
  command("migrate", {{"uri", "exec:cat > '" + file.string() + "'"}});
  wait_migration("save");
}

void QemuSession::resume_incoming() {
  const auto deadline = std::chrono::steady_clock::now() + qmp_timeout;
  while (command("query-status").value("status", "") == "inmigrate") {
    if (!running() || std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("restore did not complete: " + diagnostics());
    std::this_thread::sleep_for(10ms);
  }
  command("cont");
}

}  // namespace cptx::oracle
