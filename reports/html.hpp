// A conversion report as one self-contained HTML page (docs/reports.md): the source and target, this
// checkpoint's counts, its guest RAM, every field it changed in a table per device with both values
// and why, and the formats' rows per device; a small inline script filters the rows by status, from
// checkboxes or the address's fragment (`report.html#status=approximated,not_carried`). Nothing is
// fetched: the style and script are inline and a Content-Security-Policy forbids the rest. Every
// string from the checkpoint or the command line is escaped, as checkpoints are untrusted.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "reports/report.hpp"

namespace cptx {

// A region of the checkpoint's guest RAM, with its zero pages where they were counted.
struct RamRegionStats {
  std::uint64_t gpa = 0, size = 0;
  std::optional<std::uint64_t> zero_pages;
};

std::string to_html(const Report& report, std::span<const RamRegionStats> ram);

// `text` safe in HTML text and in quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace cptx
