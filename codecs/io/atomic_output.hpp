// Outputs appear whole or not at all: they are written into a temporary sibling and renamed into
// place on commit. An existing output is refused unless forced; an uncommitted staging area is
// removed on destruction, so a failure leaves nothing behind.
#pragma once

#include <filesystem>

namespace cptx {

class AtomicOutput {
 public:
  enum class Kind { file, directory };

  // Throws UsageError if `target` exists and `force` is false, or its parent directory is missing.
  AtomicOutput(std::filesystem::path target, Kind kind, bool force);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();

  // Where to write: a file path, or an existing empty directory.
  const std::filesystem::path& staging() const { return staging_; }
  const std::filesystem::path& target() const { return target_; }

  // Moves the staging area to the target, replacing an existing target only now.
  void commit();

 private:
  std::filesystem::path target_, staging_;
  Kind kind_;
  bool force_, committed_ = false;
};

}  // namespace cptx
