// One QEMU migration stream: read it as the codec does (framing, every section, RAM page index)
// and, if it is accepted, write it back and read that again.
#include <cstdint>

#include "codecs/io/error.hpp"
#include "codecs/io/region_reader.hpp"
#include "codecs/qemu/codec.hpp"
#include "fuzz/scratch_dir.hpp"
#include "reports/report.hpp"

namespace {

const cptx::fuzz::ScratchDir scratch("qemu-stream");

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
  const auto in = scratch.file("in.qemu", {data, size}), out = scratch.path / "out.qemu";
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
