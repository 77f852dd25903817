// Progress of memory work: drawn on a terminal, never into a pipe, and not with --quiet.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "codecs/io/progress.hpp"
#include "model/json.hpp"
#include "model/power_on.hpp"
#include "tests/support/run.hpp"
#include "tests/support/terminal.hpp"

namespace cptx {
namespace {
namespace fs = std::filesystem;
using testing::TempDir;

TEST(Progress, LineSaysHowMuchHowFastAndHowLong) {
  EXPECT_EQ(io::Progress::line("writing guest RAM", std::uint64_t{1} << 30, std::uint64_t{4} << 30, 2.0),
            "writing guest RAM  1.0 GiB of 4.0 GiB  512 MiB/s  0:06 left");
  EXPECT_EQ(io::Progress::line("writing guest RAM", 0, std::uint64_t{64} << 20, 0.0), "writing guest RAM  0 MiB of 64 MiB");
}

std::string run_on_terminal(const std::vector<std::string>& args) {
  const auto r = testing::run_cptx_on_terminal(args);
  EXPECT_EQ(r.status, 0) << r.out;
  return r.out;
}

TEST(Progress, ShownOnATerminalOnlyAndNotWhenQuiet) {
  TempDir dir;
  std::ofstream(dir / "m.json") << model::to_json(model::power_on(1, std::uint64_t{64} << 20)).dump();
  const std::string model = (dir / "m.json").string();
  const std::string shown = run_on_terminal({"encode", model, "palacios:" + (dir / "a").string()});
  // Amount written of the total, rate and time left, as Progress::line puts them.
  const std::regex bar(R"(writing guest RAM  [0-9.]+ [MG]iB of 64 MiB  [0-9.]+ [MG]iB/s  [0-9]+:[0-9]{2} left)");
  EXPECT_TRUE(std::regex_search(shown, bar)) << shown;
  EXPECT_NE(shown.find("\033[K"), std::string::npos) << "the line is cleared at the end";

  EXPECT_EQ(run_on_terminal({"encode", "--quiet", model, "palacios:" + (dir / "b").string()}), "");
  const auto piped = testing::run_cptx({"encode", model, "palacios:" + (dir / "c").string()});
  EXPECT_EQ(piped.status, 0);
  EXPECT_EQ(piped.err.find("writing guest RAM"), std::string::npos);
}

}  // namespace
}  // namespace cptx
