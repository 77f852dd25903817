#include "codecs/io/error.hpp"

#include <cstring>

#include <fmt/format.h>

namespace cptx {

std::string Location::str() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (line) s += fmt::format(":{}", *line);
  if (offset) s += fmt::format(": offset {}", *offset);
  if (!key.empty()) s += fmt::format(": {}", key);
  return s;
}

namespace {
// Messages are one line whatever the input contained.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}
}  // namespace

void io::write_failed(const std::filesystem::path& file, int err) {
  // A stream that failed without a system error (errno 0) still failed to write.
  throw OutputError(one_line(fmt::format("{}: cannot write: {}", file.string(),
                                         err ? std::strerror(err) : "input/output error")));
}

InputError::InputError(Location where, const std::string& what)
    : std::runtime_error(one_line(where.str() + ": " + what)), where_(std::move(where)), detail_(what) {}

}  // namespace cptx
