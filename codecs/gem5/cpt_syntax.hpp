// Reading and writing the text of `m5.cpt` (v24 spec §1.2 writer, §1.4 reader; 2011 spec §1.2, same
// rules). The parser accepts what gem5's reader accepts and rejects what makes it fail, plus the
// inputs it would silently misread (see cpt_syntax.cpp). The writer produces gem5's exact layout, so
// parse -> write reproduces a gem5-written file byte for byte.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "codecs/gem5/cpt_file.hpp"

namespace cptx::gem5 {

// `source` names the input in errors. Throws cptx::InputError (file:line, section or section:key).
CptFile parse_cpt(std::string_view text, std::string source);
CptFile read_cpt(const std::filesystem::path& file);

// Throws cptx::UsageError for content the reader would not return unchanged (a name or value with a
// newline, surrounding spaces, a key containing `=`, ...), naming section:key.
std::string write_cpt(const CptFile& cpt);
// Creates `file`; refuses to replace an existing one (cptx::UsageError).
void write_cpt_file(const CptFile& cpt, const std::filesystem::path& file);

}  // namespace cptx::gem5
