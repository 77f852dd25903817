// cptx: translate x86 VM checkpoints between Palacios, gem5 and QEMU through one machine model.
// A thin shell over the libraries, shaped like CRIU's crit: a few verbs, FORMAT:PATH arguments,
// JSON as the readable form. Exit codes: 0 success, 1 differences found (diff, verify), 2 usage or input error.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <vector>

#include "codecs/io/ram_diff.hpp"
#include "codecs/io/ram_limit.hpp"
#include "cli/convert.hpp"
#include "cli/inspect.hpp"
#include "cli/options.hpp"
#include "cli/pair.hpp"
#include "cli/summary.hpp"
#include "cli/verify.hpp"
#include "codecs/mapping_reference.hpp"
#include "codecs/registry.hpp"
#include "codecs/io/atomic_output.hpp"
#include "codecs/io/error.hpp"
#include "codecs/io/input_file.hpp"
#include "codecs/io/progress.hpp"
#include "codecs/json/codec.hpp"
#include "model/json.hpp"
#include "model/power_on.hpp"
#include "model/schema.hpp"
#include "reports/report.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;

constexpr int exit_ok = 0, exit_differences = 1, exit_error = 2;

// What the codecs found about RAM in particular: where it came from or went, holes, padding.
void print_memory_findings(const Report& report, std::FILE* to) {
  for (const auto& f : report.findings())
    if (f.path == "memory" || f.path.starts_with("memory."))
      std::fputs(fmt::format("{:<8} {}: {}\n", "note", f.path, f.text).c_str(), to);
}

// Colour for a report on a terminal, unless NO_COLOR is set (no-color.org).
bool colour_on(std::FILE* to) {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(::fileno(to)) != 0 && !(no_color && *no_color);
}

// Converts as `cptx convert` does, then prints the report unless `quiet`.
int translate(const Endpoint& src, const ReadOptions& in_opts, const Endpoint& dst, const WriteOptions& opts,
              const ReportFiles& reports, bool quiet, const PlatformOptions& platform = {}) {
  if (quiet) io::Progress::show(false);
  const Report report = convert(src, in_opts, dst, opts, reports, platform);
  if (quiet) return exit_ok;
  std::fputs(report.summary(colour_on(stderr)).c_str(), stderr);
  if (!in_opts.raw_memory.empty() || !opts.raw_memory.empty()) print_memory_findings(report, stderr);
  return exit_ok;
}

// The report files of a verb: --report-json and --report-html.
void add_report_options(CLI::App* cmd, ReportFiles& reports) {
  cmd->add_option("--report-json", reports.json, "write the conversion report to this file (docs/reports.md)")
      ->type_name("FILE");
  cmd->add_option("--report-html", reports.html,
                  "write the conversion report as a self-contained HTML page to this file (docs/reports.md)")
      ->type_name("FILE");
}

// The options of every verb that writes a checkpoint.
void add_write_options(CLI::App* cmd, WriteOptions& opts, ReportFiles& reports, bool& quiet) {
  add_report_options(cmd, reports);
  cmd->add_flag("-q,--quiet", quiet, "print nothing on success: no summary, no progress");
  cmd->add_flag("-f,--force", opts.force, "replace existing output");
  cmd->add_option("--store", opts.store, "storage variant of the output (palacios: textfile or file)");
  cmd->add_option("--skeleton", opts.skeleton, "a checkpoint of the target machine whose other state is kept");
  cmd->add_option("--target-config", opts.target_config, "the target machine's configuration (palacios: VM XML)");
  cmd->add_option_function<std::string>(
         "--max-ram", [&opts](const std::string& size) { opts.max_ram = parse_size(size, "--max-ram"); },
         "the most guest RAM to write, e.g. 2T or 512G (default: 1 TiB or the free space where the output goes, "
         "whichever is smaller)")
      ->type_name("SIZE");
  cmd->add_option("--jobs", opts.jobs, "threads compressing guest RAM (gem5; default: one per processor)")
      ->check(CLI::Range(1u, 256u));
  cmd->add_option("--level", opts.level, "gzip compression level of guest RAM, 1 (fastest) to 9 (smallest) (gem5; default 6)")
      ->check(CLI::Range(1, 9));
  cmd->add_option("--output-raw-memory", opts.raw_memory,
                  "write the output's guest RAM to this raw dump from GPA 0 instead of the checkpoint (palacios: "
                  "write it into the VM with v3_guest_mem_access ... write 0 SIZE, then load with option 1)")
      ->type_name("FILE");
}

