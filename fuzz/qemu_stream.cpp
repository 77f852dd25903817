// One QEMU migration stream: read it as the codec does (framing, every section, RAM page index)
// and, if it is accepted, write it back and read that again.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "codecs/io/error.hpp"
#include "codecs/io/region_reader.hpp"
#include "codecs/qemu/codec.hpp"
#include "reports/report.hpp"

namespace {

const std::filesystem::path scratch = std::filesystem::temp_directory_path() / ("fuzz-qemu-" + std::to_string(::getpid()));

// Reads at most this much RAM per input, so a block list claiming terabytes stays fast.
constexpr std::uint64_t max_ram = 1u << 20;

void read_ram(const cptx::model::Machine& m) {
  std::uint8_t buf[4096];
  for (const auto& r : m.memory.regions) {
    if (r.size > max_ram) return;
    cptx::RegionReader reader(r);
    while (reader.read(buf) != 0) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::filesystem::create_directories(scratch);
  const auto in = scratch / "in.qemu", out = scratch / "out.qemu";
  {
    std::ofstream f(in, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    cptx::Report report;
    const auto m = cptx::qemu_codec.read(in, report);
    read_ram(m);
    std::uint64_t ram = 0;
    for (const auto& r : m.memory.regions) ram += r.size;
    if (ram <= max_ram) {
      cptx::WriteOptions opts;
      opts.force = true;
      cptx::qemu_codec.write(m, out, opts, report);
      cptx::Report again;
      cptx::qemu_codec.read(out, again);  // what cptx writes it must read
    }
  } catch (const cptx::InputError&) {
  } catch (const cptx::UsageError&) {
  }
  return 0;
}
