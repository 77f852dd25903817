// Runs a program to completion and captures what it says.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace cptx::oracle {

struct ProcessResult {
  int status = -1;  // exit code; -1 if it did not exit normally (killed, timed out)
  std::string out, err;
};

// argv[0] is the program's path; no shell is involved. Killed after `timeout`.
ProcessResult run_process(const std::vector<std::string>& argv,
                          std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace cptx::oracle
