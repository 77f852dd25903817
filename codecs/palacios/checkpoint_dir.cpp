#include "codecs/palacios/checkpoint_dir.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/palacios/context_name.hpp"
#include "codecs/io/text.hpp"

namespace cptx::palacios {
namespace fs = std::filesystem;

namespace {

// The store one context file was written by, or nullopt if it looks like neither.
std::optional<Store> sniff(const fs::path& file) {
  SourceCursor in(std::make_unique<FileSource>(file));
  if (in.remaining() == 0) return Store::file;
  int c = in.peek();
  while (c == '\t' || c == '\r' || c == '\n') {
    in.skip();
    c = in.peek();
  }
  if (c == '[') return Store::textfile;
  std::array<std::uint8_t, 4> head{};
  in.seek(0);
  if (in.read(head) == head.size() && head == std::array<std::uint8_t, 4>{0x23, 0x01, 0xcd, 0xab}) return Store::file;
  return std::nullopt;
}

}  // namespace

std::vector<std::string> list_contexts(const fs::path& dir) {
  const std::string where = dir.string();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError({where, {}, {}, {}}, "not a directory");
  std::vector<std::string> names;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    check_context_name(name, where);
    const auto type = it->symlink_status(ec).type();
    if (ec) break;
    if (type == fs::file_type::symlink)
      throw InputError({where, {}, {}, io::printable(name)}, "context file is a symbolic link; refusing to follow it");
    if (type != fs::file_type::regular)
      throw InputError({where, {}, {}, io::printable(name)}, "not a regular file");
    names.push_back(std::move(name));
  }
  if (ec) throw InputError({where, {}, {}, {}}, "cannot list the directory: " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

Store detect_store(const fs::path& dir) {
  const auto names = list_contexts(dir);
  if (names.empty()) throw InputError({dir.string(), {}, {}, {}}, "no context files, so no store to detect");
  std::optional<Store> found;
  std::string first;
  for (const auto& name : names) {
    auto store = sniff(dir / name);
    if (!store)
      throw InputError({(dir / name).string(), 0, {}, io::printable(name)},
                       "neither a textfile context ('[' header) nor a file context (boundary tag 23 01 cd ab)");
    if (found && *found != *store)
      throw InputError({dir.string(), {}, {}, io::printable(name)},
                       fmt::format("mixed stores: '{}' is a {} context but '{}' is a {} context", io::printable(first),
                                   store_name(*found), io::printable(name), store_name(*store)));
    if (!found) first = name;
    found = store;
  }
  return *found;
}

std::unique_ptr<EntryReader> open_context(const fs::path& dir, std::string_view name, Store store) {
  check_context_name(name, dir.string());
  return make_reader(store, std::make_unique<FileSource>(dir / name), std::string(name));
}

Context read_context(const fs::path& dir, std::string_view name, Store store, std::size_t max_value_size) {
  auto in = open_context(dir, name, store);
  return {std::string(name), read_entries(*in, max_value_size)};
}

CheckpointWriter::CheckpointWriter(const fs::path& out, Store store, bool force)
    : out_(out, AtomicOutput::Kind::directory, force), store_(store) {
  // Palacios creates its checkpoint directories owner-only (§1.3); so do we.
  fs::permissions(out_.temp_path(), fs::perms::owner_all);
}

void CheckpointWriter::finish_context() {
  if (!writer_) return;
  if (writer_->in_entry()) throw std::logic_error("context finished inside an entry");
  sink_->close();
  writer_.reset();
  sink_.reset();
}

EntryWriter& CheckpointWriter::begin_context(std::string_view name) {
  finish_context();
  const std::string where = out_.target().string();
  check_context_name(name, where);
  if (!names_.emplace(name).second) throw InputError({where, {}, {}, io::printable(name)}, "context written twice");
  const fs::path file = out_.temp_path() / name;
  sink_ = std::make_unique<FileSink>(file, out_.target() / name);
  writer_ = make_writer(store_, *sink_, name, (out_.target() / name).string());
  return *writer_;
}

void CheckpointWriter::commit() {
  finish_context();
  out_.commit();
}

void write_checkpoint(const fs::path& out, Store store, std::span<const Context> contexts, bool force) {
  CheckpointWriter w(out, store, force);
  for (const auto& c : contexts) write_entries(w.begin_context(c.name), c.entries);
  w.commit();
}

void convert_checkpoint(const fs::path& in, const fs::path& out, Store store, bool force) {
  const Store from = detect_store(in);
  CheckpointWriter w(out, store, force);
  for (const auto& name : list_contexts(in)) copy_entries(*open_context(in, name, from), w.begin_context(name));
  w.commit();
}

}  // namespace cptx::palacios
