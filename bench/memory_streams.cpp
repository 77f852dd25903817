// How fast cptx moves guest memory, as ratios against standard tools measured in the same run on the
// same data: gzip stream writing and reading (gem5 memory stores) against gzip and zcat, hex coding
// (Palacios textfile memory) against xxd. Also the peak resident memory, which must not grow with the
// guest. Usage: bench_memory_streams [MiB of guest RAM, default 256]
#include <sys/resource.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "codecs/io/gzip_stream.hpp"
#include "codecs/io/region_reader.hpp"
#include "codecs/io/zero.hpp"
#include "codecs/palacios/byte_sink.hpp"
#include "codecs/palacios/store.hpp"
#include "oracles/process.hpp"

#ifdef CPTX_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t page = 4096;

// Guest-like memory: mostly zero pages, some random (compressed data, keys), some text (code, logs).
void make_ram(const fs::path& path, std::size_t pages) {
  std::mt19937_64 rng(42);
  std::ofstream out(path, std::ios::binary);
  std::vector<std::uint8_t> buf(page);
  const std::string text = "GUEST: step 17 hash 20f62a5bde1a6253 mov %rax,%rbx; ret; ";
  for (std::size_t p = 0; p < pages; ++p) {
    const auto kind = rng() % 20;
    for (std::size_t i = 0; i < page; ++i)
      buf[i] = kind < 12 ? 0 : kind < 17 ? static_cast<std::uint8_t>(rng()) : static_cast<std::uint8_t>(text[i % text.size()]);
    out.write(reinterpret_cast<const char*>(buf.data()), page);
  }
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double reference_seconds(const std::string& shell_command) {
  const auto start = Clock::now();
  const auto r = cptx::oracle::run_process({"/bin/sh", "-c", shell_command}, std::chrono::seconds(600));
  if (r.status != 0) throw std::runtime_error(shell_command + " failed: " + r.err);
  return seconds_since(start);
}

long peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

struct Discard : cptx::palacios::ByteSink {
  std::uint64_t n = 0;
  void write(std::span<const std::uint8_t> bytes) override { n += bytes.size(); }
};

void row(const char* what, double mib, double ours, double theirs, const char* reference) {
  fmt::print("{:<28} {:>9.0f} MiB/s {:>9.0f} MiB/s ({:<12}) {:>6.2f}x\n", what, mib / ours, mib / theirs, reference,
             theirs / ours);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t mib = argc > 1 ? std::stoul(argv[1]) : 256;
  const fs::path dir = fs::temp_directory_path() / fmt::format("cptx-bench-{}", ::getpid());
  fs::create_directories(dir);
  const fs::path raw = dir / "ram.raw", gz = dir / "ram.gz", hex = dir / "ram.hex";
  make_ram(raw, mib * (1 << 20) / page);
  const std::uint64_t size = fs::file_size(raw);
  fmt::print("{} MiB of guest-like RAM (60% zero pages); higher is better; the ratio is cptx / reference\n", mib);
  fmt::print("{:<28} {:>15} {:>30} {:>7}\n", "operation", "cptx", "reference", "ratio");

  std::vector<std::uint8_t> buf(1 << 20);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  for (const unsigned jobs : {1u, cores}) {  // gem5 writer path: zero pages are spliced in precompressed
    auto start = Clock::now();
    std::ifstream in(raw, std::ios::binary);
    std::ofstream out(gz, std::ios::binary);
    cptx::io::GzipWriter w(out, gz.string(), 6, jobs);
    while (in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size())) || in.gcount()) {
      const auto n = static_cast<std::size_t>(in.gcount());
      for (std::size_t p = 0; p < n; p += page) {
        const std::span<const std::uint8_t> pg(buf.data() + p, std::min(page, n - p));
        if (cptx::io::all_zero(pg))
          w.write_zeros(pg.size());
        else
          w.write(pg);
      }
    }
    w.finish();
    out.close();
    const double ours = seconds_since(start);
    const auto ours_size = fs::file_size(gz);
    const std::string what = fmt::format("gzip -6 write, {} job{}", jobs, jobs == 1 ? "" : "s");
    row(what.c_str(), static_cast<double>(mib), ours,
        reference_seconds(fmt::format("gzip -6 -c '{}' > '{}/ref.gz'", raw.string(), dir.string())), "gzip -6");
    fmt::print("{:<28} {:>9} bytes vs {} bytes (gzip -6)\n", "  compressed size", ours_size, fs::file_size(dir / "ref.gz"));
    if (jobs > 1 && std::system("command -v pigz >/dev/null") == 0)
      row(what.c_str(), static_cast<double>(mib), ours,
          reference_seconds(fmt::format("pigz -6 -p {} -c '{}' > '{}/ref.gz'", jobs, raw.string(), dir.string())),
          "pigz -6");
  }
  double zlib_read = 0;  // libdeflate is measured against it below
  {
    auto start = Clock::now();
    std::ifstream in(gz, std::ios::binary);
    cptx::io::GzipReader r(in, gz.string(), size);
    while (r.read(buf) > 0) {
    }
    zlib_read = seconds_since(start);
    row("gzip read", static_cast<double>(mib), zlib_read,
        reference_seconds(fmt::format("zcat '{}' > /dev/null", gz.string())), "zcat");
  }
  {  // Palacios textfile writer: two hex digits a byte
    auto start = Clock::now();
    std::ifstream in(raw, std::ios::binary);
    Discard sink;
    auto w = cptx::palacios::make_writer(cptx::palacios::Store::textfile, sink, "memory_img", "bench");
    w->begin_entry("memory_img0", size);
    while (in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(buf.size())) || in.gcount())
      w->write(std::span(buf.data(), static_cast<std::size_t>(in.gcount())));
    w->end_entry();
    const double ours = seconds_since(start);
    row("hex encode", static_cast<double>(mib), ours,
        reference_seconds(fmt::format("xxd -p '{}' > /dev/null", raw.string())), "xxd -p");
  }
  reference_seconds(fmt::format("xxd -p '{}' > '{}'", raw.string(), hex.string()));  // input of the next row
  {  // reading a textfile memory region back
    const cptx::model::RamRegion region{0, size, cptx::model::FileBacking{hex.string(), 0, cptx::model::Encoding::hex}};
    auto start = Clock::now();
    cptx::RegionReader r(region);
    while (r.read(buf) > 0) {
    }
    const double ours = seconds_since(start);
    row("hex decode", static_cast<double>(mib), ours,
        reference_seconds(fmt::format("xxd -r -p '{}' > /dev/null", hex.string())), "xxd -r -p");
  }
  fmt::print("peak resident memory of cptx's side: {} MiB for {} MiB of RAM\n", peak_rss_mib(), mib);
#ifdef CPTX_HAVE_LIBDEFLATE
  {  // libdeflate inflates whole buffers only: the compressed file and all its output in memory (so
     // measured after the peak above), which a multi-gigabyte gem5 store, one gzip member, never fits
    std::ifstream in(gz, std::ios::binary);
    std::vector<std::uint8_t> compressed(fs::file_size(gz)), inflated(size);
    in.read(reinterpret_cast<char*>(compressed.data()), static_cast<std::streamsize>(compressed.size()));
    libdeflate_decompressor* d = libdeflate_alloc_decompressor();
    const auto start = Clock::now();
    std::size_t got = 0;
    const auto rc = libdeflate_gzip_decompress(d, compressed.data(), compressed.size(), inflated.data(),
                                               inflated.size(), &got);
    const double whole = seconds_since(start);
    libdeflate_free_decompressor(d);
    if (rc != LIBDEFLATE_SUCCESS || got != size) throw std::runtime_error("libdeflate could not inflate the stream");
    row("gzip read, libdeflate whole", static_cast<double>(mib), whole, zlib_read, "cptx zlib");
  }
#endif
  fs::remove_all(dir);
}
