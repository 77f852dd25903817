// Checkpoints come from other machines: each class of hostile or careless input is refused with exit
// 2 and one line naming the file and the field, leaves no output behind and changes no input.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <thread>

#include "model/json.hpp"
#include "model/power_on.hpp"
#include "tests/support/run.hpp"

namespace cptx {
namespace {

namespace fs = std::filesystem;
using cptx::testing::read_file;
using cptx::testing::Run;
using cptx::testing::run_cptx;
using cptx::testing::TempDir;
using cptx::testing::write_file;

// Every file under `dir` with its contents (symbolic links and FIFOs by what they are).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> s;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto rel = fs::relative(e.path(), dir).string();
    if (e.is_symlink())
      s[rel] = "-> " + fs::read_symlink(e.path()).string();
    else if (e.is_fifo())
      s[rel] = "fifo";
    else if (e.is_regular_file())
      s[rel] = read_file(e.path());
    else
      s[rel] = "dir";
  }
  return s;
}

// Runs cptx in `dir` on hostile input: exit 2, one line on stderr naming `file` and `key`, and
// `dir` exactly as before (no output, no temporary, no input changed).
Run expect_refused(const TempDir& dir, const std::vector<std::string>& args, const std::string& file,
                   const std::string& key) {
  const auto before = snapshot(dir.path());
  const Run r = run_cptx(args);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err.rfind("cptx: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << "expected " << file << " in: " << r.err;
  EXPECT_NE(r.err.find(key), std::string::npos) << "expected " << key << " in: " << r.err;
  EXPECT_EQ(snapshot(dir.path()), before);
  return r;
}

// A small machine as model JSON, in `dir`.
std::string small_model(const TempDir& dir, std::uint64_t ram = 4096) {
  const auto p = dir / ("m" + std::to_string(ram) + ".json");
  write_file(p, model::to_json(model::power_on(1, ram)).dump());
  return p.string();
}

std::string checkpoint(const TempDir& dir, const std::string& target, std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"encode", small_model(dir), target};
  args.insert(args.end(), more.begin(), more.end());
  const Run r = run_cptx(args);
  EXPECT_EQ(r.status, 0) << r.err;
  return target.substr(target.find(':') + 1);
}

// --- Nesting: every parser bounds it -------------------------------------------------------------

TEST(UntrustedInput, DeeplyNestedQemuStreamDescriptionIsRefused) {
  TempDir dir;
  // A real stream whose description gains one key nested 100 levels deep.
  std::string s = read_file(std::string(CPTX_SOURCE_DIR) + "/corpus/pairs/selfcheck/step5.qemu");
  std::size_t at = s.size();
  for (;;) {
    at = s.rfind(std::string("\0\x06", 2), at - 1);
    ASSERT_NE(at, std::string::npos);
    const auto len = std::uint32_t(std::uint8_t(s[at + 2])) << 24 | std::uint32_t(std::uint8_t(s[at + 3])) << 16 |
                     std::uint32_t(std::uint8_t(s[at + 4])) << 8 | std::uint8_t(s[at + 5]);
    if (len == s.size() - at - 6 && s[at + 6] == '{') break;
  }
  std::string desc = "{\"deep\":" + std::string(100, '[') + std::string(100, ']') + "," + s.substr(at + 7);
  const auto n = static_cast<std::uint32_t>(desc.size());
  s = s.substr(0, at + 2) + char(n >> 24) + char(n >> 16) + char(n >> 8) + char(n) + desc;
  write_file(dir / "deep.qemu", s);
  expect_refused(dir, {"convert", "qemu:" + (dir / "deep.qemu").string(), "gem5:" + (dir / "out").string()},
                 "deep.qemu", "nests deeper than 64 levels");
}

TEST(UntrustedInput, DeeplyNestedModelJsonIsRefused) {
  TempDir dir;
  std::string text = read_file(small_model(dir));
  text.insert(1, "\"deep\":" + std::string(100000, '[') + std::string(100000, ']') + ",");
  write_file(dir / "deep.json", text);
  expect_refused(dir, {"encode", (dir / "deep.json").string(), "qemu:" + (dir / "out").string()}, "deep.json",
                 "nests deeper than 64 levels");
}

