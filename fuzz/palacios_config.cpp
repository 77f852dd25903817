// A Palacios VM configuration (XML) as --input-config and --target-config read it: <memory>, <cores>
// and the device list.
#include <cstdint>

#include "codecs/io/error.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/palacios/vm_config.hpp"
#include "fuzz/scratch_dir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cptx::fuzz::ScratchDir dir("palacios-config");
  try {
    cptx::palacios::read_vm_config(dir.file("vm.xml", {data, size}));
  } catch (const cptx::InputError&) {
  }
  return 0;
}
