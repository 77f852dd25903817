#include "codecs/io/input_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "codecs/io/text.hpp"

#include <sys/stat.h>

namespace cptx::io {

namespace fs = std::filesystem;

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  return "not a regular file";
}

void require(const fs::path& p, Location where, bool directory_ok) {
  // Where the name came from, if not from the user: then the message names the file too.
  std::string subject = "'" + p.string() + "' ";
  if (where.file.empty()) {
    where.file = p.string();
    subject.clear();
  }
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0)
    throw InputError(where, fmt::format("{}cannot open: {}", subject, std::strerror(errno)));
  if (S_ISREG(st.st_mode) || (directory_ok && S_ISDIR(st.st_mode))) return;
  throw InputError(where, fmt::format("{}is {}; cptx reads only regular files{}", subject, kind_of(st.st_mode),
                                      directory_ok ? " and checkpoint directories" : ""));
}

}  // namespace

void require_regular_file(const fs::path& p, Location where) { require(p, std::move(where), false); }

void require_file_or_directory(const fs::path& p, Location where) { require(p, std::move(where), true); }

namespace {

bool is_prefix(const fs::path& dir, const fs::path& p) {
  return std::mismatch(dir.begin(), dir.end(), p.begin(), p.end()).first == dir.end();
}

}  // namespace

bool resolves_inside(const fs::path& p, const fs::path& dir) {
  std::error_code ec;
  const fs::path real_dir = fs::canonical(dir, ec);
  if (ec) return false;
  const fs::path real = fs::weakly_canonical(p, ec);
  return !ec && is_prefix(real_dir, real);
}

bool overlap(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  fs::path ra = fs::weakly_canonical(fs::absolute(a), ec);
  if (ec) return false;
  fs::path rb = fs::weakly_canonical(fs::absolute(b), ec);
  if (ec) return false;
  // "out/" and "out" are one directory.
  if (!ra.has_filename()) ra = ra.parent_path();
  if (!rb.has_filename()) rb = rb.parent_path();
  return is_prefix(ra, rb) || is_prefix(rb, ra);
}

void unsafe_name(std::string_view name, std::string_view why, const Location& where) {
  throw InputError(where, fmt::format("unsafe file name \"{}\": {}", printable(name), why));
}

void check_name(std::string_view name, const Location& where) {
  if (name.empty()) unsafe_name(name, "empty", where);
  if (name.find('\0') != std::string_view::npos) unsafe_name(name, "contains a NUL byte", where);
  if (!is_utf8(name)) unsafe_name(name, "not UTF-8 text", where);
}

fs::path beneath(const fs::path& dir, std::string_view name, const Location& where) {
  auto bad = [&](const char* why) { unsafe_name(name, why, where); };
  check_name(name, where);
  const fs::path rel(name);
  if (rel.is_absolute()) bad("absolute path");
  for (const auto& part : rel)
    if (part == "..") bad("contains '..'");
  const fs::path p = dir / rel;
  if (!resolves_inside(p, dir)) bad("resolves to a file outside the checkpoint directory");
  return p;
}

}  // namespace cptx::io