TEST(UntrustedInput, DeeplyNestedXmlIsRefused) {
  TempDir dir;
  small_model(dir);
  write_file(dir / "vm.xml", "<vm class=\"PC\">" + std::string(10000, ' ') + [] {
    std::string s;
    for (int i = 0; i < 5000; ++i) s += "<a>";
    for (int i = 0; i < 5000; ++i) s += "</a>";
    return s;
  }() + "</vm>");
  expect_refused(dir,
                 {"encode", (dir / "m4096.json").string(), "palacios:" + (dir / "out").string(), "--target-config",
                  (dir / "vm.xml").string()},
                 "vm.xml", "nest deeper than 32 levels");
}

// --- Files that are not regular files -----------------------------------------------------------

class NotARegularFile : public ::testing::Test {
 protected:
  TempDir dir;
  std::string fifo = (dir / "fifo").string();
  void SetUp() override { ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0); }
};

TEST_F(NotARegularFile, FifoAsCheckpointIsRefusedWithoutBlocking) {
  expect_refused(dir, {"info", fifo}, fifo, "is a FIFO");
  expect_refused(dir, {"info", "qemu:" + fifo}, fifo, "is a FIFO");
  expect_refused(dir, {"convert", "json:" + fifo, "qemu:" + (dir / "out").string()}, fifo, "is a FIFO");
}

TEST_F(NotARegularFile, FifoAsAnOptionFileIsRefused) {
  const std::string model = small_model(dir);
  const std::string out = "palacios:" + (dir / "out").string();
  expect_refused(dir, {"encode", model, out, "--target-config", fifo}, fifo, "is a FIFO");
  expect_refused(dir, {"encode", model, out, "--skeleton", fifo}, fifo, "is a FIFO");
  expect_refused(dir, {"encode", model, "gem5:" + (dir / "g").string(), "--skeleton", fifo}, fifo, "is a FIFO");
  expect_refused(dir, {"diff", model, fifo}, fifo, "is a FIFO");
}

TEST_F(NotARegularFile, FifoAsInputConfigIsRefused) {
  const std::string ck = checkpoint(dir, "palacios:" + (dir / "ck").string(),
                                    {"--store", "file", "--output-raw-memory", (dir / "ram.raw").string()});
  expect_refused(dir,
                 {"info", "palacios:" + ck, "--input-config", fifo, "--input-raw-memory", (dir / "ram.raw").string()},
                 fifo, "is a FIFO");
}

TEST_F(NotARegularFile, FifoAsAStoreInsideACheckpointIsRefused) {
  const std::string g = checkpoint(dir, "gem5:" + (dir / "g").string());
  const fs::path pmem = fs::path(g) / "system.physmem.store0.pmem";
  fs::remove(pmem);
  ASSERT_EQ(::mkfifo(pmem.c_str(), 0600), 0);
  expect_refused(dir, {"info", "gem5:" + g}, pmem.string(), "is a FIFO");
}

TEST_F(NotARegularFile, DevicesAsRamBackingAreRefused) {
  for (const std::string& dev : {fifo, std::string("/dev/zero")}) {
    model::Machine m = model::power_on(1, 4096);
    m.memory.regions[0].backing = model::FileBacking{dev, 0, model::Encoding::raw};
    write_file(dir / "m.json", model::to_json(m).dump());
    expect_refused(dir, {"encode", (dir / "m.json").string(), "qemu:" + (dir / "out").string()}, dev,
                   "backing.path");
    fs::remove(dir / "m.json");
  }
}

// --- Names inside a checkpoint stay inside it ------------------------------------------------------

TEST(UntrustedInput, SkeletonOverlayLeadingOutOfTheSkeletonIsNotCopied) {
  TempDir dir;
  const std::string sk = checkpoint(dir, "gem5-2011:" + (dir / "sk").string());
  const std::string cow = "system.pc.south_bridge.ide.disks0.image.cow";
  write_file(dir / "secret", "host file");
  fs::remove(fs::path(sk) / cow);
  fs::create_symlink(dir / "secret", fs::path(sk) / cow);
  expect_refused(dir,
                 {"encode", (dir / "m4096.json").string(), "gem5-2011:" + (dir / "out").string(), "--skeleton", sk},
                 "m5.cpt", "cowFilename");

  // The same through the name itself.
  std::string cpt = read_file(fs::path(sk) / "m5.cpt");
  cpt.replace(cpt.find(cow), cow.size(), "../secret");
  write_file(fs::path(sk) / "m5.cpt", cpt);
  expect_refused(dir,
                 {"encode", (dir / "m4096.json").string(), "gem5-2011:" + (dir / "out").string(), "--skeleton", sk},
                 "m5.cpt", "cowFilename");
}

