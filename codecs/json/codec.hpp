// The model itself as a checkpoint format: one JSON document (see docs/model.md). RAM is not
// inside it; regions name the files that hold their bytes.
#pragma once

#include "codecs/codec.hpp"

namespace cptx {

extern const Codec json_codec;

// Model JSON documents larger than this are refused: RAM never lives inside them.
inline constexpr std::uintmax_t max_model_json_bytes = 64u << 20;

}  // namespace cptx
