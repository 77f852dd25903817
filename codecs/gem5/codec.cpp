#include "codecs/gem5/codec.hpp"

#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "codecs/gem5/cpt_syntax.hpp"
#include "codecs/gem5/cpu.hpp"
#include "codecs/gem5/devices.hpp"
#include "codecs/gem5/pmem.hpp"
#include "codecs/gem5/skeleton.hpp"
#include "codecs/gem5/tlb.hpp"
#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/io/ram_stream.hpp"
#include "codecs/io/text.hpp"
#include "reports/report.hpp"

namespace cptx {

namespace fs = std::filesystem;
using gem5::Tick;
constexpr Tick tick_hz = 1'000'000'000'000;  // gem5 counts picoseconds

namespace {

// The platform and RAM as read() and write() below map them; the other rows are in the files of the
// processors and devices.
constexpr CoverageRule platform_rows[] = {
    {"platform", Carry::exact, "the processors' sections and the memory ranges"},
    {"platform.source", Carry::approximated, "set to the format read"},
    {"platform.source_detail", Carry::approximated, "describes the checkpoint read"},
    {"platform.time.guest_ns", Carry::exact, "curTick in ps"},
    {"platform.time.guest_sub_ns", Carry::exact, "curTick's picoseconds below a nanosecond"},
    {"platform.time.tsc_hz", Carry::approximated, "not in the checkpoint: fs.py's 2 GHz CPU clock is assumed"},
};

constexpr CoverageRule only_v24[] = {
    {"platform.time.lapic_timer_hz", Carry::approximated,
     "not in the checkpoint: fs.py's APIC clock, CPU clock / 16 (8000 ps, 125 MHz), is assumed"},
    {"memory", Carry::exact, "one gzip store per fs.py range: below 3 GiB, and from 4 GiB"},
};

// 2011 spec §3-§4: what differs from v24.
constexpr CoverageRule only_2011[] = {
    {"platform.time.lapic_timer_hz", Carry::approximated,
     "read from the APIC's `clock`; written as fs.py's 8000 ps (125 MHz)"},
    {"memory", Carry::exact, "one gzip image of the single range from address 0, below 3 GiB"},
};

const mapping::Coverage& coverage(gem5::Era era) {
  static const auto derive = [](gem5::Era e) {
    mapping::Coverage c;
    c.declare(platform_rows).declare(e == gem5::Era::v24 ? std::span<const CoverageRule>(only_v24) : only_2011);
    gem5::cover_cpu(c);
    gem5::cover_devices(c, e);
    return c;
  };
  static const mapping::Coverage v24 = derive(gem5::Era::v24), v2011 = derive(gem5::Era::v2011);
  return era == gem5::Era::v24 ? v24 : v2011;
}

// FSConfig.makeX86System's split of RAM above 3 GiB
constexpr std::uint64_t low_limit = model::pci_hole_start, high_base = model::pci_hole_end;

fs::path checkpoint_dir(const fs::path& p) { return fs::is_directory(p) ? p : p.parent_path(); }

// The section holding curTick tells the eras apart: `[root.globals]` in v24, `[Globals]` in 2011
// (2011 spec §1.3).
std::string_view globals_section(gem5::Era era) { return era == gem5::Era::v2011 ? "Globals" : "root.globals"; }

bool detect_era(const fs::path& p, gem5::Era era) {
  std::error_code ec;
  const fs::path file = fs::is_directory(p, ec) ? p / "m5.cpt" : p;
  if (file.filename() != "m5.cpt" || !fs::is_regular_file(file, ec)) return false;
  std::ifstream in(file);
  const std::string header = fmt::format("[{}]", globals_section(era));
  std::string line;
  for (int i = 0; i < 4096 && std::getline(in, line); ++i)
    if (line == header) return true;
  return false;
}

bool gzip_magic(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  unsigned char b[2] = {};
  in.read(reinterpret_cast<char*>(b), 2);
  return in.gcount() == 2 && b[0] == 0x1f && b[1] == 0x8b;
}

std::string_view era_name(gem5::Era era) { return era == gem5::Era::v2011 ? "2011" : "v24"; }

model::Machine read(const fs::path& p, Report& report, gem5::Era era) {
  const fs::path dir = fs::absolute(checkpoint_dir(p));
  const gem5::CptFile cpt = gem5::read_cpt(dir / "m5.cpt");
  const gem5::CptReader in(cpt, era);
  const Tick cur_tick = in.integer<Tick>(globals_section(era), "curTick");

  model::Machine m;
  m.platform.source = model::System::gem5;
  // Not the directory's name: a conversion reads its output back while it still has a temporary one.
  m.platform.source_detail = fmt::format("gem5 {} checkpoint at tick {}", era_name(era), cur_tick);
  const auto cpus = gem5::cpu_sections(cpt);
  if (cpus.size() > model::max_cpus)
    throw InputError({cpt.source}, fmt::format("{} processors: more than {}", cpus.size(), model::max_cpus));
  m.platform.time = {cur_tick / gem5::ticks_per_ns, tick_hz / gem5::cpu_cycle_ticks,
                     tick_hz / gem5::lapic_clock(in, cpus[0]),
                     static_cast<std::uint16_t>(cur_tick % gem5::ticks_per_ns)};
  for (std::size_t i = 0; i < cpus.size(); ++i) {
    m.cpu.push_back(gem5::read_cpu(in, cpus[i], i, cur_tick, report, fmt::format("cpu[{}]", i)));
    gem5::note_tlb_entries(in, cpus[i], report);
  }
  gem5::read_devices(in, cur_tick, m, report);

  const auto images = gem5::memory_images(in);
  if (images.size() > 2)
    throw InputError({cpt.source, std::nullopt, std::nullopt, "system.physmem:nbr_of_stores"},
                     "fs.py's x86 system has at most two memory ranges");
  for (const auto& image : images) {
    const Location at{cpt.source, std::nullopt, std::nullopt, image.section + ":range_size"};
    if (image.size == 0 || image.size % model::page_size)
      throw InputError(at, fmt::format("{} bytes: not a non-zero multiple of the page size", image.size));
    if (image.store_id == 0 && images.size() == 2 && image.size != low_limit)
      throw InputError(at, "the store below 4 GiB of a two-store system must span 3 GiB");
    if (era == gem5::Era::v2011 && image.size > low_limit)
      throw InputError({cpt.source, std::nullopt, std::nullopt, image.section + ":_size"},
                       "2011's single memory range from 0 cannot reach the I/O hole at 3 GiB");
    // Streams the whole image once: a missing, corrupt, short or long image is refused here.
    gem5::read_image(dir, image, [](std::span<const std::uint8_t>) {});
    const fs::path file = dir / image.filename;
    m.memory.regions.push_back({image.store_id == 0 ? 0 : high_base, image.size,
                                model::FileBacking{file.string(), 0,
                                                   gzip_magic(file) ? model::Encoding::gzip : model::Encoding::raw}});
  }
  std::sort(m.memory.regions.begin(), m.memory.regions.end(), [](auto& a, auto& b) { return a.gpa < b.gpa; });
  model::derive(m);
  return m;
}

// fs.py's ranges for the model's RAM: [0, end below 3 GiB) and [4 GiB, end above).
std::vector<std::uint64_t> store_sizes(const model::Machine& m, Report& report) {
  std::uint64_t low_end = 0, high_end = 0;
  for (const auto& r : m.memory.regions) {
    if (r.gpa + r.size <= low_limit)
      low_end = std::max(low_end, r.gpa + r.size);
    else if (r.gpa >= high_base)
      high_end = std::max(high_end, r.gpa + r.size);
    else
      throw UsageError(fmt::format("RAM at {:#x}-{:#x} lies in the 3-4 GiB hole gem5's x86 system leaves",
                                   r.gpa, r.gpa + r.size));
  }
  if (high_end) low_end = low_limit;
  std::vector<std::uint64_t> sizes;
  if (low_end) sizes.push_back(low_end);
  if (high_end) sizes.push_back(high_end - high_base);
  if (sizes.empty() || (high_end && !low_end)) throw UsageError("gem5 needs RAM from address 0");
  std::uint64_t covered = 0;
  for (const auto& r : m.memory.regions) covered += r.size;
  const std::uint64_t total = sizes.size() == 2 ? sizes[0] + sizes[1] : sizes[0];
  if (covered != total)
    report.note("memory.regions", Carry::approximated, "holes in the RAM layout become zero-filled RAM in gem5");
  if (m.memory.regions.size() != sizes.size())
    report.note("memory.regions", Carry::approximated,
                fmt::format("gem5 keeps one store per memory range: the {} RAM regions are written as {}",
                            m.memory.regions.size(), sizes.size()));
  return sizes;
}

// Streams the RAM in [base, base + size) into the image, zeros in the holes.
void write_store(const model::Machine& m, std::uint64_t base, gem5::ImageWriter& out, std::uint64_t size) {
  RamStream ram(m.memory, base);
  std::vector<std::uint8_t> buf(1 << 20);
  for (std::uint64_t left = size; left > 0;) {
    auto chunk = std::span(buf).first(static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size())));
    ram.read_padded(chunk);
    out.write(chunk);
    left -= chunk.size();
  }
}

