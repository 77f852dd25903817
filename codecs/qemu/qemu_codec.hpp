// QEMU 7.2 x86 `-machine pc` migration streams (docs/qemu.md; spec in qemu-migration-x86.md).
#pragma once

#include "codecs/format.hpp"

namespace cptx {

extern const Codec qemu_codec;

namespace qemu {
extern const std::span<const CoverageRule> coverage;
}

}  // namespace cptx
