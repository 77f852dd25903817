#include "oracles/chain.hpp"

#include <fstream>
#include <stdexcept>

#include "oracles/process.hpp"

namespace cptx::oracle {

namespace fs = std::filesystem;

std::vector<nlohmann::json> Chain::reports() const {
  std::vector<nlohmann::json> out;
  for (const auto& h : hops) out.push_back(h.report);
  return out;
}

Chain translate_chain(const fs::path& cptx, const std::string& source, const std::vector<std::string>& formats,
                      const fs::path& workdir, const std::vector<std::string>& final_args) {
  Chain chain;
  std::vector<std::string> route = formats;
  route.push_back("qemu");
  std::string from = source;
  for (std::size_t i = 0; i < route.size(); ++i) {
    const bool last = i + 1 == route.size();
    // `palacios:file` is Palacios with the file store (--store file).
    const std::string& step = route[i];
    const std::string format = step.substr(0, step.find(':'));
    const std::string store = step.find(':') == std::string::npos ? "" : step.substr(step.find(':') + 1);
    // Directory formats get a directory; the others a file with a telling extension.
    const std::string name = "hop" + std::to_string(i + 1) + "-" + format + (store.empty() ? "" : "-" + store) +
                             (format == "json" ? ".json" : format == "qemu" ? ".qemu" : "");
    const fs::path out = workdir / name;
    const fs::path report = workdir / (name + ".report.json");
    std::vector<std::string> argv = {cptx.string(), "convert", from, format + ":" + out.string(), "--report-json",
                                     report.string()};
    if (!store.empty()) argv.insert(argv.end(), {"--store", store});
    if (last) argv.insert(argv.end(), final_args.begin(), final_args.end());
    const ProcessResult r = run_process(argv);
    if (r.status != 0)
      throw std::runtime_error("cptx convert " + from + " " + format + ":" + out.string() + " failed: " + r.err);
    std::ifstream in(report);
    chain.hops.push_back({from, format + ":" + out.string(), nlohmann::json::parse(in), r.err});
    from = format + ":" + out.string();
    if (last) chain.result = out;
  }
  return chain;
}

}  // namespace cptx::oracle
