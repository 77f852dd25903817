#include "tests/corpus/pairs.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <stdexcept>

#include "codecs/io/gzip_stream.hpp"

namespace cptx::testing {

namespace fs = std::filesystem;

const std::vector<Snapshot>& pair_snapshots() {
  static const std::vector<Snapshot> all = {
      {"selfcheck", "step5"},        {"selfcheck", "step15"},      {"selfcheck", "step30"},
      {"linux-hashchain", "boot"},   {"linux-hashchain", "step3"}, {"linux-hashchain", "step25"},
  };
  return all;
}

const std::vector<std::string>& pair_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& s : pair_snapshots())
      if (std::find(out.begin(), out.end(), s.pair) == out.end()) out.push_back(s.pair);
    return out;
  }();
  return names;
}

fs::path pair_dir(const std::string& pair) { return fs::path(CPTX_SOURCE_DIR) / "corpus/pairs" / pair; }

fs::path plain_stream(const Snapshot& s, const TempDir& scratch) {
  const fs::path plain = pair_dir(s.pair) / (s.name + ".qemu");
  if (fs::exists(plain)) return plain;
  const fs::path gz = pair_dir(s.pair) / (s.name + ".qemu.gz");
  std::ifstream in(gz, std::ios::binary);
  if (!in) throw std::runtime_error("no snapshot " + gz.string());
  // A 128 MiB guest's stream is its RAM pages plus a few kilobytes of devices.
  io::GzipReader reader(in, gz.string(), std::uint64_t{256} << 20);
  const fs::path out = scratch / (s.pair + "-" + s.name + ".qemu");
  std::ofstream o(out, std::ios::binary);
  std::vector<std::uint8_t> buf(1 << 20);
  while (const std::size_t n = reader.read(buf)) o.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(n));
  if (!o.flush()) throw std::runtime_error("cannot write " + out.string());
  return out;
}

std::vector<CorpusCheckpoint> corpus_checkpoints() {
  std::vector<CorpusCheckpoint> out;
  for (const Snapshot& s : pair_snapshots()) out.push_back({test_name(s), s.pair, s, {}});
  const std::pair<const char*, const char*> gem5_runs[] = {{"selfcheck-32M", "selfcheck"},
                                                           {"linux-hashchain-128M", "linux-hashchain"}};
  for (const auto& [run, pair] : gem5_runs) {
    std::vector<fs::path> cpts;
    for (const auto& e : fs::directory_iterator(fs::path(CPTX_SOURCE_DIR) / "corpus/gem5" / run))
      if (e.path().filename().string().starts_with("cpt.")) cpts.push_back(e.path());
    std::sort(cpts.begin(), cpts.end());
    for (const auto& c : cpts)
      out.push_back({test_name(std::string("gem5_") + run + "_" + c.filename().string()), pair, {}, c});
  }
  return out;
}

std::vector<std::string> command_line(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<std::string> args;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') args.push_back(line);
  return args;
}

std::string option_value(const std::vector<std::string>& args, const std::string& option) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == option && i + 1 < args.size()) return args[i + 1];
    if (args[i].rfind(option + "=", 0) == 0) return args[i].substr(option.size() + 1);
  }
  return {};
}

std::string test_name(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return text;
}

std::string test_name(const Snapshot& s) { return test_name(s.pair + "_" + s.name); }

}  // namespace cptx::testing
