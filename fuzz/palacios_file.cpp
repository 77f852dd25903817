// One `file:` context: read every entry, and check that its canonical re-serialization is the input
// itself (the binary layout has a single spelling).
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "codecs/io/error.hpp"
#include "codecs/palacios/store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cptx::palacios;
  try {
    const auto ctx = parse_context(Store::file, "devices", std::span(data, size), "fuzz", size);
    const auto again = serialize_context(Store::file, ctx);
    if (again.size() != size || (size > 0 && std::memcmp(again.data(), data, size) != 0)) std::abort();
  } catch (const cptx::InputError&) {
  }
  return 0;
}
