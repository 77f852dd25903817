#include "codecs/registry.hpp"

#include <array>

#include <fmt/format.h>

#include "codecs/gem5/codec.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/json/codec.hpp"
#include "codecs/palacios/codec.hpp"
#include "codecs/qemu/codec.hpp"

namespace cptx {

namespace {

constexpr std::array<const Codec*, 5> codecs = {&json_codec, &palacios_codec, &gem5_codec, &gem5_2011_codec,
                                                &qemu_codec};

std::pair<const Codec*, std::string_view> split_prefix(std::string_view arg) {
  const auto colon = arg.find(':');
  if (colon != std::string_view::npos)
    if (const Codec* c = find_codec(arg.substr(0, colon))) return {c, arg.substr(colon + 1)};
  return {nullptr, arg};
}

std::string known_formats() {
  std::string s;
  for (const Codec* c : codecs) s += (s.empty() ? "" : ", ") + std::string(c->name);
  return s;
}

}  // namespace

std::span<const Codec* const> all_codecs() { return codecs; }

const Codec* find_codec(std::string_view name) {
  for (const Codec* c : codecs)
    if (c->name == name) return c;
  return nullptr;
}

Endpoint parse_input(std::string_view arg) {
  auto [codec, path] = split_prefix(arg);
  if (path.empty()) throw UsageError(fmt::format("'{}': no path after the format", arg));
  if (!codec) {
    io::require_file_or_directory(path);  // detection opens it
    for (const Codec* c : codecs)
      if (c->detect(path)) codec = c;
    if (!codec)
      throw UsageError(fmt::format("'{}': cannot tell its format; name it as FORMAT:PATH with FORMAT one of {}", arg,
                                   known_formats()));
  }
  return {codec, std::filesystem::path(path), std::string(arg)};
}

Endpoint parse_output(std::string_view arg) {
  auto [codec, path] = split_prefix(arg);
  if (path.empty()) throw UsageError(fmt::format("'{}': no path after the format", arg));
  if (!codec && std::filesystem::path(path).extension() == ".json") codec = &json_codec;
  if (!codec)
    throw UsageError(fmt::format("'{}': name the output format as FORMAT:PATH with FORMAT one of {}", arg,
                                 known_formats()));
  return {codec, std::filesystem::path(path), std::string(arg)};
}

}  // namespace cptx
