// The gem5 v24 codec: a checkpoint directory (m5.cpt and its memory stores) ↔ the model.
#pragma once

#include "codecs/format.hpp"

namespace cptx {

extern const Codec gem5_codec;

}  // namespace cptx
