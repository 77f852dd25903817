// Builds the guest bench/run measures: SIZE bytes of RAM in DIR/ram.raw and a model, DIR/guest.json,
// of a one-processor machine at power-on whose RAM is that file (split at the PCI hole above 3 GiB,
// as gem5 and QEMU lay it out). The RAM is a deterministic mix, by pages, in runs of 1 to 512 pages:
//   2/5 real code and data: the non-zero pages of the programs in /usr/bin, in name order;
//   1/5 incompressible: pseudo-random bytes, as compressed or encrypted data;
//   2/5 zero pages, as free memory.
// Usage: bench_make_image SIZE DIR   (SIZE in bytes, a multiple of 4096)
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "codecs/io/zero.hpp"
#include "model/json.hpp"
#include "model/power_on.hpp"

namespace fs = std::filesystem;

namespace {

constexpr std::size_t page = cptx::model::page_size;

// The non-zero pages of /usr/bin's programs, one after another, from the first again when all are used.
class RealPages {
 public:
  RealPages() {
    for (const auto& e : fs::directory_iterator("/usr/bin"))
      if (e.is_regular_file() && e.file_size() >= page) files_.push_back(e.path());
    std::sort(files_.begin(), files_.end());
    if (files_.empty()) throw std::runtime_error("no programs in /usr/bin to take pages from");
  }

  void next(std::vector<std::uint8_t>& out) {
    for (;;) {
      if (!in_.is_open() || !in_.read(reinterpret_cast<char*>(out.data()), page)) {
        in_.close();
        in_.clear();
        in_.open(files_[next_file_++ % files_.size()], std::ios::binary);
        continue;
      }
      if (!cptx::io::all_zero(out)) return;
    }
  }

 private:
  std::vector<fs::path> files_;
  std::size_t next_file_ = 0;
  std::ifstream in_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bench_make_image SIZE DIR\n";
    return 2;
  }
  const std::uint64_t size = std::stoull(argv[1]);
  const fs::path dir = argv[2];
  if (size == 0 || size % page) {
    std::cerr << "bench_make_image: SIZE must be a non-zero multiple of 4096\n";
    return 2;
  }
  fs::create_directories(dir);
  std::mt19937_64 rng(42);
  RealPages real;
  std::vector<std::uint8_t> buf(page);
  std::ofstream out(dir / "ram.raw", std::ios::binary | std::ios::trunc);
  for (std::uint64_t pages = size / page; pages > 0;) {
    const std::uint64_t kind = rng() % 5, run = std::min<std::uint64_t>(pages, 1 + rng() % 512);
    for (std::uint64_t i = 0; i < run; ++i) {
      if (kind < 2)
        real.next(buf);
      else if (kind < 3)
        std::generate(buf.begin(), buf.end(), [&] { return static_cast<std::uint8_t>(rng()); });
      else
        std::fill(buf.begin(), buf.end(), 0);
      out.write(reinterpret_cast<const char*>(buf.data()), page);
    }
    pages -= run;
  }
  if (!out.flush()) {
    std::cerr << "bench_make_image: cannot write " << (dir / "ram.raw") << "\n";
    return 1;
  }

  cptx::model::Machine m = cptx::model::power_on(1, size);
  std::uint64_t offset = 0;
  for (auto& r : m.memory.regions) {
    r.backing = cptx::model::FileBacking{"ram.raw", offset, cptx::model::Encoding::raw};
    offset += r.size;
  }
  std::ofstream json(dir / "guest.json");
  json << cptx::model::to_json(m).dump(2) << '\n';
  return json.flush() ? 0 : 1;
}
