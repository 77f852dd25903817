// Progress of memory work, for a user watching a terminal: guest RAM moved of the total, the rate and
// the time left, on one line of stderr redrawn a few times a second and cleared at the end. While a
// Progress is in scope, every byte of RAM read through a RegionReader counts toward it. It shows
// nothing unless shown_on(stderr is a terminal, not --quiet) said so.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cptx::io {

class Progress {
 public:
  Progress(std::string what, std::uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Whether progress is drawn at all; off unless called with true.
  static void show(bool on);
  // Counts `bytes` toward the Progress in scope, if any.
  static void advance(std::uint64_t bytes);

  // The line drawn for `done` of `total` bytes after `seconds`: "writing RAM  1.2 GiB of 4.0 GiB  310 MiB/s  0:09 left".
  static std::string line(const std::string& what, std::uint64_t done, std::uint64_t total, double seconds);

 private:
  void draw();

  std::string what_;
  std::uint64_t total_, done_ = 0;
  std::chrono::steady_clock::time_point start_, drawn_;
  bool shown_ = false;
};

}  // namespace cptx::io
