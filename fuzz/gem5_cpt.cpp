// m5.cpt text: parse, and for accepted input check that write -> parse gives the same text again
// (the writer may refuse a parsed key it cannot write unchanged, e.g. one ending in `+`); then look up
// the memory-image keys of both eras.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "codecs/gem5/cpt_syntax.hpp"
#include "codecs/gem5/pmem.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cptx::gem5;
  try {
    const CptFile cpt = parse_cpt(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz");
    try {
      const std::string text = write_cpt(cpt);
      if (write_cpt(parse_cpt(text, "rewritten")) != text) std::abort();
    } catch (const cptx::UsageError&) {
    }
    for (Era era : {Era::v24, Era::v2011}) {
      try {
        memory_images(CptReader(cpt, era));
      } catch (const cptx::InputError&) {
      }
    }
  } catch (const cptx::InputError&) {
  }
  return 0;
}
