#include "codecs/palacios/memory.hpp"

#include <algorithm>
#include <array>
#include <fstream>

#include <fmt/format.h>

#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/ram_stream.hpp"
#include "codecs/io/region_reader.hpp"
#include "codecs/io/zero.hpp"
#include "codecs/palacios/byte_sink.hpp"
#include "codecs/palacios/byte_source.hpp"
#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/tables.hpp"
#include "codecs/palacios/contexts.hpp"
#include "codecs/io/text.hpp"
#include "reports/report.hpp"

namespace cptx::palacios {

namespace fs = std::filesystem;

namespace {

constexpr auto kMaxModelRegions = static_cast<std::uint32_t>(model::max_ram_regions);

// Where an entry's value starts in its file: after the binary entry header (§1.4), or after the '='
// of a text entry (§1.5), where the hex digits begin (RegionReader skips the spaces Palacios allows).
std::uint64_t value_offset(const fs::path& file, Store store, const EntryInfo& e) {
  if (store == Store::file) return e.offset + 4 + 8 + e.tag.size() + 8;
  FileSource src(file);
  std::uint64_t at = e.offset + e.tag.size();
  std::array<std::uint8_t, 1> c{};
  while (src.read_at(at, c) == 1 && (c[0] == ' ' || c[0] == '\t')) ++at;
  return at + 1;  // the reader has checked that this is '='
}

// Ends the RAM at `end`: regions beyond it are dropped, the one across it shortened.
void end_ram_at(std::vector<model::RamRegion>& regions, std::uint64_t end) {
  std::erase_if(regions, [&](const model::RamRegion& r) { return r.gpa >= end; });
  for (auto& r : regions) r.size = std::min(r.size, end - r.gpa);
}

}  // namespace

std::vector<model::RamRegion> read_memory(const fs::path& dir, Store store, MemoryLayout& layout) {
  auto in = open_context(dir, kMemoryContext, store);
  const fs::path file = dir / kMemoryContext;
  std::vector<model::RamRegion> regions;
  layout = read_memory_image(*in, kMaxModelRegions, [&](const MemoryLayout& l, std::uint32_t i, const EntryInfo& e) {
    regions.push_back({i * l.region_size, l.region_size,
                       model::FileBacking{fs::absolute(file).lexically_normal().string(), value_offset(file, store, e),
                                          store == Store::file ? model::Encoding::raw : model::Encoding::hex}});
  });
  return regions;
}

std::uint64_t ram_end(const model::Memory& memory) {
  return memory.regions.empty() ? 0 : memory.regions.back().gpa + memory.regions.back().size;
}

std::uint32_t regions_for_ram(const model::Memory& memory, MemoryLayout layout) {
  const std::uint64_t end = ram_end(memory);
  const std::uint32_t needed = regions_for(end, layout.region_size);
  if (layout.num_regions == 0) return needed;
  if (needed > layout.num_regions)
    throw UsageError(fmt::format("guest RAM ends at {:#x}, beyond the target VM's {} regions of {} bytes", end,
                                 layout.num_regions, layout.region_size));
  return layout.num_regions;
}

namespace {

// Palacios RAM is contiguous from GPA 0, in a checkpoint and in a raw dump alike: the model's holes
// and whatever follows its last region up to `total` bytes become zeros.
void note_zero_fill(const model::Memory& memory, std::uint64_t total, std::string_view padded,
                    std::vector<State::Note>& notes) {
  std::uint64_t at = 0;
  for (std::size_t k = 0; k < memory.regions.size(); ++k) {
    const auto& r = memory.regions[k];
    if (r.gpa > at)
      notes.push_back({fmt::format("memory.regions[{}]", k), Carry::approximated,
                       fmt::format("Palacios RAM is contiguous from GPA 0: the hole [{:#x}, {:#x}) is written as "
                                   "zero-filled RAM",
                                   at, r.gpa)});
    at = r.gpa + r.size;
  }
  if (total > at)
    notes.push_back({"memory.regions", Carry::approximated, fmt::format("{} is padded with {} zero bytes", padded, total - at)});
}

}  // namespace

void write_memory(EntryWriter& out, const model::Memory& memory, MemoryLayout layout, std::vector<State::Note>& notes) {
  layout.num_regions = regions_for_ram(memory, layout);
  note_zero_fill(memory, std::uint64_t{layout.num_regions} * layout.region_size,
                 fmt::format("the last {}-byte region", layout.region_size), notes);
  RamStream ram(memory);
  write_memory_image(out, layout, [&](std::span<std::uint8_t> buf) { return ram.read(buf); }, "model RAM");
}

std::vector<model::RamRegion> read_raw_memory(const fs::path& raw) {
  std::error_code ec;
  if (!fs::is_regular_file(raw, ec)) throw InputError({raw.string()}, "not a regular file");
  const std::uint64_t size = fs::file_size(raw, ec);
  if (ec) throw InputError({raw.string()}, "cannot read: " + ec.message());
  if (size % model::page_size != 0)
    throw InputError({raw.string(), size}, fmt::format("{} bytes: not a whole number of 4096-byte pages", size));
  if (size == 0) throw InputError({raw.string()}, "empty: expected the guest's RAM from GPA 0");
  return {{0, size, model::FileBacking{fs::absolute(raw).lexically_normal().string(), 0, model::Encoding::raw}}};
}

void write_raw_memory(const model::Memory& memory, AtomicOutput& out, std::uint64_t size,
                      std::vector<State::Note>& notes) {
  const std::uint64_t end = ram_end(memory);
  if (end > size)
    throw UsageError(fmt::format("guest RAM ends at {:#x}, beyond the target VM's {} bytes", end, size));
  note_zero_fill(memory, size, "the raw memory dump", notes);
  FileSink f(out.temp_path(), out.target(), FileSink::Open::existing);  // sparse: zero pages take no disk
  RamStream ram(memory);
  std::vector<std::uint8_t> buf(1 << 16);
  for (std::uint64_t left = size; left > 0;) {
    auto chunk = std::span(buf).first(static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size())));
    ram.read_padded(chunk);
    f.write(chunk);
    left -= chunk.size();
  }
  f.close();
}

