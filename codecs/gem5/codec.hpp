// The gem5 codecs: a checkpoint directory (m5.cpt and its memory images) ↔ the model, for gem5 v24
// and for the 2011 X86_FS gem5.
#pragma once

#include "codecs/codec.hpp"

namespace cptx {

extern const Codec gem5_codec;
extern const Codec gem5_2011_codec;

}  // namespace cptx
