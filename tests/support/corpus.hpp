// The real gem5 checkpoints the repository carries (corpus/gem5/README.md says how they were taken).
#pragma once

#include <filesystem>

namespace cptx::testing {

inline const std::filesystem::path gem5_linux_corpus =
    std::filesystem::path(CPTX_SOURCE_DIR) / "corpus/gem5/linux-hashchain-128M";

}  // namespace cptx::testing
