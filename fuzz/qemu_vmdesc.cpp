// The JSON description that ends a QEMU stream (spec §1.5), behind a fixed stream that needs it: the
// stream written for a small machine, plus a section of a device cptx has no layout for (kvmclock),
// whose size only the description gives. Reading walks the description's devices, fields and nested
// subsections.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <vector>

#include "codecs/io/error.hpp"
#include "codecs/qemu/codec.hpp"
#include "fuzz/scratch_dir.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"

namespace {

const cptx::fuzz::ScratchDir dir("qemu-vmdesc");

// The stream up to its end-of-stream record, with the kvmclock section appended.
std::vector<std::uint8_t> stream_without_description() {
  cptx::Report report;
  cptx::WriteOptions opts;
  opts.force = true;
  cptx::qemu_codec.write(cptx::model::power_on(1, 1 << 20), dir.path / "base.qemu", opts, report);
  std::ifstream f(dir.path / "base.qemu", std::ios::binary);
  std::vector<std::uint8_t> s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  // No description is written for a machine read from nowhere: the last byte is the EOF record.
  s.pop_back();
  const std::uint8_t section[] = {0x04, 0, 0, 0, 99, 8, 'k', 'v', 'm', 'c', 'l', 'o', 'c', 'k', 0, 0, 0, 0,
                                  0,    0, 0, 1, 0,  0, 0,   0,   0,   0,   0,   1,   0x7e, 0, 0, 0, 99};
  s.insert(s.end(), std::begin(section), std::end(section));
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::uint8_t> base = stream_without_description();
  std::vector<std::uint8_t> s = base;
  const auto n = static_cast<std::uint32_t>(size);
  s.insert(s.end(), {0x00, 0x06, static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                     static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
  s.insert(s.end(), data, data + size);
  try {
    cptx::Report report;
    cptx::qemu_codec.read(dir.file("in.qemu", s), report);
  } catch (const cptx::InputError&) {
  }
  return 0;
}
