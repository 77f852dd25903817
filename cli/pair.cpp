#include "cli/pair.hpp"

#include <iostream>

#include <fmt/format.h>

#include "cli/convert.hpp"
#include "cli/options.hpp"
#include "codecs/io/error.hpp"
#include "codecs/platform/check.hpp"
#include "codecs/platform/describe.hpp"
#include "codecs/platform/pair.hpp"
#include "reports/report.hpp"

namespace cptx {

namespace fs = std::filesystem;

namespace {

std::optional<std::uint64_t> raw_memory_size(const ReadOptions& opts) {
  if (opts.raw_memory.empty()) return std::nullopt;
  std::error_code ec;
  const auto size = fs::file_size(opts.raw_memory, ec);
  return ec ? std::nullopt : std::optional<std::uint64_t>(size);
}

fs::path absolute_input(const std::string& p, const char* what) {
  if (p.empty()) return {};
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) throw UsageError(fmt::format("{} '{}' is not a regular file", what, p));
  return fs::absolute(p).lexically_normal();
}

}  // namespace

void require_fit(const model::Machine& m, const platform::Target& target, const ReadOptions& in_opts) {
  const auto problems = platform::check(m, target, raw_memory_size(in_opts));
  if (problems.empty()) return;
  std::string list;
  for (const auto& p : problems) list += fmt::format("{}{}: {}", list.empty() ? "" : "; ", p.what, p.text);
  throw UsageError(fmt::format("the target does not fit this checkpoint ({} problem{}; --force-platform converts "
                               "anyway): {}",
                               problems.size(), problems.size() == 1 ? "" : "s", list));
}

std::optional<platform::Target> conversion_target(const Endpoint& dst, WriteOptions& opts, const std::string& target) {
  if (!target.empty()) {
    if (dst.codec->name == "palacios" && opts.skeleton.empty()) {
      std::error_code ec;
      const fs::path xml = fs::is_directory(target, ec) ? fs::path(target) / "palacios.xml" : fs::path(target);
      if (xml.extension() == ".xml") {
        if (!opts.target_config.empty() && opts.target_config != xml)
          throw UsageError("give either --target or --target-config, not both");
        opts.target_config = xml;
      }
    }
    return platform::describe_target(target);
  }
  if (!opts.target_config.empty()) return platform::palacios_target(opts.target_config);
  if (!opts.skeleton.empty()) {
    // A skeleton the codec cannot read as a checkpoint is refused by the codec itself, with its
    // own message, when it writes.
    try {
      Report scratch;
      return platform::target_of_machine(dst.codec->read(opts.skeleton, scratch), opts.skeleton.string());
    } catch (const InputError&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void add_pair_commands(CLI::App& app, int& status) {
  auto* pair = app.add_subcommand("pair", "Make matched Palacios, gem5 and QEMU platforms, and check a checkpoint against one");
  pair->require_subcommand(1);

  struct CreateArgs {
    std::string kernel, gem5_kernel, initrd, disk, cmdline, memory, out;
    std::size_t cpus = 1;
    bool force = false;
  };
  auto create_args = std::make_shared<CreateArgs>();
  auto* create = pair->add_subcommand("create", "Write a pair: pair.json, palacios.xml, gem5.py, qemu.sh");
  create->add_option("--kernel", create_args->kernel, "the guest kernel (bzImage or ELF)")->required();
  create->add_option("--gem5-kernel", create_args->gem5_kernel,
                     "the same kernel as an ELF for gem5 (Linux: vmlinux) when --kernel is not one");
  create->add_option("--initrd", create_args->initrd, "an initial RAM disk (QEMU; the others take it from the boot image)");
  create->add_option("--disk", create_args->disk, "a raw disk image, on the first IDE channel");
  create->add_option("--memory", create_args->memory, "RAM, e.g. 128M (whole MiB, 2M to 3G)")->required();
  create->add_option("--cpus", create_args->cpus, "number of processors (1 to 15)");
  create->add_option("--cmdline", create_args->cmdline, "the kernel command line");
  create->add_option("out", create_args->out, "the pair's directory to write")->required();
  create->add_flag("-f,--force", create_args->force, "replace an existing directory");
  create->callback([create_args] {
    platform::PairSpec spec;
    spec.kernel = absolute_input(create_args->kernel, "--kernel");
    spec.gem5_kernel = absolute_input(create_args->gem5_kernel, "--gem5-kernel");
    spec.initrd = absolute_input(create_args->initrd, "--initrd");
    spec.disk = absolute_input(create_args->disk, "--disk");
    spec.cmdline = create_args->cmdline;
    spec.memory = parse_size(create_args->memory, "--memory");
    spec.cpus = create_args->cpus;
    platform::write_pair(spec, create_args->out, create_args->force);
  });

  struct CheckArgs {
    std::string checkpoint, target;
    ReadOptions opts;
  };
  auto check_args = std::make_shared<CheckArgs>();
  auto* check = pair->add_subcommand("check", "List every incompatibility between a checkpoint and a target platform "
                                              "(exit 1 if any)");
  check->add_option("checkpoint", check_args->checkpoint, "FORMAT:PATH")->required();
  check->add_option("target", check_args->target,
                    "a pair directory or pair.json, a Palacios VM .xml, a gem5 config.ini, a pair's qemu.sh")
      ->required();
  check->add_option("--input-raw-memory", check_args->opts.raw_memory,
                    "the raw dump the checkpoint's RAM comes from (palacios: saved without memory)")
      ->type_name("FILE");
  check->add_option("--input-config", check_args->opts.config,
                    "the configuration of the machine that saved the checkpoint (palacios: the VM XML, whose "
                    "<memory> says how much of memory_img is RAM)")
      ->type_name("FILE");
  check->callback([check_args, &status] {
    const platform::Target target = platform::describe_target(check_args->target);
    const Endpoint in = parse_input(check_args->checkpoint);
    Report report;
    const model::Machine m = load(in, check_args->opts, "input", report);
    const auto problems = platform::check(m, target, raw_memory_size(check_args->opts));
    std::cout << platform::describe(problems);
    if (problems.empty()) std::cout << fmt::format("{} fits {}\n", in.text, target.described_by);
    status = problems.empty() ? 0 : 1;
  });
}

}  // namespace cptx
