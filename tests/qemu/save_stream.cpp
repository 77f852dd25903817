// Saves a real QEMU migration stream for the corpus: boots a multiboot guest, waits for a line
// of its serial output, pauses it and saves with `migrate "exec:cat > FILE"`.
//   qemu_save_stream KERNEL APPEND MEMORY_MIB WAIT_FOR OUT
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "oracles/qemu_session.hpp"

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s KERNEL APPEND MEMORY_MIB WAIT_FOR OUT\n", argv[0]);
    return 2;
  }
  const std::filesystem::path out = std::filesystem::absolute(argv[5]);
  const auto work = std::filesystem::temp_directory_path() / ("qemu-save-" + std::to_string(::getpid()));
  std::filesystem::create_directories(work);
  int status = 0;
  try {
    cptx::oracle::QemuSession q({argv[1], argv[2], static_cast<unsigned>(std::stoul(argv[3])), work, "save"});
    if (!q.wait_for_serial(argv[4], 60s)) throw std::runtime_error("guest never printed '" + std::string(argv[4]) + "'");
    q.save(out);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    status = 1;
  }
  std::filesystem::remove_all(work);
  return status;
}
