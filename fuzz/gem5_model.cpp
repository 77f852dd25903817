// A whole m5.cpt through the model mapping of both gem5 eras (CPU, LAPIC and device tables): every
// input is read or refused with an InputError. The directory holds no memory image, so an m5.cpt
// whose state maps ends at the image lookup, which is refused too.
#include <cstdint>

#include "codecs/gem5/codec.hpp"
#include "codecs/io/error.hpp"
#include "fuzz/scratch_dir.hpp"
#include "reports/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cptx::fuzz::ScratchDir dir("gem5-model");
  dir.file("m5.cpt", {data, size});
  for (const cptx::Codec* codec : {&cptx::gem5_codec, &cptx::gem5_2011_codec}) {
    try {
      cptx::Report report;
      codec->read(dir.path, report);
    } catch (const cptx::InputError&) {
    }
  }
  return 0;
}
