#include "codecs/io/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace cptx::io {

namespace {

bool drawing = false;
Progress* current = nullptr;

std::string amount(double bytes) {
  if (bytes >= 1 << 30) return fmt::format("{:.1f} GiB", bytes / (1 << 30));
  return fmt::format("{:.0f} MiB", bytes / (1 << 20));
}

}  // namespace

void Progress::show(bool on) { drawing = on; }

Progress::Progress(std::string what, std::uint64_t total)
    : what_(std::move(what)), total_(total), start_(std::chrono::steady_clock::now()), drawn_(start_) {
  if (!current) current = this;
}

Progress::~Progress() {
  if (current == this) current = nullptr;
  if (shown_) std::fputs("\r\033[K", stderr);
}

void Progress::advance(std::uint64_t bytes) {
  if (!current) return;
  current->done_ += bytes;
  current->draw();
}

std::string Progress::line(const std::string& what, std::uint64_t done, std::uint64_t total, double seconds) {
  done = std::min(done, total);
  std::string s = fmt::format("{}  {} of {}", what, amount(static_cast<double>(done)), amount(static_cast<double>(total)));
  if (seconds > 0 && done > 0) {
    const double rate = static_cast<double>(done) / seconds;
    const auto left = static_cast<std::uint64_t>(static_cast<double>(total - done) / rate);
    s += fmt::format("  {}/s  {}:{:02} left", amount(rate), left / 60, left % 60);
  }
  return s;
}

void Progress::draw() {
  if (!drawing) return;
  const auto now = std::chrono::steady_clock::now();
  // Drawn at once, then redrawn five times a second.
  if (shown_ && now - drawn_ < std::chrono::milliseconds(200)) return;
  drawn_ = now;
  shown_ = true;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  std::fprintf(stderr, "\r\033[K%s", line(what_, done_, total_, seconds).c_str());
  std::fflush(stderr);
}

}  // namespace cptx::io
