#include "oracles/guest_records.hpp"

#include <optional>
#include <string_view>
#include <utility>

#include "oracles/judge.hpp"

namespace cptx::oracle {
namespace {

constexpr std::string_view record_start = "GUEST: ";
// 'D' stands for a decimal number, 'H' for a 16-digit lower-case hex hash.
constexpr std::string_view record_forms[] = {"GUEST: boot complete", "GUEST: step D hash H", "GUEST: done hash H"};
constexpr std::size_t hash_digits = 16;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// A record at the start of a text: its length if whole, else how many leading characters could still
// begin one.
struct Match {
  std::size_t length = 0;
  bool whole = false;
};

Match match_form(std::string_view form, std::string_view s) {
  std::size_t i = 0;
  for (const char f : form) {
    if (f == 'D' || f == 'H') {
      std::size_t n = 0;
      while (i < s.size() && (f == 'D' ? is_digit(s[i]) : is_hex(s[i]) && n < hash_digits)) ++i, ++n;
      if (f == 'D' ? n == 0 : n < hash_digits) return {i, false};
    } else {
      if (i == s.size() || s[i] != f) return {i, false};
      ++i;
    }
  }
  return {i, true};
}

Match match_record(std::string_view s) {
  Match best;
  for (const auto form : record_forms) {
    const Match m = match_form(form, s);
    if (m.whole) return m;
    if (m.length > best.length) best = m;
  }
  return best;
}

// At most this many kernel messages inside one record are undone.
constexpr int max_cuts = 2;

struct Completion {
  std::string record;
  bool ends_line = false;          // nothing followed the record on its last line
  std::vector<std::size_t> lines;  // the later lines it took its rest from
};

// `head` starts a record; if a message cut it short, the rest starts one of lines [from, to) not used
// yet. Where the cut lies is not plain (a message can begin with a hex digit, a hash can begin with a
// digit), so every place is tried, latest first, and a rest that ends its line is preferred: one that
// does not has taken characters of the next message.
std::optional<Completion> complete(const std::string& head, const std::vector<std::string>& lines, std::size_t from,
                                   std::size_t to, const std::vector<bool>& used, int cuts_left) {
  const Match m = match_record(head);
  if (m.whole) return Completion{head.substr(0, m.length), m.length == head.size(), {}};
  if (cuts_left == 0) return std::nullopt;
  std::optional<Completion> fallback;
  for (std::size_t cut = m.length; cut >= record_start.size(); --cut)
    for (std::size_t j = from; j < to; ++j) {
      if (used[j]) continue;
      const std::string joined = head.substr(0, cut) + lines[j];
      if (match_record(joined).length <= cut) continue;  // the line does not go on with the record
      auto c = complete(joined, lines, j + 1, to, used, cuts_left - 1);
      if (!c) continue;
      c->lines.push_back(j);
      if (c->ends_line) return c;
      if (!fallback) fallback = std::move(c);
    }
  return fallback;
}

}  // namespace

bool is_guest_record(const std::string& line) {
  const Match m = match_record(line);
  return m.whole && m.length == line.size();
}

std::vector<std::string> guest_records(const std::string& serial) {
  const auto lines = split_lines(serial);
  const auto starts_record = [&](std::size_t i) { return lines[i].rfind(record_start, 0) == 0; };
  std::vector<bool> used(lines.size());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (used[i] || !starts_record(i)) continue;
    std::size_t next = i + 1;
    while (next < lines.size() && !starts_record(next)) ++next;
    auto c = complete(lines[i], lines, i + 1, next, used, max_cuts);
    if (!c) {
      out.push_back(lines[i]);
      continue;
    }
    for (const std::size_t j : c->lines) used[j] = true;
    out.push_back(std::move(c->record));
  }
  return out;
}

}  // namespace cptx::oracle
