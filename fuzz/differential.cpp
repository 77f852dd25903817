// Differential: a fuzzed model is written in every format and read back; every field a format
// declares it carries exactly must come back unchanged, unless the reports of this translation say
// that this checkpoint's value was lost or rounded. A writer may refuse a machine its format cannot
// hold (UsageError); it may not lose state without saying so.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "codecs/registry.hpp"
#include "codecs/io/error.hpp"
#include "codecs/json/codec.hpp"
#include "codecs/palacios/codec.hpp"
#include "fuzz/scratch_dir.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/support/coverage_diff.hpp"

namespace {

// RAM is compared by the codecs' own tests; a few zero pages keep each input fast, and a fuzzed
// model names no files of this machine.
constexpr std::uint64_t max_ram = 64 * cptx::model::page_size;

bool small_ram_without_files(cptx::model::Machine& m) {
  std::uint64_t total = 0;
  for (auto& r : m.memory.regions) {
    r.backing.reset();
    total += r.size;
  }
  return total <= max_ram;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cptx::fuzz::ScratchDir dir("differential");
  dir.clear();
  cptx::model::Machine m;
  try {
    cptx::Report report;
    m = cptx::json_codec.read(dir.file("model.json", {data, size}), report);
  } catch (const cptx::InputError&) {
    return 0;
  }
  if (!small_ram_without_files(m)) return 0;
  // A serial port that is not there has no state to carry: readers give it a 16550's reset state.
  auto absent_ports_at_reset = [](cptx::model::Machine& x) {
    for (std::size_t i = 0; i < x.uart.size(); ++i)
      if (!x.uart[i].present) x.uart[i] = cptx::model::reset_uart(i, false);
  };
  absent_ports_at_reset(m);
  for (const cptx::Codec* codec : cptx::all_codecs()) {
    if (codec == &cptx::json_codec) continue;
    const auto out = dir.path / std::string(codec->name);
    cptx::WriteOptions opts;
    cptx::ReadOptions back_opts;
    // Palacios allocates RAM in 128 MiB regions: its RAM goes to a raw dump of the machine's size.
    if (codec == &cptx::palacios_codec) opts.raw_memory = back_opts.raw_memory = dir.path / "palacios.ram";
    cptx::Report report;
    try {
      codec->write(m, out, opts, report);
    } catch (const cptx::UsageError&) {
      continue;  // a machine this format cannot hold, refused
    }
    cptx::model::Machine back = codec->read(out, report, back_opts);
    absent_ports_at_reset(back);
    const auto lost = cptx::testing::unexcused_differences(m, back, codec->coverage, report);
    if (!lost.empty()) {
      std::fprintf(stderr, "%.*s lost without a report:\n%s", static_cast<int>(codec->name.size()),
                   codec->name.data(), cptx::testing::describe(lost).c_str());
      std::abort();
    }
  }
  return 0;
}
