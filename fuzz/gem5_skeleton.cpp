// An m5.cpt given as --skeleton: the machine state of a small fixed machine is merged into it and
// written as a gem5 checkpoint of either era (its memory stores, its disks' overlays, its keys).
#include <cstdint>

#include "codecs/gem5/codec.hpp"
#include "codecs/io/error.hpp"
#include "fuzz/scratch_dir.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cptx::fuzz::ScratchDir dir("gem5-skeleton");
  // fs.py's smallest sensible store: one page keeps each input's write fast.
  static const cptx::model::Machine machine = cptx::model::power_on(1, 4096);
  dir.clear();
  cptx::WriteOptions opts;
  opts.skeleton = dir.file("m5.cpt", {data, size});
  for (const cptx::Codec* codec : {&cptx::gem5_codec, &cptx::gem5_2011_codec}) {
    try {
      cptx::Report report;
      codec->write(machine, dir.path / "out", opts, report);
    } catch (const cptx::InputError&) {
    } catch (const cptx::UsageError&) {
    }
    std::error_code ec;
    std::filesystem::remove_all(dir.path / "out", ec);
  }
  return 0;
}