gem5::CptFile target_file(const model::Machine& m, const WriteOptions& opts, const std::vector<std::uint64_t>& sizes,
                          gem5::Era era) {
  if (opts.skeleton.empty())
    return era == gem5::Era::v2011 ? gem5::fs_py_2011_skeleton(m.cpu.size(), sizes[0])
                                   : gem5::fs_py_skeleton(m.cpu.size(), sizes);
  const fs::path file = fs::is_directory(opts.skeleton) ? opts.skeleton / "m5.cpt" : opts.skeleton;
  gem5::CptFile cpt = gem5::read_cpt(file);
  const gem5::CptReader in(cpt, era);
  const auto images = gem5::memory_images(in);
  if (images.size() != sizes.size())
    throw UsageError(fmt::format("{}: the skeleton has {} memory stores, the machine needs {}", file.string(),
                                 images.size(), sizes.size()));
  for (const auto& image : images)
    if (image.size != sizes[image.store_id])
      throw UsageError(fmt::format("{}: [{}] range_size {} differs from the machine's {} bytes", file.string(),
                                   image.section, image.size, sizes[image.store_id]));
  return cpt;
}

// Every disk's copy-on-write overlay the checkpoint names (`cowFilename`): the skeleton's own file
// when it has one, else an empty overlay (2011 spec §4.12, the same format in v24: magic, version
// 1.0, no sectors), so that gem5 finds each file it opens on restore.
void write_disk_overlays(const gem5::CptFile& cpt, const fs::path& skeleton_dir, const fs::path& out_dir) {
  for (const auto& section : cpt.sections()) {
    const gem5::Entry* name = section.find("cowFilename");
    if (!name) continue;
    const Location where{cpt.source, std::nullopt, name->line, section.name() + ":cowFilename"};
    gem5::check_image_filename(name->value, where);
    const fs::path target = out_dir / name->value;
    std::error_code ec;
    if (!skeleton_dir.empty() && fs::symlink_status(skeleton_dir / name->value, ec).type() != fs::file_type::not_found) {
      // The skeleton's overlay, but only a regular file inside the skeleton: a symbolic link or a
      // device there would copy some other file of this machine into the output.
      const fs::path source = io::beneath(skeleton_dir, name->value, where);
      io::require_regular_file(source, where);
      fs::copy_file(source, target);
      continue;
    }
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    const unsigned char bytes[24] = {'C', 'O', 'W', 'D', 'I', 'S', 'K', '!', 1};
    out.write(reinterpret_cast<const char*>(bytes), sizeof bytes);
    if (!out.flush()) io::write_failed(target);
  }
}

