#include "codecs/qemu/ram.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/region_reader.hpp"
#include "codecs/io/zero.hpp"
#include "codecs/qemu/devices.hpp"

namespace cptx::qemu {

namespace {

constexpr std::uint64_t page = model::page_size;
constexpr std::uint64_t flag_zero = 0x02, flag_mem_size = 0x04, flag_page = 0x08, flag_eos = 0x10,
                        flag_continue = 0x20;
constexpr std::uint64_t gib = std::uint64_t{1} << 30;
constexpr std::size_t max_blocks = 256;

constexpr std::uint8_t section_start = 0x01, section_part = 0x02, section_end = 0x03, section_footer = 0x7e;

}  // namespace

std::vector<model::RamRegion> main_ram_regions(std::uint64_t length) {
  if (length <= 3 * gib + gib / 2) return {{0, length, std::nullopt}};
  return {{0, 3 * gib, std::nullopt}, {4 * gib, length - 3 * gib, std::nullopt}};
}

std::uint64_t block_offset_of(std::uint64_t gpa) { return gpa < 4 * gib ? gpa : gpa - gib; }

void RamScanner::block_list(WireReader& in, std::uint64_t total) {
  if (!blocks_.empty()) in.fail("a second RAM block list");
  std::uint64_t sum = 0;
  while (sum < total) {
    if (blocks_.size() == max_blocks) in.fail(fmt::format("more than {} RAM blocks", max_blocks));
    RamBlock b;
    b.name = in.name();
    b.length = in.be64();
    if (b.name.empty()) in.fail("RAM block with an empty name");
    if (b.length > total - sum)
      in.fail(fmt::format("RAM block {} of 0x{:x} bytes exceeds the listed total 0x{:x}", b.name, b.length, total));
    sum += b.length;
    blocks_.push_back(std::move(b));
  }
}

void RamScanner::body(WireReader& in) {
  for (;;) {
    const std::uint64_t at = in.offset();
    const std::uint64_t w = in.be64();
    const std::uint64_t flags = w & (page - 1), addr = w & ~(page - 1);
    if (flags == flag_eos) return;
    if (flags == flag_mem_size) {
      block_list(in, addr);
      continue;
    }
    const std::uint64_t kind = flags & ~flag_continue;
    if (kind != flag_zero && kind != flag_page)
      in.fail_at(at, fmt::format("RAM record flags 0x{:x}: only ZERO, PAGE, CONTINUE, MEM_SIZE and EOS are "
                                 "supported (no compression, XBZRLE or RDMA)",
                                 flags));
    if (!(flags & flag_continue)) {
      const std::string name = in.name();
      const auto it = std::find_if(blocks_.begin(), blocks_.end(), [&](const RamBlock& b) { return b.name == name; });
      if (it == blocks_.end()) in.fail_at(at, fmt::format("page of RAM block \"{}\", which is not in the block list", name));
      current_ = static_cast<std::size_t>(it - blocks_.begin());
    }
    if (!current_) in.fail_at(at, "CONTINUE page before any page named its block");
    RamBlock& b = blocks_[*current_];
    ++b.records;
    if (addr >= b.length || b.length - addr < page)
      in.fail_at(at, fmt::format("page at 0x{:x} lies outside RAM block {} of 0x{:x} bytes", addr, b.name, b.length));
    if (kind == flag_zero) {
      const std::uint8_t fill = in.u8();
      if (fill != 0) in.fail_at(at, fmt::format("ZERO page with fill byte 0x{:02x}", fill));
      visit_(*current_, addr, std::nullopt);
    } else {
      visit_(*current_, addr, in.offset());
      in.skip(page);
    }
  }
}

std::vector<std::uint64_t> index_pages(const std::string& path, std::uint64_t ram_offset, std::uint64_t first,
                                       std::uint64_t count) {
  std::vector<std::uint64_t> latest(static_cast<std::size_t>(count), 0);
  const RamScanner* blocks = nullptr;
  RamScanner scan([&](std::size_t block, std::uint64_t addr, std::optional<std::uint64_t> data) {
    if (blocks->blocks()[block].name != main_ram_block) return;
    const std::uint64_t p = addr / page;
    if (p < first || p - first >= count) return;
    latest[static_cast<std::size_t>(p - first)] = data.value_or(0);
  });
  blocks = &scan;
  WireReader in(path);
  in.set_context("ram");
  in.seek(ram_offset);
  std::optional<std::uint32_t> id;
  for (bool done = false; !done;) {
    const std::uint64_t at = in.offset();
    const std::uint8_t type = in.u8();
    const std::uint32_t sid = in.be32();
    if (type == section_start && !id) {
      if (in.name() != "ram") in.fail_at(at, "expected the START of section ram");
      in.skip(8);  // instance, version: checked when the stream was read
      id = sid;
    } else if ((type == section_part || type == section_end) && id && sid == *id) {
      done = type == section_end;
    } else {
      in.fail_at(at, "expected a section of ram");
    }
    scan.body(in);
    if (in.u8() != section_footer || in.be32() != sid) in.fail_at(at, "ram section without its footer");
  }
  return latest;
}

void write_ram(WireWriter& out, std::uint32_t id, const model::Memory& memory, std::uint64_t length) {
  out.u8(section_start);
  out.be32(id);
  out.name("ram");
  out.be32(0);
  out.be32(ram_version);
  out.be64(length | flag_mem_size);
  out.name(main_ram_block);
  out.be64(length);
  out.be64(flag_eos);
  out.u8(section_footer);
  out.be32(id);

  out.u8(section_end);
  out.be32(id);
  bool named = false;
  std::vector<std::uint8_t> buf(1 << 20);  // a whole number of pages, read at once
  for (const auto& region : memory.regions) {
    RegionReader reader(region);
    for (std::uint64_t off = 0; off < region.size;) {
      const auto chunk = std::span(buf).first(static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), region.size - off)));
      if (reader.read(chunk) != chunk.size()) throw InputError({}, "RAM region ended early");
      for (std::size_t at = 0; at < chunk.size(); at += page, off += page) {
        const auto bytes = chunk.subspan(at, page);
        const bool zero = io::all_zero(bytes);
        out.be64(block_offset_of(region.gpa + off) | (zero ? flag_zero : flag_page) | (named ? flag_continue : 0));
        if (!named) out.name(main_ram_block);
        named = true;
        if (zero)
          out.u8(0);
        else
          out.bytes(bytes);
      }
    }
  }
  out.be64(flag_eos);
  out.u8(section_footer);
  out.be32(id);
}