TEST(UntrustedInput, MemoryStoreLeadingOutOfTheCheckpointIsRefused) {
  TempDir dir;
  const std::string g = checkpoint(dir, "gem5:" + (dir / "g").string());
  const std::string other = checkpoint(dir, "gem5:" + (dir / "other").string());
  const fs::path pmem = fs::path(g) / "system.physmem.store0.pmem";
  fs::remove(pmem);
  fs::create_symlink(fs::path(other) / "system.physmem.store0.pmem", pmem);
  expect_refused(dir, {"convert", "gem5:" + g, "qemu:" + (dir / "out").string()}, g, "filename");
}

// Names are text: the model keeps them as JSON strings, so a name that is not UTF-8 is refused where
// it is read, and a host path that is not cannot be written into a model document.
TEST(UntrustedInput, NamesThatAreNotUtf8AreRefused) {
  TempDir dir;
  const std::string sk = checkpoint(dir, "gem5-2011:" + (dir / "sk").string());
  std::string cpt = read_file(fs::path(sk) / "m5.cpt");
  const std::string store = "system.physmem.physmem";
  cpt.replace(cpt.find("filename=" + store), 9 + store.size(), "filename=s\xf9stem");
  write_file(fs::path(sk) / "m5.cpt", cpt);
  const cptx::testing::Run r = expect_refused(
      dir, {"encode", (dir / "m4096.json").string(), "gem5-2011:" + (dir / "out").string(), "--skeleton", sk},
      "m5.cpt", "not UTF-8");
  EXPECT_NE(r.err.find("s\\xf9stem"), std::string::npos) << "the name is quoted as printable text: " << r.err;

  const fs::path odd = dir / "cpt\xff";
  checkpoint(dir, "gem5:" + odd.string());
  expect_refused(dir, {"convert", "gem5:" + odd.string(), "json:" + (dir / "m.json").string()},
                 "memory.regions[0].backing.path", "not UTF-8");
}

// --- Outputs never touch inputs ----------------------------------------------------------------------

TEST(UntrustedInput, OutputInsideItsInputIsRefused) {
  TempDir dir;
  const std::string g = checkpoint(dir, "gem5:" + (dir / "g").string());
  expect_refused(dir, {"convert", "gem5:" + g, "gem5:" + g + "/out"}, g, "the input");
  expect_refused(dir, {"convert", "gem5:" + g, "gem5:" + g, "--force"}, g, "the input");
  expect_refused(dir, {"convert", "gem5:" + g, "qemu:" + (dir / "q").string(), "--report-json", g + "/r.json"}, g,
                 "--report-json");
  // A model whose RAM file the output would replace.
  model::Machine m = model::power_on(1, 4096);
  write_file(dir / "ram.bin", std::string(4096, 'x'));
  m.memory.regions[0].backing = model::FileBacking{"ram.bin", 0, model::Encoding::raw};
  write_file(dir / "m.json", model::to_json(m).dump());
  expect_refused(dir, {"encode", (dir / "m.json").string(), "qemu:" + (dir / "ram.bin").string(), "--force"},
                 "ram.bin", "the RAM file");
}

TEST(UntrustedInput, PalaciosOutputInItsOwnInputDirectoryIsRefused) {
  TempDir dir;
  const std::string ck = checkpoint(dir, "palacios:" + (dir / "ck").string(),
                                    {"--store", "file", "--output-raw-memory", (dir / "ram.raw").string()});
  expect_refused(dir,
                 {"convert", "palacios:" + ck, "palacios:" + ck + "/again", "--input-raw-memory",
                  (dir / "ram.raw").string()},
                 ck, "the input");
}

TEST(UntrustedInput, UnwritableReportFailsBeforeTheCheckpointIsWritten) {
  TempDir dir;
  const std::string model = small_model(dir);
  expect_refused(dir,
                 {"encode", model, "qemu:" + (dir / "out.qemu").string(), "--report-json",
                  (dir / "missing" / "r.json").string()},
                 "r.json", "cannot create");
}

// --- Sizes a checkpoint declares ---------------------------------------------------------------------

