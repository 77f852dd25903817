// Shared by the Palacios store tests: byte helpers, a scratch directory, error matching and
// RapidCheck generators for contexts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "codecs/io/error.hpp"
#include "codecs/palacios/entry.hpp"
#include "tests/support/errors.hpp"
#include "tests/support/run.hpp"

namespace cptx::palacios::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

inline void write_file(const std::filesystem::path& p, const Bytes& b) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

inline Bytes read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

using cptx::testing::TempDir;

using cptx::testing::input_error_of;

// Tags as Palacios writes them: printable ASCII without SPACE, '=' (and so without TAB, CR, LF, NUL).
rc::Gen<std::string> gen_tag();
rc::Gen<Bytes> gen_value();
rc::Gen<Context> gen_context(std::string name);

}  // namespace cptx::palacios::test