void write(const model::Machine& m, const fs::path& p, const WriteOptions& opts, Report& report, gem5::Era era) {
  const auto sizes = store_sizes(m, report);
  if (era == gem5::Era::v2011 && sizes.size() > 1)
    throw UsageError("2011's fs.py system has one memory range from 0: RAM above 4 GiB cannot be written");
  gem5::CptFile cpt = target_file(m, opts, sizes, era);
  const auto cpus = gem5::cpu_sections(cpt);
  if (cpus.size() != m.cpu.size())
    throw UsageError(fmt::format("the target configuration has {} processors, the machine {}", cpus.size(),
                                 m.cpu.size()));
  const auto& time = m.platform.time;
  if (time.guest_ns > (~Tick{0} - time.guest_sub_ns) / gem5::ticks_per_ns)
    throw UsageError("guest time beyond gem5's ticks");
  const Tick cur_tick = time.guest_ns * gem5::ticks_per_ns + time.guest_sub_ns;
  gem5::existing(cpt, globals_section(era)).set("curTick", gem5::encode_int(cur_tick));
  for (std::size_t i = 0; i < cpus.size(); ++i)
    gem5::write_cpu(m.cpu[i], cpus[i], i, cur_tick, era, cpt, report, fmt::format("cpu[{}]", i));
  for (const auto& cpu : cpus) gem5::flush_tlbs(cpt, cpu, report);
  gem5::write_devices(m, cur_tick, era, cpt, report);

  AtomicOutput out(p, AtomicOutput::Kind::directory, opts.force);
  write_disk_overlays(cpt, opts.skeleton.empty() ? fs::path() : checkpoint_dir(opts.skeleton), out.temp_path());
  const gem5::CptReader written(cpt, era);
  for (const auto& image : gem5::memory_images(written)) {
    gem5::ImageWriter pmem(out.temp_path(), image, opts.level,
                           opts.jobs ? opts.jobs : std::max(1u, std::thread::hardware_concurrency()));
    write_store(m, image.store_id == 0 ? 0 : high_base, pmem, image.size);
    pmem.finish();
  }
  gem5::write_cpt_file(cpt, out.temp_path() / "m5.cpt");
  out.commit();
}

