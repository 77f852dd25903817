// Runs the cptx command as a user would and captures what it says.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cptx::testing {

struct Run {
  int status = -1;  // exit code
  std::string out, err;
};

// `args` are passed to cptx as they are (no shell); the exit code is -1 if it did not exit normally.
Run run_cptx(const std::vector<std::string>& args);

// A fresh directory under the build tree, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Names in the directory, sorted.
  std::vector<std::string> names() const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& text);

}  // namespace cptx::testing
