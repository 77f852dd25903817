// The schema-free view of a context (§0): an ordered list of (tag, value) entries. Readers and
// writers stream values, because one `memory_img<i>` value is a whole guest memory region (§2.2).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cptx::palacios {

// Longest tag either reader accepts. Palacios' tags are short identifiers; the bound keeps a corrupt
// length field from turning into a huge allocation.
inline constexpr std::size_t kMaxTagLength = 4096;

struct Entry {
  std::string tag;
  std::vector<std::uint8_t> value;
  bool operator==(const Entry&) const = default;
};

// A whole context in memory: for small contexts only (not `memory_img`).
struct Context {
  std::string name;
  std::vector<Entry> entries;
  bool operator==(const Context&) const = default;
};

struct EntryInfo {
  std::string tag;
  std::optional<std::uint64_t> size;  // known before the value in `file:`, not in `textfile:`
  std::uint64_t offset = 0;           // where the entry starts in its file
  std::optional<std::uint64_t> line;  // 1-based, `textfile:` only
};

// Receives a value chunk by chunk (each chunk at most 64 KiB).
using ChunkFn = std::function<void(std::span<const std::uint8_t>)>;

// Reads one context file front to back. Errors in the input are cptx::InputError naming the file, the
// offset (and line for text) and the tag; calling out of order is std::logic_error.
class EntryReader {
 public:
  virtual ~EntryReader() = default;
  // The file name used in error messages.
  virtual const std::string& file() const = 0;
  // Moves to the next entry, skipping an unread value (which is still checked). nullopt at the end.
  virtual std::optional<EntryInfo> next() = 0;
  // The current value's length. `textfile:` stores none, so there this scans the value and rewinds.
  virtual std::uint64_t value_size() = 0;
  // Streams the current value; returns its length. If the value turns out malformed, the chunks
  // already delivered stand and the error is thrown afterwards.
  virtual std::uint64_t stream_value(const ChunkFn& sink) = 0;
  // Reads the current value whole; one longer than `max_size` is an error.
  virtual std::vector<std::uint8_t> read_value(std::size_t max_size) = 0;
};

// Writes one context file front to back: begin_entry(tag, size), write() chunks totalling exactly
// `size` bytes, end_entry(). A tag the store cannot represent is a cptx::InputError naming the output
// file; a byte count that does not add up to `size` is std::logic_error.
class EntryWriter {
 public:
  virtual ~EntryWriter() = default;
  void begin_entry(std::string_view tag, std::uint64_t size);
  void write(std::span<const std::uint8_t> chunk);
  void end_entry();
  // A whole small value.
  void put(std::string_view tag, std::span<const std::uint8_t> value);
  bool in_entry() const { return open_; }

 protected:
  virtual void do_begin(std::string_view tag, std::uint64_t size) = 0;
  virtual void do_write(std::span<const std::uint8_t> chunk) = 0;
  virtual void do_end() = 0;

 private:
  bool open_ = false;
  std::uint64_t size_ = 0;
  std::uint64_t written_ = 0;
};

}  // namespace cptx::palacios
