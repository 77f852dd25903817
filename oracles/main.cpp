// cptx-oracle: the whole migration, live. Boots a guest in QEMU, checkpoints it part-way, translates
// the checkpoint through other formats and back with cptx, resumes it in QEMU and judges whether the
// guest carried on as if nothing had happened — except where a conversion report admits a loss.
// Exit codes: 0 the guest carried on, 1 it did not, 2 the oracle itself could not run.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <random>
#include <sstream>

#include "model/machine.hpp"
#include "oracles/chain.hpp"
#include "oracles/judge.hpp"
#include "oracles/qemu_session.hpp"

namespace cptx::oracle {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Guest {
  fs::path kernel;
  std::string command_line;
  unsigned memory_mib;
  std::string stop_marker;  // printed by the guest at the chosen point, followed by the step number
  std::string done_marker;
};

Guest guest_named(const std::string& name) {
  // 128 MiB: a whole Palacios base region, so every format can hold the RAM size exactly.
  if (name == "selfcheck") return {CPTX_SELFCHECK_GUEST, "steps=40", 128, "step ", "done sum"};
  if (name == "linux")
    return {fs::path(CPTX_SOURCE_DIR) / "corpus/guests/linux-hashchain/bzImage",
            "console=ttyS0 STEPS=30 EVERY=1 SLEEP=20000", 128, "GUEST: step ", "GUEST: done hash"};
  throw CLI::ValidationError("--guest", "expected selfcheck or linux");
}

// The last few lines of `text`, indented.
std::string tail(const std::string& text, std::size_t count) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(l);
  }
  std::string out;
  for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i)
    out += "      | " + lines[i] + "\n";
  return out;
}

int run(int argc, char** argv) {
  CLI::App app("cptx-oracle: boot a guest in QEMU, checkpoint it, translate the checkpoint through other formats "
               "and back with cptx, resume it, and judge whether the guest carried on",
               "cptx-oracle");
  std::string guest_name = "selfcheck", through = "palacios,gem5", keep;
  int stop_after = 12;
  unsigned cpus = 1;
  bool skeleton = false;
  app.add_option("--guest", guest_name, "selfcheck (the project's test guest) or linux (the corpus kernel)");
  app.add_option("--stop-after", stop_after, "checkpoint once the guest has printed this step")->check(CLI::Range(1, 29));
  app.add_option("--cpus", cpus, "processors of the guest (QEMU -smp); the first is the one that boots")
      ->check(CLI::Range(1u, static_cast<unsigned>(model::max_cpus)));
  app.add_option("--through", through, "formats to pass through, comma-separated (json, palacios, palacios:file, gem5, gem5-2011)");
  app.add_option("--keep", keep, "keep every checkpoint and report in this directory");
  app.add_flag("--skeleton", skeleton, "write the final QEMU stream over the original one as skeleton");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  const Guest guest = guest_named(guest_name);
  std::vector<std::string> formats;
  std::istringstream list(through);
  for (std::string f; std::getline(list, f, ',');)
    if (!f.empty()) formats.push_back(f);
  fs::path workdir = keep;
  if (keep.empty()) workdir = fs::temp_directory_path() / fmt::format("cptx-oracle-{:x}", std::random_device{}());
  fs::create_directories(workdir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      if (!dir.empty()) fs::remove_all(dir, ec);
    }
  } cleanup{keep.empty() ? workdir : fs::path()};

  std::cout << fmt::format("cptx-oracle: {} guest on {} CPU{}, checkpoint after step {}, through {}\n", guest_name,
                           cpus, cpus == 1 ? "" : "s", stop_after, through);
  const auto session = [&](const char* name, fs::path incoming = {}) {
    QemuConfig c{guest.kernel, guest.command_line, guest.memory_mib, workdir, name, std::move(incoming)};
    c.cpus = cpus;
    return c;
  };

  std::string reference;
  if (guest_name == "selfcheck") {
    QemuSession q(session("reference"));
    if (!q.wait_for_serial(guest.done_marker, 60s)) throw std::runtime_error("the uninterrupted run did not finish");
    reference = q.serial();
    std::cout << "[1/4] uninterrupted run in QEMU, for reference\n" << tail(reference, 2);
  } else {
    std::cout << "[1/4] the corpus kernel's final hash for STEPS=30 is known: c27ee873c3504ffc\n";
  }

  const fs::path stream = workdir / "saved.qemu";
  std::string before;
  {
    QemuSession q(session("source"));
    if (!q.wait_for_serial(fmt::format("{}{} ", guest.stop_marker, stop_after), 60s))
      throw std::runtime_error("the guest did not reach step " + std::to_string(stop_after) + ": " + q.diagnostics());
    q.save(stream);
    before = q.serial();
  }
  std::cout << fmt::format("[2/4] booted again, stopped after step {} and saved the QEMU stream ({} KiB)\n", stop_after,
                           fs::file_size(stream) / 1024)
            << tail(before, 2);

  std::vector<std::string> final_args;
  if (skeleton) final_args = {"--skeleton", stream.string()};
  const Chain chain = translate_chain(CPTX_BINARY, "qemu:" + stream.string(), formats, workdir, final_args);
  std::cout << "[3/4] translated with cptx:\n";
  for (const Hop& hop : chain.hops) {
    const auto& counts = hop.report.at("counts");
    std::cout << fmt::format("      {} -> {}: {} fields exact, {} transformed, {} approximated, {} defaulted, {} not carried\n",
                             hop.from.substr(0, hop.from.find(':')), hop.to.substr(0, hop.to.find(':')),
                             counts.at("exact").get<int>(), counts.at("transformed").get<int>(),
                             counts.at("approximated").get<int>(), counts.at("defaulted").get<int>(),
                             counts.at("not_carried").get<int>());
  }

  QemuSession r(session("resumed", chain.result));
  r.resume_incoming();
  const bool finished = r.wait_for_serial(guest.done_marker, 60s);
  const std::string after = r.serial();
  std::cout << "[4/4] resumed the translated checkpoint in QEMU:\n" << tail(after, 4);
  if (!finished) std::cout << "      (the guest did not finish within 60 s)\n";

  const Verdict v = guest_name == "selfcheck" ? judge_selfcheck(reference, before, after, chain.reports())
                                              : judge_hash_chain(before, after, "c27ee873c3504ffc");
  if (v.passed()) {
    std::cout << "PASS: the guest carried on where it stopped and reached the uninterrupted run's result\n";
    return 0;
  }
  std::cout << "FAIL:\n" << v.explain();
  return 1;
}

}  // namespace
}  // namespace cptx::oracle

int main(int argc, char** argv) {
  try {
    return cptx::oracle::run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "cptx-oracle: " << e.what() << "\n";
    return 2;
  }
}