namespace {

// model::Encoding::qemu: a region of pc.ram read through the page index of the stream, built for
// one window of pages at a time (a rescan of the stream each) so that memory stays the same
// whatever the guest's size.
class PageSource final : public PagedSource {
 public:
  explicit PageSource(const model::RamRegion& r)
      : path_(r.backing->path),
        ram_offset_(r.backing->offset),
        first_(block_offset_of(r.gpa) / page),
        pages_((r.size + page - 1) / page),
        in_(path_) {}

  std::size_t read(std::span<std::uint8_t> buf) override {
    std::size_t done = 0;
    while (done < buf.size()) {
      const std::uint64_t p = pos_ / page, in_page = pos_ % page;
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(page - in_page, buf.size() - done));
      if (p < window_first_ || p - window_first_ >= window_.size()) index_window(p);
      if (const std::uint64_t data = window_[static_cast<std::size_t>(p - window_first_)]) {
        // The stream's own reader: pages follow each other in the file, so its window serves many.
        in_.seek(data + in_page);
        in_.bytes(buf.subspan(done, n));
      } else {
        std::fill_n(buf.begin() + static_cast<std::ptrdiff_t>(done), n, std::uint8_t{0});
      }
      done += n;
      pos_ += n;
    }
    return done;
  }

 private:
  std::string path_;
  std::uint64_t ram_offset_, first_, pages_, pos_ = 0;
  std::uint64_t window_first_ = 0;  // the window's first page, counted from the region's
  std::vector<std::uint64_t> window_;
  WireReader in_;

  // The window holding page `p` of the region (reads go forward, so windows follow each other).
  void index_window(std::uint64_t p) {
    window_first_ = p / page_index_window * page_index_window;
    const std::uint64_t count = std::min(page_index_window, pages_ - window_first_);
    window_.clear();
    window_.shrink_to_fit();  // the old window goes before the new one is built
    window_ = index_pages(path_, ram_offset_, first_ + window_first_, count);
  }
};

}  // namespace

bool register_ram_encoding() {
  register_region_encoding(model::Encoding::qemu,
                           [](const model::RamRegion& r) -> std::unique_ptr<PagedSource> {
                             return std::make_unique<PageSource>(r);
                           });
  return true;
}

void cover_ram(mapping::Coverage& c) {
  static constexpr CoverageRule declared[] = {
      mapping::row("memory", mapping::transformed("block pc.ram from guest-physical 0 (split at 3 GiB above 3.5 "
                                                  "GiB), pages read from the stream")),
  };
  c.declare(declared);
}

}  // namespace cptx::qemu
