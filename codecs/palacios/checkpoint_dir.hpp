// A `file:`/`textfile:` checkpoint on disk: a directory holding one file per context, named like the
// context, and nothing else (§1.3). Reading never modifies it; writing builds a fresh directory that
// replaces the output only once complete (unlike Palacios, which writes in place without truncating,
// P17, and leaves partial directories behind, P29).
#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <span>
#include <string>

#include "codecs/io/atomic_output.hpp"
#include "codecs/palacios/byte_sink.hpp"
#include "codecs/palacios/entry.hpp"
#include "codecs/palacios/store.hpp"

namespace cptx::palacios {

// The context names in `dir`, sorted bytewise (context order carries no meaning on file stores, P27).
// Every directory entry must be a regular file with a valid context name: symbolic links,
// subdirectories and the like are errors, not skipped.
std::vector<std::string> list_contexts(const std::filesystem::path& dir);

// Which store wrote `dir`: textfile if every context file starts with '[' after optional TAB/CR/LF,
// file if every one is empty or starts with the boundary tag 23 01 cd ab. An empty directory, a file
// of neither kind, or a mix is an error. (A Palacios load that asked for a missing context leaves an
// empty file behind, §1.3; in a textfile directory that reads as a mix.)
Store detect_store(const std::filesystem::path& dir);

// Opens the context file read-only; symbolic links are refused.
std::unique_ptr<EntryReader> open_context(const std::filesystem::path& dir, std::string_view name, Store store);
Context read_context(const std::filesystem::path& dir, std::string_view name, Store store,
                     std::size_t max_value_size);

// Writes a checkpoint directory context by context, into a temporary sibling that replaces `out` on
// commit(). Without commit() (an exception, say) nothing is left behind.
class CheckpointWriter {
 public:
  // Throws cptx::UsageError if `out` exists and `force` is false.
  CheckpointWriter(const std::filesystem::path& out, Store store, bool force);
  // Finishes the previous context (its last entry must be complete) and starts `name`.
  EntryWriter& begin_context(std::string_view name);
  void commit();

 private:
  void finish_context();

  AtomicOutput out_;
  Store store_;
  std::set<std::string, std::less<>> names_;
  std::unique_ptr<FileSink> sink_;
  std::unique_ptr<EntryWriter> writer_;
};

void write_checkpoint(const std::filesystem::path& out, Store store, std::span<const Context> contexts, bool force);

// Rewrites the checkpoint in `in` (store detected) into `out` with `store`, streaming every value.
void convert_checkpoint(const std::filesystem::path& in, const std::filesystem::path& out, Store store, bool force);

}  // namespace cptx::palacios
