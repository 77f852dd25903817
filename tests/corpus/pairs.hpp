// The VM pairs of corpus/pairs/: per guest, the QEMU, Palacios and gem5 descriptions of one platform
// and real QEMU snapshots of it (corpus/README.md).
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/support/run.hpp"

namespace cptx::testing {

struct Snapshot {
  std::string pair;  // directory under corpus/pairs/
  std::string name;  // step5: the stream is step5.qemu or step5.qemu.gz, its COM1 output step5.serial
};

// A checkpoint of the corpus: a QEMU snapshot of a pair, or a real gem5 checkpoint of the same guest.
struct CorpusCheckpoint {
  std::string name;                  // for a test's name
  std::string pair;                  // the pair whose palacios.xml describes its machine
  std::optional<Snapshot> snapshot;  // QEMU
  std::filesystem::path directory;   // gem5
};
// The snapshots of the pairs, then the gem5 checkpoints.
std::vector<CorpusCheckpoint> corpus_checkpoints();

// Every snapshot of every pair.
const std::vector<Snapshot>& pair_snapshots();
// The guests' pairs: selfcheck, linux-hashchain.
const std::vector<std::string>& pair_names();

std::filesystem::path pair_dir(const std::string& pair);
// The snapshot as a plain QEMU stream (the codec reads plain files): the corpus file itself, or the
// gunzipped copy written into `scratch`.
std::filesystem::path plain_stream(const Snapshot& s, const TempDir& scratch);

// A command-line file of a pair (qemu.cmdline, gem5.cmdline): one argument per line, '#' comments.
std::vector<std::string> command_line(const std::filesystem::path& file);
// The value after `option` ("-m" -> "32"), or of `option=value` ("--mem-size" -> "32MB"); empty if absent.
std::string option_value(const std::vector<std::string>& args, const std::string& option);

inline std::ostream& operator<<(std::ostream& os, const Snapshot& s) { return os << s.pair << "/" << s.name; }
// A GoogleTest name for a parameter (GoogleTest allows letters, digits and '_' only): linux_hashchain,
// linux_hashchain_step3, palacios_file.
std::string test_name(std::string text);
std::string test_name(const Snapshot& s);

}  // namespace cptx::testing