// The options of every verb that writes for a target machine (docs/pairs.md).
void add_platform_options(CLI::App* cmd, PlatformOptions& platform) {
  cmd->add_option("--target", platform.target,
                  "the machine to check the checkpoint against first: a pair directory or pair.json, a Palacios VM "
                  ".xml, a gem5 config.ini, a pair's qemu.sh (a pair also gives palacios its VM XML)")
      ->type_name("PAIR");
  cmd->add_flag("--force-platform", platform.force,
                "write even for a target (--target, --target-config, --skeleton) the checkpoint does not fit");
}

std::string formats_help() {
  std::string s = "Checkpoints are named FORMAT:PATH; on input FORMAT may be omitted and is detected.\nFormats:\n";
  for (const Codec* c : all_codecs())
    s += fmt::format("  {:<10} {}\n", c->name, c->summary);
  return s;
}

int run(int argc, char** argv) {
  CLI::App app("cptx: translate x86 VM checkpoints between Palacios, gem5 and QEMU through one machine model", "cptx");
  app.footer(formats_help());
  app.set_version_flag("--version", fmt::format("cptx {} (model schema {})", CPTX_VERSION, model::schema_version));
  app.require_subcommand(1);

  int status = exit_ok;
  std::string src, dst, out_path, a_arg, b_arg;
  ReportFiles reports;
  bool quiet = false;
  PlatformOptions platform;
  WriteOptions write_opts;
  ReadOptions read_opts, a_opts, b_opts;
  bool markdown = false, no_memory = false, provenance = false, as_json = false;
  std::size_t cpus = 1;
  std::string memory = "128M";

  auto* info = app.add_subcommand("info", "Summarize a checkpoint");
  info->add_option("checkpoint", src, "FORMAT:PATH")->required();
  info->add_flag("--json", as_json, "print the summary as JSON (keys in docs/inspect.md)");
  add_read_options(info, read_opts, "input", "the input");
  info->callback([&] {
    Report report;
    const Endpoint in = parse_input(src);
    read_opts.state_only = true;
    const model::Machine m = load(in, read_opts, "input", report);
    std::cout << (as_json ? info_json(in, m, report) : info_text(in, m, report)) << std::flush;
  });
  add_show_command(app);
  add_memory_command(app);

  auto* decode = app.add_subcommand("decode", "Translate a checkpoint into model JSON");
  decode->add_option("checkpoint", src, "FORMAT:PATH")->required();
  decode->add_option("-o,--output", out_path, "write the JSON to this file instead of standard output");
  add_report_options(decode, reports);
  decode->add_flag("-f,--force", write_opts.force, "replace existing output");
  decode->add_flag("-q,--quiet", quiet, "print nothing but the JSON on success");
  add_read_options(decode, read_opts, "input", "the input");
  decode->callback([&] {
    const Endpoint in = parse_input(src);
    if (!out_path.empty()) {
      status = translate(in, read_opts, parse_output("json:" + out_path), write_opts, reports, quiet);
      return;
    }
    Report report(side(in), {"stdout", json_codec.name, json_codec.coverage});
    ReportOutputs report_files(reports, write_opts.force);  // the model refers to the RAM: its backed regions are not read
    const model::Machine m = load(in, read_opts, "input", report);
    std::cout << model::to_json(m).dump(2) << '\n';
    report.compare(m, m);  // the model itself went out: every field as it was read
    report_files.write(report, m.memory);
    if (!quiet) std::fputs(report.summary(colour_on(stderr)).c_str(), stderr);
  });

  auto* encode = app.add_subcommand("encode", "Translate model JSON into a checkpoint");
  encode->add_option("model", src, "model JSON file")->required();
  encode->add_option("checkpoint", dst, "FORMAT:PATH to write")->required();
  add_write_options(encode, write_opts, reports, quiet);
  add_platform_options(encode, platform);
  encode->callback([&] {
    const Endpoint in = parse_input(src.rfind("json:", 0) == 0 ? src : "json:" + src);
    status = translate(in, read_opts, parse_output(dst), write_opts, reports, quiet, platform);
  });

  auto* convert = app.add_subcommand("convert", "Translate a checkpoint from one format to another");
  convert->add_option("source", src, "FORMAT:PATH to read")->required();
  convert->add_option("target", dst, "FORMAT:PATH to write")->required();
  add_write_options(convert, write_opts, reports, quiet);
  add_read_options(convert, read_opts, "input", "the input");
  add_platform_options(convert, platform);
  convert->callback([&] {
    status = translate(parse_input(src), read_opts, parse_output(dst), write_opts, reports, quiet, platform);
  });

  auto* diff = app.add_subcommand("diff", "Compare two checkpoints through the model (exit 1 if they differ)");
  diff->add_option("a", a_arg, "FORMAT:PATH")->required();
  diff->add_option("b", b_arg, "FORMAT:PATH")->required();
  diff->add_flag("--no-memory", no_memory,
                 "compare the machine state only, not RAM contents (a checkpoint without its memory is then read "
                 "without a dump)");
  diff->add_flag("--provenance", provenance,
                 "also compare where the checkpoints came from (platform.source, platform.source_detail)");
  add_read_options(diff, a_opts, "a", "A");
  add_read_options(diff, b_opts, "b", "B");
  diff->footer("Differences are printed as PATH: A -> B, one per line; RAM as the number of differing pages.");
  diff->callback([&] {
    Report report;
    a_opts.state_only = b_opts.state_only = no_memory;
    const model::Machine a = load(parse_input(a_arg), a_opts, "a", report);
    const model::Machine b = load(parse_input(b_arg), b_opts, "b", report);
    std::size_t n = 0;
    for (const auto& d : state_diff(a, b)) {
      if (d.provenance && !provenance) continue;
      std::cout << fmt::format("{}: {} -> {}\n", d.path, d.a, d.b);
      ++n;
    }
    if (!no_memory)
      for (const auto& line : diff_ram(a.memory, b.memory)) {
        std::cout << line << '\n';
        ++n;
      }
    status = n ? exit_differences : exit_ok;
  });

  auto* schema = app.add_subcommand("schema", "Print the model's field list as JSON Schema");
  schema->add_flag("--markdown", markdown, "print the field reference (docs/model.md) instead");
  schema->callback([&] {
    if (markdown)
      std::cout << model_reference();
    else
      std::cout << model::json_schema().dump(2) << '\n';
  });

  auto* fresh = app.add_subcommand("new", "Write the model JSON of a machine at power-on");
  fresh->add_option("--cpus", cpus, "number of processors")->check(CLI::Range(std::size_t{1}, model::max_cpus));
  fresh->add_option("--memory", memory, "RAM size, e.g. 128M or 2G (default 128M)");
  fresh->add_option("-o,--output", out_path, "JSON file to write (default: standard output)");
  fresh->add_flag("-f,--force", write_opts.force, "replace existing output");
  fresh->callback([&] {
    model::Machine m = model::power_on(cpus, parse_size(memory, "--memory"));
    if (out_path.empty()) {
      std::cout << model::to_json(m).dump(2) << '\n';
      return;
    }
    Report report;
    json_codec.write(m, out_path, write_opts, report);
  });

  add_pair_commands(app, status);
  add_verify_command(app, status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_error;
  }
  return status;
}

}  // namespace
}  // namespace cptx

int main(int argc, char** argv) {
  cptx::AtomicOutput::remove_temporaries_on_signals();
  cptx::io::Progress::show(::isatty(STDERR_FILENO) != 0);  // and --quiet off again
  try {
    return cptx::run(argc, argv);
  } catch (const cptx::InputError& e) {
    std::fprintf(stderr, "cptx: error: %s\n", e.what());
  } catch (const cptx::UsageError& e) {
    std::fprintf(stderr, "cptx: error: %s\n", e.what());
  } catch (const cptx::OutputError& e) {
    std::fprintf(stderr, "cptx: error: %s\n", e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "cptx: error: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cptx: internal error: %s\n", e.what());
  }
  return 2;
}
