// What guest RAM a conversion read, region by region, and how many of each region's pages were zero:
// counted while a RamTally is in scope, by every RegionReader that reads its region to the end. The
// count scans each page once more, so it runs only when a report asks for it (--report-html).
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace cptx::io {

class RamTally {
 public:
  RamTally();
  ~RamTally();
  RamTally(const RamTally&) = delete;
  RamTally& operator=(const RamTally&) = delete;

  // Whether a RamTally is in scope: readers count only then.
  static bool counting();
  // The region at guest-physical `gpa` was read whole; `zero_pages` of its pages were all zero.
  static void region_read(std::uint64_t gpa, std::uint64_t zero_pages);

  // The zero pages of the region at `gpa`, if it was read whole while this tally was in scope.
  std::optional<std::uint64_t> zero_pages(std::uint64_t gpa) const;

 private:
  std::map<std::uint64_t, std::uint64_t> zero_pages_;  // by the region's start
};

}  // namespace cptx::io
