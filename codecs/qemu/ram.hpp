// RAM section "ram" v4 (spec §3): a block list in START, then page records in START/PART/END
// bodies, each ended by EOS. Pages are ZERO (one fill byte) or PAGE (4096 bytes); CONTINUE means
// "same block as the previous page record" and persists across sections (§3.2).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "codecs/qemu/wire.hpp"
#include "model/machine.hpp"

namespace cptx::qemu {

inline constexpr std::string_view main_ram_block = "pc.ram";
inline constexpr std::uint32_t ram_version = 4;

struct RamBlock {
  std::string name;
  std::uint64_t length{};
  std::uint64_t records{};  // page records read for it
};

// Guest-physical layout of pc.ram on pc-i440fx (§3.3): all of it at 0 below 3.5 GiB; otherwise the
// first 3 GiB at 0 and the rest from 4 GiB.
std::vector<model::RamRegion> main_ram_regions(std::uint64_t length);
std::uint64_t block_offset_of(std::uint64_t gpa);

class RamScanner {
 public:
  // Called for every page record: block index, offset in the block, and the file offset of the
  // page's 4096 bytes (nullopt for a zero page).
  using Visit = std::function<void(std::size_t block, std::uint64_t addr, std::optional<std::uint64_t> data)>;
  explicit RamScanner(Visit visit) : visit_(std::move(visit)) {}

  // Reads one section body up to and including its EOS record. The block list must come first.
  void body(WireReader& in);
  const std::vector<RamBlock>& blocks() const { return blocks_; }

 private:
  Visit visit_;
  std::vector<RamBlock> blocks_;
  std::optional<std::size_t> current_;
  void block_list(WireReader& in, std::uint64_t total);
};

// The pages of pc.ram in [first, first + count): for each, the file offset of the bytes of its
// latest PAGE record, or 0 for a page whose latest record is ZERO or that no record names (no page's
// bytes lie at offset 0, where the stream's header is). From one scan of the RAM sections starting
// at `ram_offset` (a START record); later copies of a page replace earlier ones (live saves, §3.2).
// Eight bytes a page: readers index a window of `page_index_window` pages at a time.
std::vector<std::uint64_t> index_pages(const std::string& path, std::uint64_t ram_offset, std::uint64_t first,
                                       std::uint64_t count);
inline constexpr std::uint64_t page_index_window = std::uint64_t{1} << 20;  // 4 GiB of guest in 8 MiB

// Writes the RAM START (block list: pc.ram of `length` bytes) and one END section with every page
// of the model's regions, zero pages as ZERO records.
void write_ram(WireWriter& out, std::uint32_t section_id, const model::Memory& memory, std::uint64_t length);

// Registers the reader of model::Encoding::qemu with RegionReader.
bool register_ram_encoding();

}  // namespace cptx::qemu