TEST(UntrustedInput, QemuRamBlockLongerThanTheStreamIsRefused) {
  TempDir dir;
  fs::copy_file(std::string(CPTX_SOURCE_DIR) + "/corpus/fuzz/qemu_stream/huge_block.qemu", dir / "huge.qemu");
  expect_refused(dir, {"convert", "qemu:" + (dir / "huge.qemu").string(), "gem5:" + (dir / "out").string()},
                 "huge.qemu", "RAM block pc.ram declares 0x4000000000000 bytes");
}

TEST(UntrustedInput, TargetConfigOfATerabyteIsRefusedBeforeWriting) {
  TempDir dir;
  write_file(dir / "vm.xml", R"(<vm class="PC"><memory>1048576</memory><cores count="1"><core/></cores></vm>)");
  expect_refused(dir,
                 {"encode", small_model(dir), "palacios:" + (dir / "out").string(), "--target-config",
                  (dir / "vm.xml").string()},
                 "vm.xml", "vm/memory: 1099511627776 bytes of guest RAM to write, more than the limit");
  // --max-ram is the documented way to allow more, and less.
  expect_refused(dir, {"encode", small_model(dir, 1 << 20), "qemu:" + (dir / "out").string(), "--max-ram", "512K"},
                 "machine's RAM", "1048576 bytes of guest RAM to write, more than the limit of 524288 bytes");
}

