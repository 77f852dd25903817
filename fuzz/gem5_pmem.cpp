// Memory image: the first byte declares the size (in 4 KiB pages), the rest is the image file.
#include <cstdint>
#include <sstream>
#include <string>

#include "codecs/gem5/pmem.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint64_t declared = std::uint64_t{data[0]} * 4096;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  try {
    cptx::gem5::read_image(in, "fuzz", declared, [](std::span<const std::uint8_t>) {});
  } catch (const cptx::InputError&) {
  }
  return 0;
}
