// What cptx agrees to read. Every input — a checkpoint, a file inside one, an option naming a file —
// is checked here before it is opened: a FIFO, a device or a socket would block cptx or feed it
// endless bytes (/dev/zero as RAM), so only regular files (and directories where a checkpoint is a
// directory) are read. A name found inside a checkpoint resolves only beneath that checkpoint.
#pragma once

#include <filesystem>
#include <string_view>

#include "codecs/io/error.hpp"

namespace cptx::io {

// Throws InputError unless `p` is a regular file: at `where`, naming `p`, if `where` names a file
// (the checkpoint that named `p`), else at `p`. Never opens `p`, so a FIFO or a device is refused
// without blocking on it or waking it.
void require_regular_file(const std::filesystem::path& p, Location where = {});
// Likewise, a directory is accepted too.
void require_file_or_directory(const std::filesystem::path& p, Location where = {});

// A name read from a checkpoint at `where` is text a path can hold: not empty, no NUL byte, UTF-8
// (the model keeps names as JSON strings). Throws InputError quoting the name as printable text.
void check_name(std::string_view name, const Location& where);
[[noreturn]] void unsafe_name(std::string_view name, std::string_view why, const Location& where);

// `name`, read from a checkpoint at `where`, as a path beneath `dir`. Refuses what check_name
// refuses, an absolute name, a `..` component, and a name that resolves (through symbolic links)
// outside `dir`. The file need not exist yet.
std::filesystem::path beneath(const std::filesystem::path& dir, std::string_view name, const Location& where);

// Resolving `p` stays inside `dir` (both resolved through symbolic links).
bool resolves_inside(const std::filesystem::path& p, const std::filesystem::path& dir);

// `a` and `b` name the same file, or one lies inside the other (resolved through symbolic links;
// either may not exist yet).
bool overlap(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace cptx::io
