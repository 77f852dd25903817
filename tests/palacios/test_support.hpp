// Shared by the Palacios store tests: byte helpers, a scratch directory, error matching and
// RapidCheck generators for contexts.
#pragma once

#include <algorithm>
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

// A run of the command line that failed on bad input: exit 2, one line of error naming every one of `parts`.
inline void expect_error(const cptx::testing::Run& r, const std::vector<std::string>& parts) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err.rfind("cptx: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  for (const auto& p : parts) EXPECT_NE(r.err.find(p), std::string::npos) << p << " not in " << r.err;
}

// Tags as Palacios writes them: printable ASCII without SPACE, '=' (and so without TAB, CR, LF, NUL).
rc::Gen<std::string> gen_tag();
rc::Gen<Bytes> gen_value();
rc::Gen<Context> gen_context(std::string name);

}  // namespace cptx::palacios::test
