// In-memory form of a gem5 `m5.cpt` file (both eras share the syntax: v24 spec §1.2-§1.4, 2011 spec
// §1.2): ordered sections, each an ordered list of key/raw-value pairs. Values stay the strings gem5
// wrote; values.hpp and lookup.hpp give them types. Section and key order is kept only so that a file
// can be reproduced byte for byte; gem5 itself looks everything up by name.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cptx::gem5 {

struct Entry {
  std::string key;
  std::string value;
  std::uint64_t line = 0;  // 1-based line in the parsed file, 0 when built in memory
};

class Section {
 public:
  explicit Section(std::string name, std::uint64_t line = 0) : name_(std::move(name)), line_(line) {}

  const std::string& name() const { return name_; }
  std::uint64_t line() const { return line_; }
  const std::vector<Entry>& entries() const { return entries_; }

  const Entry* find(std::string_view key) const;
  // A key that is already present keeps its position and gets the new value, as a repeated key does
  // in gem5's reader (v24 spec §1.4: the later value overrides).
  void set(std::string key, std::string value, std::uint64_t line = 0);
  // `key+=value`: extends the value in place (a space, then `value`), so that a long run of
  // continuation lines costs time linear in their length; sets the key if it is new.
  void append(std::string key, std::string_view value, std::uint64_t line);

 private:
  std::string name_;
  std::uint64_t line_;
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

class CptFile {
 public:
  // Lines before the first section header; gem5 writes one, `## checkpoint generated: <ctime>`, and
  // its reader ignores them (v24 spec §1.4).
  std::vector<std::string> preamble;

  // Where the text came from, for error messages ("" when built in memory).
  std::string source;

  const std::deque<Section>& sections() const { return sections_; }
  const Section* find(std::string_view name) const;
  Section* find(std::string_view name);
  // Returns the existing section of that name (a repeated header re-opens it) or appends a new one.
  Section& section(std::string name, std::uint64_t line = 0);
  // Removes the sections whose names `drop` accepts; references to sections are invalidated.
  template <class Pred> void erase_sections(Pred drop) {
    std::erase_if(sections_, [&](const Section& s) { return drop(s.name()); });
    reindex();
  }

 private:
  void reindex();

  std::deque<Section> sections_;  // deque: references stay valid when sections are added
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace cptx::gem5
