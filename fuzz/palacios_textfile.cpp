// One `textfile:` context named "devices": read every entry (measuring, then streaming), and check
// that what reads back re-serializes and re-reads to the same entries.
#include <cstdint>
#include <cstdlib>

#include "codecs/io/error.hpp"
#include "codecs/palacios/store.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cptx::palacios;
  try {
    auto in = make_reader(Store::textfile, std::make_unique<MemorySource>("fuzz", std::span(data, size)), "devices");
    Context ctx{"devices", {}};
    while (auto info = in->next()) {
      Entry e{info->tag, {}};
      e.value.reserve(static_cast<std::size_t>(in->value_size()));
      in->stream_value([&](std::span<const std::uint8_t> c) { e.value.insert(e.value.end(), c.begin(), c.end()); });
      ctx.entries.push_back(std::move(e));
    }
    const auto again = serialize_context(Store::textfile, ctx);
    if (!(parse_context(Store::textfile, "devices", again, "fuzz", size) == ctx)) std::abort();
  } catch (const cptx::InputError&) {
  }
  return 0;
}
