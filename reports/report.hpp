// A conversion report: for every model field, whether the conversion carried it exactly,
// transformed, approximated, defaulted or not at all, and why. Built from the two codecs' coverage tables, refined by notes
// the codecs add while they run, and ended by the findings about this checkpoint: every field whose
// value the target holds differently, with both values (Report::compare).
#pragma once

#include <string>
#include <vector>

#include "model/json_value.hpp"
#include "model/machine.hpp"
#include "reports/coverage.hpp"

namespace cptx {

// The device a concrete path belongs to, as reports group fields: `cpu[0]`, `pic`, `uart[2]`, `memory`.
std::string_view device_of(std::string_view path);

// A status as the JSON's count keys and the HTML page's filters name it: `not carried` is `not_carried`.
std::string status_key(std::string_view status);

// A value in its JSON form as a person reads it: a plain string without its quotes (`0x4`), anything
// else (numbers, arrays, strings with escapes) as it is.
std::string_view shown_value(std::string_view json);

class Report {
 public:
  struct Row {
    std::string path;  // `cpu[].regs.rax`
    Carry carry = Carry::exact;
    std::string note;
  };

  // One side of a conversion: the checkpoint as the user named it and its format's coverage.
  struct Side {
    std::string text;
    std::string_view format;
    std::span<const CoverageRule> coverage;
  };

  Report() = default;
  // One row per model leaf field; each takes the worse of what the source and the target carry.
  Report(const Side& source, const Side& target);

  // A finding made while translating, about concrete state (`cpu[0].fpu.st[3]`, `uart[2]`): a value
  // rounded, a device the target lacks. Rows keep what the formats declare for a field as a whole;
  // findings say which instances fared worse.
  void note(std::string path, Carry carry, std::string text);

  struct Finding {
    std::string path;
    Carry carry;
    std::string text;
  };

  // A field of this checkpoint that the target holds differently: its value read from the source,
  // its value as the written target reads back, and how the codecs declared the change (exact: they
  // did not, which is a codec's bug).
  struct Change {
    std::string path;  // concrete: `uart[0].divisor`
    std::string source, target;  // the values in their JSON form
    Carry carry;
    std::string note;
    // Its carry's name, or `undeclared` for a change no codec declared.
    std::string_view status() const { return carry == Carry::exact ? "undeclared" : carry_name(carry); }
  };

  // Compares the machine that was written with what the written output reads back as, field by
  // field, RAM bytes aside, and records every change. Returns the changes that neither a row, a
  // finding nor the `target` format's coverage declares; each is also recorded as a finding.
  std::vector<Change> compare(const model::Machine& written, const model::Machine& read_back,
                              std::span<const CoverageRule> target = {});

  const std::string& source() const { return source_; }
  const std::string& target() const { return target_; }
  const std::vector<Row>& rows() const { return rows_; }
  const std::vector<Finding>& findings() const { return findings_; }
  const std::vector<Change>& changes() const { return changes_; }
  // How many concrete fields compare() compared; 0 before it ran.
  std::size_t compared() const { return compared_; }
  // What this conversion did to one concrete field: its row, made worse by any finding about it.
  Carry carry_of(std::string_view concrete_path) const;
  // Why: the findings about it that are not exact, else its rows'.
  std::string note_of(std::string_view concrete_path) const;
  std::size_t count(Carry c) const;
  // How many changes of this conversion were declared `c` (exact: undeclared).
  std::size_t changed(Carry c) const;

  // The report as JSON, `report_version` 3: source, target, counts (of the formats' rows, and of
  // this conversion's fields, per status: exact, transformed, approximated, defaulted, not_carried),
  // fields (the rows), findings, changes (with both values); a carry is named as carry_name says.
  model::Json to_json() const;
  // A few lines for a terminal: the counts of the formats' rows and of this checkpoint's fields, then
  // every field the target holds differently, grouped by device, with both values and why. `colour`
  // marks the statuses and devices with ANSI escapes.
  std::string summary(bool colour = false) const;

 private:
  std::string source_, target_;
  std::vector<Row> rows_;
  std::vector<Finding> findings_;
  std::vector<Change> changes_;
  std::size_t compared_ = 0;
};

}  // namespace cptx
