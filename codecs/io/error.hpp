// Errors about bad input: every one names where (file, byte offset or line, key path) and what was
// expected, and renders as a single line. The CLI maps them to exit code 2.
#pragma once

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace cptx {

struct Location {
  std::string file{};                     // input file or directory, as the user named it
  std::optional<std::uint64_t> offset{};  // byte offset in `file`
  std::optional<std::uint64_t> line{};    // 1-based line in `file`
  std::string key{};                      // key path inside the file: a tag, section:key or model path

  std::string str() const;
};

class InputError : public std::runtime_error {
 public:
  InputError(Location where, const std::string& what);
  const Location& where() const { return where_; }
  const std::string& detail() const { return detail_; }

 private:
  Location where_;
  std::string detail_;
};

// Misuse of the command line or of an API (bad FORMAT:PATH, refusing to overwrite): also exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An output that could not be written (a full disk, a vanished directory): also exit 2.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace io {
// Throws OutputError "FILE: cannot write: REASON", the reason being the system's for `err`.
[[noreturn]] void write_failed(const std::filesystem::path& file, int err = errno);
}  // namespace io

}  // namespace cptx
