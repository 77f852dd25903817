// A whole m5.cpt through the model mapping of both gem5 eras (CPU, LAPIC and device tables): every
// input is read or refused with an InputError. The directory holds no memory image, so an m5.cpt
// whose state maps ends at the image lookup, which is refused too.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "codecs/gem5/codec.hpp"
#include "codecs/io/error.hpp"
#include "reports/report.hpp"

namespace {

namespace fs = std::filesystem;

struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("cptx-fuzz-gem5-model-" + std::to_string(getpid()));
  ScratchDir() { fs::create_directories(path); }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ScratchDir dir;
  std::ofstream(dir.path / "m5.cpt", std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  for (const cptx::Codec* codec : {&cptx::gem5_codec, &cptx::gem5_2011_codec}) {
    try {
      cptx::Report report;
      codec->read(dir.path, report);
    } catch (const cptx::InputError&) {
    }
  }
  return 0;
}
