// One mapped context through its table: byte 0 picks the table, byte 1 the store, the rest is the
// context file. Reading must end in success or an InputError, and a context that reads must write
// back to a context that reads to the same model.
#include <cstdint>
#include <cstdlib>

#include "codecs/io/error.hpp"
#include "codecs/palacios/byte_sink.hpp"
#include "codecs/palacios/store.hpp"
#include "codecs/palacios/tables.hpp"

namespace {

using namespace cptx::palacios;

Fields table(std::uint8_t pick) {
  switch (pick % 8) {
    case 0: return pic_fields();
    case 1: return pit_fields();
    case 2: return lapic_fields(1);
    case 3: return ioapic_fields();
    case 4: return serial_fields();
    case 5: return keyboard_fields();
    case 6: return guest_info_fields(0);
    default: return vmcb_fields(0);
  }
}

State one_core() {
  State s;
  s.m.cpu.resize(1);
  s.core.resize(1);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Store store = data[1] % 2 ? Store::file : Store::textfile;
  const auto bytes = std::span(data + 2, size - 2);
  State s = one_core();
  try {
    auto in = make_reader(store, std::make_unique<MemorySource>("fuzz", bytes), "ctx");
    read_fields(*in, table(data[0]), s);
  } catch (const cptx::InputError&) {
    return 0;
  }
  std::vector<std::uint8_t> out;
  VectorSink sink(out);
  write_fields(*make_writer(store, sink, "ctx", "fuzz"), table(data[0]), s);
  State again = one_core();
  auto in = make_reader(store, std::make_unique<MemorySource>("fuzz", std::span(out)), "ctx");
  read_fields(*in, table(data[0]), again);
  if (!(again.m == s.m)) std::abort();
  return 0;
}
