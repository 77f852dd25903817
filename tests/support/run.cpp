#include "tests/support/run.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include "oracles/process.hpp"

namespace cptx::testing {

Run run_cptx(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CPTX_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = oracle::run_process(argv);
  return {r.status, r.out, r.err};
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("cptx-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> TempDir::names() const {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(path_)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace cptx::testing