namespace {

// The bytes [from, to) of region `r`, if its backing can be cut there: zeros and raw bytes anywhere,
// other encodings (hex, whose digits may be spaced) only from the region's start.
std::optional<model::RamRegion> part(const model::RamRegion& r, std::uint64_t from, std::uint64_t to) {
  model::RamRegion p{from, to - from, r.backing};
  if (from == r.gpa || !p.backing) return p;
  if (p.backing->encoding != model::Encoding::raw) return std::nullopt;
  p.backing->offset += from - r.gpa;
  return p;
}

// Whether the bytes of `r` from guest-physical `from` to its end are all zero (read from its start).
bool zero_from(const model::RamRegion& r, std::uint64_t from) {
  if (!r.backing) return true;
  RegionReader in(r);
  std::vector<std::uint8_t> buf(1 << 20);
  for (std::uint64_t skip = from - r.gpa; const std::size_t n = in.read(buf);) {
    const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(skip, n));
    skip -= k;
    if (!io::all_zero(std::span(buf).subspan(k, n - k))) return false;
  }
  return true;
}

// Palacios keeps RAM flat from GPA 0 (§2.2), so a guest with RAM above 4 GiB in the PC layout is
// written with its PCI hole as zero RAM (write_memory). Read back, zeros throughout
// [pci_hole_start, pci_hole_end) with RAM above are taken for that hole again; anything else there
// is RAM the guest had, and is kept.
void restore_pci_hole(std::vector<model::RamRegion>& regions, Report& report) {
  constexpr std::uint64_t start = model::pci_hole_start, end = model::pci_hole_end;
  if (regions.empty() || regions.back().gpa + regions.back().size <= end) return;
  std::vector<model::RamRegion> out;
  for (const auto& r : regions) {
    const std::uint64_t r_end = r.gpa + r.size;
    if (r_end <= start || r.gpa >= end) {
      out.push_back(r);
      continue;
    }
    const std::uint64_t from = std::max(r.gpa, start), to = std::min(r_end, end);
    const auto hole = part(r, from, to);
    if (!zero_from(hole ? *hole : *part(r, r.gpa, to), from)) return;
    if (r.gpa < start) out.push_back(*part(r, r.gpa, start));
    if (r_end > end) {
      const auto above = part(r, end, r_end);
      if (!above) return;  // a hex region across 4 GiB cannot be cut: the RAM stays flat
      out.push_back(*above);
    }
  }
  regions = std::move(out);
  report.note("memory.regions", Carry::approximated,
              fmt::format("Palacios keeps RAM flat from GPA 0: the zeros at [{:#x}, {:#x}) below RAM from 4 GiB are "
                          "read as the PC's PCI hole, as a guest split there is written",
                          start, end));
}

}  // namespace

