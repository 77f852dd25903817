// The verdict on a resumed self-checking guest (guests/selfcheck): its output must carry on exactly
// where it stopped, reach the uninterrupted run's final sum, and fail only where the conversion
// reports say state was not carried exactly — and there, for every state the guest can see, it must
// fail. The reports are therefore under test as much as the codecs.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cptx::oracle {

struct Verdict {
  std::vector<std::string> problems;  // empty when the run passes
  bool passed() const { return problems.empty(); }
  std::string explain() const;
};

// `reference`: COM1 output of an uninterrupted run; `before`/`after`: output up to the save and after
// the restore; `reports`: the JSON conversion reports (`cptx convert --report-json`) of every
// translation the checkpoint went through.
Verdict judge_selfcheck(const std::string& reference, const std::string& before, const std::string& after,
                        const std::vector<nlohmann::json>& reports);

// Serial output as lines, without the CR that Linux's console puts before each LF.
std::vector<std::string> split_lines(const std::string& text);

// The verdict on the corpus Linux guest (its records: guest_records.hpp): every step printed once, in
// order, ending at `final_hash`.
Verdict judge_hash_chain(const std::string& before, const std::string& after, const std::string& final_hash);

}  // namespace cptx::oracle
