// Saves a real QEMU migration stream for the corpus: boots a multiboot guest, waits for a line
// of its serial output, pauses it and saves with `migrate "exec:cat > FILE"`. With SERIAL it also
// writes the guest's COM1 output up to the save, which a restored guest's output must continue.
//   qemu_save_stream KERNEL APPEND MEMORY_MIB WAIT_FOR OUT [SERIAL]
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "oracles/qemu_session.hpp"

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  if (argc != 6 && argc != 7) {
    std::fprintf(stderr, "usage: %s KERNEL APPEND MEMORY_MIB WAIT_FOR OUT [SERIAL]\n", argv[0]);
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
    if (argc == 7) {
      std::ofstream serial(argv[6], std::ios::binary);
      serial << q.serial();
      if (!serial.flush()) throw std::runtime_error(std::string("cannot write ") + argv[6]);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    status = 1;
  }
  std::filesystem::remove_all(work);
  return status;
}
