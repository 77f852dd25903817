// What several verbs read from their command lines alike: an input's options, sizes and numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "codecs/codec.hpp"

namespace cptx {

// The options of an input, named for its side as check_read_options names them: --input-raw-memory,
// or --a-raw-memory for diff's A. `who` is the input in the help: "the input", "A".
void add_read_options(CLI::App* cmd, ReadOptions& opts, std::string_view side, std::string_view who);

// A size of guest RAM: a number with an optional K, M, G or T suffix (or KiB...), a non-zero multiple
// of 4 KiB. `what` names the option in the error.
std::uint64_t parse_size(const std::string& text, std::string_view what);

// An address or a length: decimal, or hex after 0x.
std::uint64_t parse_number(const std::string& text, std::string_view what);

}  // namespace cptx
