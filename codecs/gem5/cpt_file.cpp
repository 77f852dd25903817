#include "codecs/gem5/cpt_file.hpp"

namespace cptx::gem5 {

const Entry* Section::find(std::string_view key) const {
  const auto it = index_.find(std::string(key));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

void Section::set(std::string key, std::string value, std::uint64_t line) {
  const auto it = index_.find(key);
  if (it != index_.end()) {
    Entry& e = entries_[it->second];
    e.value = std::move(value);
    e.line = line;
    return;
  }
  index_.emplace(key, entries_.size());
  entries_.push_back(Entry{std::move(key), std::move(value), line});
}

void Section::append(std::string key, std::string_view value, std::uint64_t line) {
  const auto it = index_.find(key);
  if (it == index_.end()) return set(std::move(key), std::string(value), line);
  Entry& e = entries_[it->second];
  e.value += ' ';
  e.value += value;
  e.line = line;
}

const Section* CptFile::find(std::string_view name) const {
  const auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &sections_[it->second];
}

Section* CptFile::find(std::string_view name) {
  const auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &sections_[it->second];
}

Section& CptFile::section(std::string name, std::uint64_t line) {
  if (Section* s = find(name)) return *s;
  index_.emplace(name, sections_.size());
  return sections_.emplace_back(std::move(name), line);
}

void CptFile::reindex() {
  index_.clear();
  for (std::size_t i = 0; i < sections_.size(); ++i) index_.emplace(sections_[i].name(), i);
}

}  // namespace cptx::gem5
