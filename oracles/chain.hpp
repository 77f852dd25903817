// A checkpoint's journey: from a saved checkpoint through other formats to QEMU, one
// `cptx convert --report-json` per hop, so that every report can be held against the resumed guest.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cptx::oracle {

struct Hop {
  std::string from, to;   // FORMAT:PATH as given to cptx
  nlohmann::json report;  // what --report-json wrote
  std::string summary;    // what cptx printed
};

struct Chain {
  std::filesystem::path result;  // the final QEMU stream
  std::vector<Hop> hops;
  std::vector<nlohmann::json> reports() const;
};

// Translates the checkpoint `source` (FORMAT:PATH, e.g. a saved QEMU stream "qemu:saved.qemu") through
// `formats` (e.g. {"palacios", "gem5"}; "palacios:file" for Palacios's file store) and on to QEMU,
// writing every intermediate checkpoint under `workdir`. `final_args` go to the last hop (e.g.
// {"--skeleton", stream}). Throws with cptx's own message when a hop fails.
Chain translate_chain(const std::filesystem::path& cptx, const std::string& source,
                      const std::vector<std::string>& formats, const std::filesystem::path& workdir,
                      const std::vector<std::string>& final_args = {});

}  // namespace cptx::oracle