constexpr std::string_view options[] = {"--skeleton", "--jobs", "--level"};

// fs.py's machine: its CPU clock drives the TSC; the APIC clock is fixed.
constexpr GuestClocks fs_py_clocks{{ClockRate::Kind::fixed, tick_hz / gem5::cpu_cycle_ticks},
                                   {ClockRate::Kind::fixed, tick_hz / gem5::lapic_clock_ticks}};

}  // namespace

const Codec gem5_codec{
    "gem5", "gem5 v24 checkpoint directory (m5.cpt and memory stores)", coverage(gem5::Era::v24).rules(), options,
    [](const fs::path& p) { return detect_era(p, gem5::Era::v24); },
    [](const fs::path& p, const ReadOptions&, Report& r) { return read(p, r, gem5::Era::v24); },
    [](const model::Machine& m, const fs::path& p, const WriteOptions& o, Report& r) {
      write(m, p, o, r, gem5::Era::v24);
    },
    {}, fs_py_clocks};

const Codec gem5_2011_codec{
    "gem5-2011", "gem5 checkpoint directory of 2011 (X86_FS: m5.cpt and system.physmem.physmem)",
    coverage(gem5::Era::v2011).rules(),
    options, [](const fs::path& p) { return detect_era(p, gem5::Era::v2011); },
    [](const fs::path& p, const ReadOptions&, Report& r) { return read(p, r, gem5::Era::v2011); },
    [](const model::Machine& m, const fs::path& p, const WriteOptions& o, Report& r) {
      write(m, p, o, r, gem5::Era::v2011);
    },
    {}, fs_py_clocks};

}  // namespace cptx
