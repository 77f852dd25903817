#include "codecs/gem5/cpt_syntax.hpp"

#include <fstream>
#include <iterator>
#include <unordered_set>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"

namespace cptx::gem5 {

namespace {

// The reader skips leading white space with `std::ws` (C-locale isspace) but trims only ' ' elsewhere
// (v24 spec §1.4).
bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool is_header(std::string_view line) { return line.size() >= 2 && line.front() == '[' && line.back() == ']'; }

// m5.cpt holds register blobs as decimal text, a few MB at most; refuse anything absurd before
// reading it into memory.
constexpr std::uintmax_t kMaxCptSize = 1u << 30;

}  // namespace

CptFile parse_cpt(std::string_view text, std::string source) {
  CptFile cpt;
  cpt.source = std::move(source);
  Section* current = nullptr;
  std::size_t pos = 0;
  std::uint64_t line_no = 1;
  auto error_at = [&](std::size_t offset, std::string key, const std::string& what) {
    return InputError(Location{cpt.source, offset, line_no, std::move(key)}, what);
  };

  while (pos < text.size()) {
    if (is_ws(text[pos])) {
      if (text[pos] == '\n') ++line_no;
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    pos = end;  // the '\n' itself is counted by the white-space skip

    // gem5 would keep the '\r' (a header is then not recognised, a value gets a trailing '\r'),
    // silently misreading the file; CRLF files are an error here.
    if (line.back() == '\r')
      throw error_at(start, current ? current->name() : "", "line ends with a carriage return (gem5 needs LF line endings)");

    if (is_header(line)) {
      current = &cpt.section(std::string(trim_spaces(line.substr(1, line.size() - 2))), line_no);
      continue;
    }
    if (!current) {
      cpt.preamble.emplace_back(line);
      continue;
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos)
      throw error_at(start, current->name(), "line in a section is neither `key=value` nor `[section]` (gem5 fails to load it)");
    // `key+=value` appends to the value (v24 spec §1.4); the `+` must touch the `=`.
    const bool append = eq > 0 && line[eq - 1] == '+';
    const std::string key(trim_spaces(line.substr(0, append ? eq - 1 : eq)));
    const std::string_view value = trim_spaces(line.substr(eq + 1));
    if (key.empty()) throw error_at(start, current->name(), "entry with an empty key");
    if (append)
      current->append(key, value, line_no);
    else
      current->set(key, std::string(value), line_no);
  }
  return cpt;
}

CptFile read_cpt(const std::filesystem::path& file) {
  io::require_regular_file(file);
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) throw InputError(Location{file.string(), std::nullopt, std::nullopt, ""}, "cannot read: " + ec.message());
  if (size > kMaxCptSize)
    throw InputError(Location{file.string(), std::nullopt, std::nullopt, ""},
                     fmt::format("{} bytes is too large for an m5.cpt file", size));
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(Location{file.string(), std::nullopt, std::nullopt, ""}, "read error");
  return parse_cpt(text, file.string());
}

namespace {

void reject(const std::string& where, const std::string& what) {
  throw UsageError(fmt::format("cannot write m5.cpt: {}: {}", where, what));
}

bool has_outer_space(std::string_view s) { return !s.empty() && (s.front() == ' ' || s.back() == ' '); }

// Each rule keeps the reader from changing or rejecting what was written (v24 spec §1.4).
void check_preamble_line(const std::string& line) {
  if (line.empty() || is_ws(line.front()) || line.back() == ' ' || line.back() == '\r' ||
      line.find('\n') != std::string::npos || is_header(line))
    reject("preamble", "line \"" + line + "\" would not read back unchanged");
}

void check_section_name(const std::string& name) {
  if (name.find('\n') != std::string::npos || has_outer_space(name))
    reject(name, "section name contains a newline or starts/ends with a space");
}

void check_entry(const std::string& section, const Entry& e) {
  const std::string where = section + ":" + e.key;
  if (e.key.empty()) reject(where, "empty key");
  if (e.key.find_first_of("=\n") != std::string::npos) reject(where, "key contains `=` or a newline");
  if (is_ws(e.key.front()) || e.key.back() == ' ') reject(where, "key starts with white space or ends with a space");
  if (e.key.front() == '[' && !e.value.empty() && e.value.back() == ']')
    reject(where, "key starts with `[` and value ends with `]` (the line would read as a section header)");
  if (e.key.back() == '+') reject(where, "key ends with `+` (the line would read as an append)");
  if (e.value.find('\n') != std::string::npos || has_outer_space(e.value) ||
      (!e.value.empty() && e.value.back() == '\r'))
    reject(where, "value contains a newline, starts/ends with a space or ends with a carriage return");
}

}  // namespace

std::string write_cpt(const CptFile& cpt) {
  std::string out;
  for (const std::string& line : cpt.preamble) {
    check_preamble_line(line);
    out += line;
    out += '\n';
  }
  for (const Section& s : cpt.sections()) {
    check_section_name(s.name());
    // gem5 writes "\n[" name "]\n" for every section, then `key=value\n` lines (v24 spec §1.2).
    out += "\n[";
    out += s.name();
    out += "]\n";
    for (const Entry& e : s.entries()) {
      check_entry(s.name(), e);
      out += e.key;
      out += '=';
      out += e.value;
      out += '\n';
    }
  }
  return out;
}

void write_cpt_file(const CptFile& cpt, const std::filesystem::path& file) {
  const std::string text = write_cpt(cpt);
  if (std::filesystem::exists(file)) throw UsageError(fmt::format("{}: refusing to overwrite", file.string()));
  std::ofstream out(file, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) io::write_failed(file);
}

}  // namespace cptx::gem5
