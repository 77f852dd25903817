// A directory of the fuzz target's own under the system's temporary directory, removed at exit.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>

namespace cptx::fuzz {

struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& target)
      : path(std::filesystem::temp_directory_path() / ("cptx-fuzz-" + target + "-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // Writes `bytes` to `name` in the directory; returns its path.
  std::filesystem::path file(const std::string& name, std::span<const std::uint8_t> bytes) const {
    const auto p = path / name;
    std::ofstream(p, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return p;
  }
  // Removes everything in it, for the next input.
  void clear() const {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(path, ec)) std::filesystem::remove_all(e.path(), ec);
  }
};

}  // namespace cptx::fuzz
