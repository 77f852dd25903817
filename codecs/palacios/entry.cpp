#include "codecs/palacios/entry.hpp"

#include <stdexcept>

namespace cptx::palacios {

void EntryWriter::begin_entry(std::string_view tag, std::uint64_t size) {
  if (open_) throw std::logic_error("begin_entry while an entry is open");
  do_begin(tag, size);
  open_ = true;
  size_ = size;
  written_ = 0;
}

void EntryWriter::write(std::span<const std::uint8_t> chunk) {
  if (!open_) throw std::logic_error("write outside an entry");
  if (chunk.size() > size_ - written_) throw std::logic_error("entry value longer than announced");
  do_write(chunk);
  written_ += chunk.size();
}

void EntryWriter::end_entry() {
  if (!open_) throw std::logic_error("end_entry without an open entry");
  if (written_ != size_) throw std::logic_error("entry value shorter than announced");
  do_end();
  open_ = false;
}

void EntryWriter::put(std::string_view tag, std::span<const std::uint8_t> value) {
  begin_entry(tag, value.size());
  write(value);
  end_entry();
}

}  // namespace cptx::palacios
