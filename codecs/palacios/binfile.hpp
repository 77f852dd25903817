// The `file:` store's context file (§1.4): per entry, LE u32 0xabcd0123, LE i64 tag length, tag,
// LE i64 value length, value; nothing else. Being self-describing, it reads without a schema.
#pragma once

#include <memory>
#include <string>

#include "codecs/palacios/byte_sink.hpp"
#include "codecs/palacios/byte_source.hpp"
#include "codecs/palacios/entry.hpp"

namespace cptx::palacios {

inline constexpr std::uint32_t kBoundaryTag = 0xabcd0123;

// Every length is checked before it is used: tag length at most kMaxTagLength, value length within
// what is left of the file, so a corrupt or hostile file fails with an error, never a huge allocation.
// Stricter than Palacios, which only reads the entries it asks for (§1.4): trailing bytes that do not
// form an entry (a stale tail, pitfall P17) are an error here.
class BinaryReader : public EntryReader {
 public:
  // `context` names the context in error messages when no tag is at hand.
  BinaryReader(std::unique_ptr<ByteSource> source, std::string context);
  const std::string& file() const override { return in_.name(); }
  std::optional<EntryInfo> next() override;
  std::uint64_t value_size() override;
  std::uint64_t stream_value(const ChunkFn& sink) override;
  std::vector<std::uint8_t> read_value(std::size_t max_size) override;

 private:
  [[noreturn]] void fail(std::uint64_t offset, const std::string& key, const std::string& what) const;
  std::uint64_t read_le(std::size_t width, const char* field, const std::string& key);
  void require_value(const char* call) const;

  SourceCursor in_;
  std::string context_;
  std::string tag_;
  std::uint64_t next_entry_ = 0;
  std::uint64_t value_start_ = 0;
  std::uint64_t value_size_ = 0;
  bool has_entry_ = false;
  bool value_pending_ = false;
};

// Writes entries in the §1.4 layout. Tags may hold any bytes (Palacios' never hold NUL: they are C
// strings) but at most kMaxTagLength of them, so that BinaryReader reads back what was written.
class BinaryWriter : public EntryWriter {
 public:
  // `file` names the output in error messages.
  BinaryWriter(ByteSink& out, std::string file);

 protected:
  void do_begin(std::string_view tag, std::uint64_t size) override;
  void do_write(std::span<const std::uint8_t> chunk) override;
  void do_end() override {}

 private:
  ByteSink& out_;
  std::string file_;
};

}  // namespace cptx::palacios