// RAM the source does not hold (here 1 GiB of a target VM for a 4 KiB guest) is a hole in the
// output, not zeros on disk: in a Palacios file store and in a raw memory dump.
TEST(UntrustedInput, RamTheSourceDoesNotHoldTakesNoDisk) {
  TempDir dir;
  write_file(dir / "vm.xml", R"(<vm class="PC"><memory>1024</memory><cores count="1"><core/></cores></vm>)");
  const auto allocated = [](const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    EXPECT_GE(static_cast<std::uint64_t>(st.st_size), std::uint64_t{1} << 30) << p;
    return static_cast<std::uint64_t>(st.st_blocks) * 512;
  };
  // A VM of far more RAM than the model's, without devices: written only with --force-platform.
  auto r = run_cptx({"encode", small_model(dir), "palacios:" + (dir / "ck").string(), "--store", "file",
                    "--target-config", (dir / "vm.xml").string(), "--force-platform"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_LT(allocated(dir / "ck" / "memory_img"), std::uint64_t{1} << 20);
  r = run_cptx({"encode", small_model(dir), "palacios:" + (dir / "ck2").string(), "--target-config",
                (dir / "vm.xml").string(), "--output-raw-memory", (dir / "ram.raw").string(), "--force-platform"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_LT(allocated(dir / "ram.raw"), std::uint64_t{1} << 20);
}

TEST(UntrustedInput, InputConfigThatWouldDropRamIsRefused) {
  TempDir dir;
  const std::string model = small_model(dir, 256 << 20);
  ASSERT_EQ(run_cptx({"encode", model, "palacios:" + (dir / "ck").string(), "--store", "file"}).status, 0);
  write_file(dir / "vm.xml", R"(<vm class="PC"><memory>1</memory><cores count="1"><core/></cores></vm>)");
  expect_refused(dir, {"info", "palacios:" + (dir / "ck").string(), "--input-config", (dir / "vm.xml").string()},
                 "memory_img", "2 regions of 134217728 bytes (268435456 bytes), more than the VM's RAM needs: "
                 "<memory> in " + (dir / "vm.xml").string() + " gives 1048576 bytes");
  // <memory> in MiB whose bytes do not fit in 64 bits.
  write_file(dir / "vm.xml", R"(<vm class="PC"><memory>17592186044416</memory></vm>)");
  expect_refused(dir, {"info", "palacios:" + (dir / "ck").string(), "--input-config", (dir / "vm.xml").string()},
                 "vm.xml", "vm/memory: 17592186044416 MiB does not fit in 64 bits");
}

// --- State cut short ------------------------------------------------------------------------------------

TEST(UntrustedInput, EmptyContextOfAConfiguredDeviceIsRefused) {
  TempDir dir;
  const std::string ck = checkpoint(dir, "palacios:" + (dir / "ck").string(),
                                    {"--output-raw-memory", (dir / "ram.raw").string()});
  write_file(fs::path(ck) / "PIT", "[PIT]\n");
  write_file(dir / "vm.xml", R"(<vm class="PC"><memory>1</memory><cores count="1"><core/></cores>
    <devices><device class="8254_PIT" id="PIT"/></devices></vm>)");
  expect_refused(dir,
                 {"info", "palacios:" + ck, "--input-config", (dir / "vm.xml").string(), "--input-raw-memory",
                  (dir / "ram.raw").string()},
                 "PIT", "the 8254_PIT device 'PIT' of " + (dir / "vm.xml").string() + " has no state");
}

// --- Model JSON that says two things -----------------------------------------------------------------

TEST(UntrustedInput, DuplicateKeysAndNulInStringsAreRefused) {
  TempDir dir;
  std::string text = read_file(small_model(dir));
  write_file(dir / "dup.json", "{\"cptx_model\":0," + text.substr(1));
  expect_refused(dir, {"encode", (dir / "dup.json").string(), "qemu:" + (dir / "out").string()}, "dup.json",
                 "cptx_model: duplicate key \"cptx_model\"");

  model::Machine m = model::power_on(1, 4096);
  write_file(dir / "ram.bin", std::string(4096, 'x'));
  m.memory.regions[0].backing = model::FileBacking{std::string("ram.bin\0.other", 14), 0, model::Encoding::raw};
  write_file(dir / "nul.json", model::to_json(m).dump());
  expect_refused(dir, {"encode", (dir / "nul.json").string(), "qemu:" + (dir / "out").string()}, "nul.json",
                 "memory.regions[0].backing.path: string contains a NUL byte");
}

// --- Failing writes and signals leave nothing behind -------------------------------------------------

// Every format's writer, on a file size limit (ulimit -f, SIGXFSZ ignored: writes fail with EFBIG as
// on a full disk), names the file it was writing and the system's reason, and leaves no debris.
TEST(UntrustedInput, WriteFailureNamesTheFileAndTheReason) {
  TempDir dir;
  model::Machine m = model::power_on(1, 1 << 20);
  std::string ram(1 << 20, '\0');
  std::mt19937 random(16);
  for (char& c : ram) c = static_cast<char>(random());  // gzip cannot shrink it below the limit
  write_file(dir / "ram.bin", ram);
  m.memory.regions[0].backing = model::FileBacking{"ram.bin", 0, model::Encoding::raw};
  write_file(dir / "m.json", model::to_json(m).dump());
  for (const std::string format : {"qemu", "gem5", "gem5-2011", "palacios"}) {
    SCOPED_TRACE(format);
    const auto before = snapshot(dir.path());
    const fs::path err_file = dir.path().parent_path() / (dir.path().filename().string() + ".err");
    const std::string cmd = "ulimit -f 64; trap '' XFSZ; exec '" + std::string(CPTX_BINARY) + "' encode '" +
                            (dir / "m.json").string() + "' " + format + ":'" + (dir / "out").string() + "' 2>'" +
                            err_file.string() + "'";
    const int status = std::system(cmd.c_str());
    const std::string err = read_file(err_file);
    fs::remove(err_file);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2) << err;
    EXPECT_EQ(err.rfind("cptx: error: ", 0), 0u) << err;
    EXPECT_NE(err.find((dir / "out").string()), std::string::npos) << err;
    EXPECT_NE(err.find("cannot write: File too large"), std::string::npos) << err;
    EXPECT_EQ(snapshot(dir.path()), before);
  }
}

TEST(UntrustedInput, SignalsRemoveTemporaries) {
  TempDir dir;
  const std::string model = small_model(dir, std::uint64_t{2} << 30);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    SCOPED_TRACE(sig);
    const auto before = snapshot(dir.path());
    const std::string out = (dir / "out").string();
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::execl(CPTX_BINARY, CPTX_BINARY, "encode", model.c_str(), ("palacios:" + out).c_str(), "--store", "file",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Signal once the temporary output exists; a 2 GiB image takes far longer to write than this waits.
    bool started = false;
    for (int i = 0; i < 6000 && !started; ++i) {
      for (const auto& e : fs::directory_iterator(dir.path()))
        started = started || e.path().filename().string().starts_with("out.tmp-");
      if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(started);
    ::kill(pid, sig);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << status;
    EXPECT_EQ(snapshot(dir.path()), before);
  }
}

}  // namespace
}  // namespace cptx
