// `cptx memory CHECKPOINT --at ADDR --len N [--virt [--cpu N]]`: a hexdump of guest RAM, 16 bytes a
// line (address, hex, ASCII), read through the regions' streaming readers.
#include <iostream>

#include <fmt/format.h>

#include "cli/guest_ram.hpp"
#include "cli/convert.hpp"
#include "cli/inspect.hpp"
#include "cli/options.hpp"
#include "cli/page_walk.hpp"
#include "codecs/io/error.hpp"

namespace cptx {

namespace {

// A dump is for reading: past a megabyte, copy the RAM out with `cptx convert --output-raw-memory`.
constexpr std::uint64_t max_len = 1 << 20;

std::string hexdump_line(std::uint64_t address, std::span<const std::uint8_t> bytes) {
  std::string hex, text;
  for (std::size_t i = 0; i < 16; ++i) {
    hex += i < bytes.size() ? fmt::format("{:02x} ", bytes[i]) : "   ";
    if (i == 7) hex += ' ';
    if (i < bytes.size()) text += bytes[i] >= 0x20 && bytes[i] < 0x7f ? static_cast<char>(bytes[i]) : '.';
  }
  return fmt::format("{:016x}  {} |{}|\n", address, hex, text);
}

}  // namespace

void add_memory_command(CLI::App& app) {
  static std::string src, at_text, len_text = "256";
  static ReadOptions opts;
  static bool virt = false;
  static std::size_t cpu = 0;
  auto* cmd = app.add_subcommand("memory", "Print guest RAM as a hexdump, at a physical or (--virt) virtual address");
  cmd->add_option("checkpoint", src, "FORMAT:PATH")->required();
  cmd->add_option("--at", at_text, "the first address, e.g. 0x100000")->required();
  cmd->add_option("--len", len_text, "how many bytes, at most 1048576 (1 MiB; default 256)");
  cmd->add_flag("--virt", virt, "translate the address through the processor's saved page tables");
  cmd->add_option("--cpu", cpu, "the processor whose page tables --virt uses (default 0)");
  add_read_options(cmd, opts, "input", "the input");
  cmd->callback([] {
    const std::uint64_t at = parse_number(at_text, "--at"), len = parse_number(len_text, "--len");
    if (len == 0 || len > max_len)
      throw UsageError(fmt::format("--len {}: must be 1 to {} bytes", len_text, max_len));
    if (at + (len - 1) < at) throw UsageError(fmt::format("--at {} --len {}: beyond the address space", at_text, len_text));
    const Endpoint in = parse_input(src);
    Report read;
    const model::Machine m = load(in, opts, "input", read);
    if (virt && cpu >= m.cpu.size())
      throw UsageError(fmt::format("--cpu {}: the checkpoint has {} processor{}", cpu, m.cpu.size(),
                                   m.cpu.size() == 1 ? "" : "s"));
    const std::string who = fmt::format("cpu[{}]", cpu);
    GuestRam ram(m.memory);
    // Translated a page at a time first, so that a range that is not all mapped prints nothing.
    struct Piece {
      std::uint64_t gpa, len;
    };
    std::vector<Piece> pieces;
    for (std::uint64_t a = at, left = len; left > 0;) {
      std::uint64_t gpa = a, n = left;
      if (virt) {
        const Translation t = translate(m.cpu[cpu], a, ram, who);
        gpa = t.gpa;
        n = std::min(left, t.page_size - (gpa & (t.page_size - 1)));
      }
      pieces.push_back({gpa, n});
      a += n;
      left -= n;
    }
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(len));
    std::size_t filled = 0;
    for (const auto& p : pieces) {
      ram.read(p.gpa, std::span(bytes).subspan(filled, static_cast<std::size_t>(p.len)));
      filled += static_cast<std::size_t>(p.len);
    }
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 16)
      out += hexdump_line(at + i, std::span(bytes).subspan(i, std::min<std::size_t>(16, bytes.size() - i)));
    std::cout << out << std::flush;
  });
}

}  // namespace cptx
