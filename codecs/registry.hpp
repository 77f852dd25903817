// The formats cptx reads and writes, and FORMAT:PATH as the command line names a checkpoint.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "codecs/codec.hpp"

namespace cptx {

// Every format cptx reads and writes.
std::span<const Codec* const> all_codecs();
const Codec* find_codec(std::string_view name);

struct Endpoint {
  const Codec* codec;
  std::filesystem::path path;
  std::string text;  // as the user wrote it, for messages
};

// Parses FORMAT:PATH. On input the format may be omitted and is then detected.
Endpoint parse_input(std::string_view arg);
Endpoint parse_output(std::string_view arg);

}  // namespace cptx
