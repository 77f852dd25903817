// A QEMU process under test: started with a guest, driven over QMP, its COM1 output captured in a
// file. Everything is bounded in time; the process is killed when the session ends.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cptx::oracle {

using Json = nlohmann::json;

struct QemuConfig {
  std::filesystem::path kernel{};    // multiboot ELF given to -kernel
  std::string append{};              // its command line
  unsigned memory_mib = 32;
  std::filesystem::path workdir{};   // sockets, serial output and QEMU's stderr go here
  std::string name = "qemu";         // distinguishes several sessions in one workdir
  std::filesystem::path incoming{};  // if set: restore this saved stream instead of booting
  std::string cpu{};                 // -cpu model; empty: QEMU's default (qemu64)
  unsigned cpus = 1;                 // -smp: processors, the first the BSP
  // QEMU runs under timeout(1): killed after this even if the caller dies without ending the session.
  std::chrono::seconds lifetime{300};
};

class QemuSession {
 public:
  explicit QemuSession(QemuConfig config);
  ~QemuSession();
  QemuSession(const QemuSession&) = delete;
  QemuSession& operator=(const QemuSession&) = delete;

  // Runs a QMP command and returns its "return" value; throws with QEMU's error text.
  Json command(const std::string& name, const Json& arguments = nullptr);
  // Runs a human-monitor command (e.g. "o /b 0x21 0xff") and returns its output.
  std::string monitor(const std::string& line);

  // COM1 output so far.
  std::string serial() const;
  // Waits until COM1 output contains `text` and the rest of its line; false on timeout, or if QEMU
  // exits without having printed `text`.
  bool wait_for_serial(const std::string& text, std::chrono::milliseconds timeout);

  // Pauses the guest and writes its migration stream to `file`.
  void save(const std::filesystem::path& file);
  // For a session started from `incoming`: waits for the load to finish, then resumes the guest.
  void resume_incoming();

  bool running() const;
  // QEMU's own messages (a failed load is reported there).
  std::string diagnostics() const;

 private:
  Json read_message();
  void wait_migration(const char* what);

  QemuConfig config_;
  std::filesystem::path serial_, qmp_, stderr_;
  pid_t pid_ = -1;
  int qmp_fd_ = -1;
  std::string buffer_;
};

// The qemu-system-x86_64 this machine has, or empty if none.
std::filesystem::path qemu_binary();

}  // namespace cptx::oracle
