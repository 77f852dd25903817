// The three forms of a conversion report name the same fields for the sources the corpus holds no
// checkpoint of (the corpus checkpoints themselves are checked into every format by
// corpus_verify_tests): Palacios and gem5 2011 checkpoints made from the corpus's QEMU snapshot and
// gem5 checkpoint, and a model document, each converted into every format; the terminal summary, the
// JSON report and the HTML page list the same changed fields with the same statuses.
#include <gtest/gtest.h>

#include <optional>

#include "model/json.hpp"
#include "tests/corpus/pairs.hpp"
#include "tests/reports/forms.hpp"

namespace cptx::testing {
namespace {

namespace fs = std::filesystem;

const fs::path corpus = fs::path(CPTX_SOURCE_DIR) / "corpus";
const fs::path selfcheck_xml = corpus / "pairs/selfcheck/palacios.xml";

struct Source {
  std::string name;
  std::string checkpoint;           // FORMAT:PATH, or the one this source is made from
  std::optional<std::string> made;  // the format it is converted into first
};

const Source sources[] = {
    {"gem5_2011", "gem5:" + (corpus / "gem5/selfcheck-32M/cpt.40000000500").string(), "gem5-2011"},
    {"palacios", "qemu:" + (corpus / "pairs/selfcheck/step5.qemu").string(), "palacios"},
    {"json", "json:" + (corpus / "models/poweron-2cpu-128M.json").string(), {}},
};

void PrintTo(const Source& s, std::ostream* os) { *os << s.name; }

// The options for a side that is Palacios: the selfcheck pair's VM XML, and on output the file store
// (the textfile store spells RAM out in hex, at twice the size and time; the chain tests take it).
std::vector<std::string> palacios_options(const std::string& format, const std::string& side, bool selfcheck) {
  if (format != "palacios") return {};
  std::vector<std::string> out;
  if (selfcheck) out = {"--" + side + "-config", selfcheck_xml.string()};
  if (side == "target") out.insert(out.end(), {"--store", "file"});
  return out;
}

class ReportForms : public ::testing::TestWithParam<Source> {};

TEST_P(ReportForms, NameTheSameChangedFieldsInEveryTargetFormat) {
  const Source& s = GetParam();
  const bool selfcheck = s.name != "json";
  TempDir dir;
  std::string source = s.checkpoint;
  if (s.made) {
    source = *s.made + ":" + (dir / "source").string();
    std::vector<std::string> args = {"convert", s.checkpoint, source, "--quiet"};
    for (const auto& a : palacios_options(*s.made, "target", selfcheck)) args.push_back(a);
    const auto r = run_cptx(args);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  const std::string source_format = source.substr(0, source.find(':'));
  std::size_t changed = 0;
  for (const char* format : {"json", "palacios", "gem5", "gem5-2011", "qemu"}) {
    SCOPED_TRACE(std::string(format));
    const fs::path out = dir / (std::string("out-") + format);
    std::vector<std::string> args = {"convert", source, std::string(format) + ":" + out.string(), "--report-json",
                                     (dir / (out.filename().string() + ".json")).string(), "--report-html",
                                     (dir / (out.filename().string() + ".html")).string()};
    for (const auto& a : palacios_options(source_format, "input", selfcheck)) args.push_back(a);
    for (const auto& a : palacios_options(format, "target", selfcheck)) args.push_back(a);
    const auto r = run_cptx(args);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err.find('\033'), std::string::npos) << "plain text into a pipe";
    const auto json = changed_in_json(model::Json::parse(read_file(dir / (out.filename().string() + ".json"))));
    EXPECT_EQ(changed_in_summary(r.err), json) << r.err;
    EXPECT_EQ(changed_in_html(read_file(dir / (out.filename().string() + ".html"))), json);
    changed += json.size();
  }
  EXPECT_GT(changed, 0u) << "some target holds some field of this checkpoint differently";
}

INSTANTIATE_TEST_SUITE_P(Corpus, ReportForms, ::testing::ValuesIn(sources),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace cptx::testing