void read_ram(const fs::path& dir, Store store, const ContextSet& contexts, const ReadOptions& opts,
              const std::optional<VmConfig>& config, model::Machine& m, Report& report) {
  // RAM comes from exactly one place: memory_img, or for a checkpoint saved with option 1 (SKIP_MEM)
  // a raw dump the user gives (§4, "Relation to raw dumps").
  if (!opts.raw_memory.empty()) {
    if (contexts.contains(kMemoryContext))
      throw UsageError(fmt::format("{} has a memory_img context, so a raw memory dump ({}) would be a second source "
                                   "of its RAM; give the dump only for a checkpoint saved with option 1 (skip memory)",
                                   dir.string(), opts.raw_memory.string()));
    m.memory.regions = read_raw_memory(opts.raw_memory);
    // The VM's RAM is <memory> (§4); v3_guest_mem_access reads what it is asked, so a short dump is
    // only recognisable against the configuration.
    if (config && config->memory && m.memory.regions[0].size < *config->memory)
      throw InputError({opts.raw_memory.string(), m.memory.regions[0].size},
                       fmt::format("{} bytes, less than the VM's RAM: <memory> in {} gives {} bytes",
                                   m.memory.regions[0].size, opts.config.string(), *config->memory));
    report.note("memory", Carry::exact,
                fmt::format("RAM read from the raw dump {} (the checkpoint was saved with option 1, skip memory)",
                            opts.raw_memory.string()));
  } else if (contexts.contains(kMemoryContext)) {
    MemoryLayout layout;
    m.memory.regions = read_memory(dir, store, layout);
    if (config && config->memory && layout.num_regions * layout.region_size < *config->memory)
      throw InputError({(dir / kMemoryContext).string(), std::nullopt, std::nullopt, "region_size"},
                       fmt::format("{} regions of {} bytes, less than the VM's RAM: <memory> in {} gives {} bytes",
                                   layout.num_regions, layout.region_size, opts.config.string(), *config->memory));
    // Whole regions beyond <memory> are not allocation padding: that configuration is not this VM's,
    // and ending RAM at its <memory> would drop what they hold.
    if (config && config->memory && layout.num_regions > regions_for(*config->memory, layout.region_size))
      throw InputError({(dir / kMemoryContext).string(), std::nullopt, std::nullopt, "num_regions"},
                       fmt::format("{} regions of {} bytes ({} bytes), more than the VM's RAM needs: <memory> in {} "
                                   "gives {} bytes",
                                   layout.num_regions, layout.region_size,
                                   std::uint64_t{layout.num_regions} * layout.region_size, opts.config.string(),
                                   *config->memory));
  } else if (opts.state_only) {
    report.note("memory", Carry::none,
                "not in the checkpoint: it was saved with option 1 (skip memory); its RAM is a separate raw dump "
                "(v3_guest_mem_access ... read 0 SIZE), given with --input-raw-memory FILE (diff: --a-/--b-raw-memory)");
  } else {
    missing(dir, kMemoryContext,
            "the checkpoint was saved with option 1 (skip memory); give the raw dump of its RAM from GPA 0 "
            "(v3_guest_mem_access ... read 0 SIZE > FILE) with --input-raw-memory FILE (diff: --a-/--b-raw-memory)");
  }

  // Palacios allocates whole base regions and records no RAM size (§4, P9): the guest's RAM is the
  // VM's <memory>; what lies beyond it is allocation padding.
  if (!m.memory.regions.empty()) {
    if (config && config->memory) {
      end_ram_at(m.memory.regions, *config->memory);
    } else if (!opts.raw_memory.empty()) {
      report.note("platform.ram_size", Carry::approximated,
                  "the size of the raw dump; give the VM's XML with --input-config to read <memory>");
    } else {
      report.note("platform.ram_size", Carry::approximated,
                  "whole memory_img regions: Palacios rounds RAM up to its region size and records no RAM size; "
                  "give the VM's XML with --input-config to read <memory>");
    }
  }
  restore_pci_hole(m.memory.regions, report);
}

std::span<const CoverageRule> memory_rows() {
  static constexpr CoverageRule rows[] = {
      {"platform.ram_size", Carry::approximated,
       "Palacios records no RAM size and saves whole regions of region_size: read from the VM's <memory> when "
       "--input-config gives its XML, else rounded up to whole regions (or the raw dump's size)"},
      {"memory", Carry::approximated,
       "memory_img: contiguous regions of region_size from GPA 0, or a raw dump from GPA 0 beside a checkpoint saved "
       "with option 1; holes are written as zero RAM and the last region or the dump is padded"},
  };
  return rows;
}

}  // namespace cptx::palacios
