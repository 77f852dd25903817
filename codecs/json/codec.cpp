#include "codecs/json/codec.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/text.hpp"
#include "codecs/json/parse.hpp"
#include "model/json.hpp"

namespace cptx {

namespace fs = std::filesystem;

namespace {

constexpr CoverageRule coverage[] = {{"", Carry::exact, "the model itself"}};

std::string read_small_file(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) throw InputError({p.string()}, "not a regular file");
  const auto size = fs::file_size(p, ec);
  if (ec) throw InputError({p.string()}, "cannot read: " + ec.message());
  if (size > max_model_json_bytes)
    throw InputError({p.string()}, fmt::format("{} bytes: larger than the {} a model document may have", size,
                                               max_model_json_bytes));
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError({p.string()}, "cannot read");
  return text.str();
}

bool detect(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return false;
  std::ifstream in(p, std::ios::binary);
  char c = 0;
  while (in.get(c) && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
  }
  return in && c == '{';
}

// Backing files are named relative to the document; in memory they are absolute.
model::Machine read(const fs::path& p, const ReadOptions&, Report&) {
  const std::string text = read_small_file(p);
  const model::Json doc = parse_json_text(text, p.string());
  model::Machine m;
  try {
    m = model::from_json(doc);
  } catch (const model::FieldError& e) {
    throw InputError({p.string(), std::nullopt, std::nullopt, e.path()},
                     std::string(e.what()).substr(e.path().size() + 2));
  }
  const fs::path dir = fs::absolute(p).parent_path();
  for (auto& r : m.memory.regions)
    if (r.backing) r.backing->path = (dir / r.backing->path).lexically_normal().string();
  return m;
}

void write(const model::Machine& m, const fs::path& p, const WriteOptions& opts, Report&) {
  model::Machine out = m;
  const fs::path dir = fs::absolute(p).parent_path();
  for (std::size_t i = 0; i < out.memory.regions.size(); ++i) {
    auto& b = out.memory.regions[i].backing;
    if (!b) continue;
    // JSON strings are UTF-8: a file whose path is not cannot be named in the document.
    if (!io::is_utf8(b->path))
      throw InputError({p.string(), std::nullopt, std::nullopt, fmt::format("memory.regions[{}].backing.path", i)},
                       fmt::format("{} is not UTF-8 text, which a model document cannot name; give the checkpoint a "
                                   "path that is",
                                   io::printable(b->path, 4096)));
    if (fs::path(b->path).is_absolute()) b->path = fs::path(b->path).lexically_relative(dir).string();
  }
  AtomicOutput file(p, AtomicOutput::Kind::file, opts.force);
  {
    std::ofstream f(file.temp_path(), std::ios::binary | std::ios::trunc);
    f << model::to_json(out).dump(2) << '\n';
    if (!f.flush()) io::write_failed(p);
  }
  file.commit();
}

}  // namespace

const Codec json_codec{"json", "cptx model document (JSON; see docs/model.md)", coverage, {}, detect, read, write, {}, {}, false};

}  // namespace cptx
