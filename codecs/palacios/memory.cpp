#include "codecs/palacios/memory.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/region_reader.hpp"
#include "codecs/palacios/byte_source.hpp"
#include "codecs/palacios/checkpoint_dir.hpp"
#include "codecs/palacios/printable.hpp"

namespace cptx::palacios {

namespace fs = std::filesystem;

namespace {

// Memory::regions is declared with at most 64 entries (model/machine.hpp).
constexpr std::uint64_t kMaxModelRegions = 64;

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

std::uint64_t small_value(EntryReader& in, const EntryInfo& e, std::string_view tag, std::size_t size) {
  const Location at{in.file(), e.offset, e.line, printable(e.tag)};
  if (e.tag != tag) throw InputError(at, fmt::format("expected entry {} of {} bytes", tag, size));
  if (in.value_size() != size) throw InputError(at, fmt::format("expected {} bytes", size));
  return get_le(in.read_value(size));
}

}  // namespace

MemoryLayout read_memory_layout(EntryReader& in) {
  auto need = [&](std::string_view tag, std::size_t size) {
    const auto e = in.next();
    if (!e) throw InputError({in.file(), std::nullopt, std::nullopt, std::string(tag)}, "missing entry");
    return std::pair{*e, small_value(in, *e, tag, size)};
  };
  const auto [rs_entry, region_size] = need("region_size", 8);
  const auto [nr_entry, num_regions] = need("num_regions", 4);
  if (region_size == 0 || region_size % model::page_size != 0)
    throw InputError({in.file(), rs_entry.offset, rs_entry.line, "region_size"},
                     fmt::format("{} is not a positive multiple of the 4096-byte page", region_size));
  if (num_regions > ~std::uint64_t{0} / region_size)
    throw InputError({in.file(), nr_entry.offset, nr_entry.line, "num_regions"}, "guest RAM size overflows 64 bits");
  return {region_size, static_cast<std::uint32_t>(num_regions)};
}

std::vector<model::RamRegion> read_memory(const fs::path& dir, Store store, MemoryLayout& layout) {
  auto in = open_context(dir, kMemoryContext, store);
  const fs::path file = dir / kMemoryContext;
  layout = read_memory_layout(*in);
  const std::uint64_t region_size = layout.region_size, num_regions = layout.num_regions;
  if (num_regions > kMaxModelRegions)
    throw InputError({in->file(), std::nullopt, std::nullopt, "num_regions"},
                     fmt::format("{} regions; the model holds at most {} RAM regions", num_regions, kMaxModelRegions));

  std::vector<model::RamRegion> regions;
  for (std::uint64_t i = 0; i < num_regions; ++i) {
    const std::string tag = fmt::format("memory_img{}", i);
    const auto e = in->next();
    if (!e) throw InputError({in->file(), std::nullopt, std::nullopt, tag}, "missing region entry");
    const Location at{in->file(), e->offset, e->line, printable(e->tag)};
    if (e->tag != tag) throw InputError(at, fmt::format("expected entry {} of {} bytes", tag, region_size));
    if (const auto size = in->value_size(); size != region_size)
      throw InputError(at, fmt::format("{} bytes; Palacios loads exactly region_size = {} bytes", size, region_size));
    regions.push_back({i * region_size, region_size,
                       model::FileBacking{fs::absolute(file).lexically_normal().string(), value_offset(file, store, *e),
                                          store == Store::file ? model::Encoding::raw : model::Encoding::hex}});
  }
  if (const auto extra = in->next())
    throw InputError({in->file(), extra->offset, extra->line, printable(extra->tag)},
                     "entry after the last memory region");
  return regions;
}

namespace {

// The model's RAM as one raw dump from GPA 0: its regions' bytes, zeros in the holes.
class RamStream {
 public:
  explicit RamStream(const model::Memory& m) : m_(m) {}

  std::size_t read(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size() && next_ < m_.regions.size()) {
      const model::RamRegion& r = m_.regions[next_];
      auto chunk = out.subspan(done);
      if (gpa_ < r.gpa) {  // a hole
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), r.gpa - gpa_));
        std::fill_n(chunk.begin(), n, 0);
        done += n;
        gpa_ += n;
        continue;
      }
      const std::uint64_t left = r.gpa + r.size - gpa_;
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), left));
      if (r.backing) {
        if (!reader_) reader_ = std::make_unique<RegionReader>(r);
        reader_->read(chunk.first(n));
      } else {
        std::fill_n(chunk.begin(), n, 0);
      }
      done += n;
      gpa_ += n;
      if (gpa_ == r.gpa + r.size) {
        reader_.reset();
        ++next_;
      }
    }
    return done;
  }

 private:
  const model::Memory& m_;
  std::size_t next_ = 0;
  std::uint64_t gpa_ = 0;
  std::unique_ptr<RegionReader> reader_;
};

}  // namespace

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
      notes.push_back({fmt::format("memory.regions[{}]", k), Carry::approximate,
                       fmt::format("Palacios RAM is contiguous from GPA 0: the hole [{:#x}, {:#x}) is written as "
                                   "zero-filled RAM",
                                   at, r.gpa)});
    at = r.gpa + r.size;
  }
  if (total > at)
    notes.push_back({"memory.regions", Carry::approximate, fmt::format("{} is padded with {} zero bytes", padded, total - at)});
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
  std::ofstream f(out.temp_path(), std::ios::binary | std::ios::trunc);
  RamStream ram(memory);
  std::vector<std::uint8_t> buf(1 << 16);
  for (std::uint64_t left = size; left > 0;) {
    auto chunk = std::span(buf).first(static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size())));
    const std::size_t got = ram.read(chunk);
    std::fill(chunk.begin() + static_cast<std::ptrdiff_t>(got), chunk.end(), 0);
    f.write(reinterpret_cast<const char*>(chunk.data()), static_cast<std::streamsize>(chunk.size()));
    left -= chunk.size();
  }
  if (!f.flush()) io::write_failed(out.target());
}

}  // namespace cptx::palacios
