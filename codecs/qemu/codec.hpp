// QEMU 7.2 x86 `-machine pc` migration streams (docs/qemu.md).
#pragma once

#include "codecs/codec.hpp"

namespace cptx {

extern const Codec qemu_codec;

namespace qemu {
extern const std::span<const CoverageRule> coverage;
}

}  // namespace cptx
