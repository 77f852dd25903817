// A conversion report: for every model field, whether the conversion carried it exactly,
// approximately or not at all, and why. Built from the two codecs' coverage tables, then refined
// by notes the codecs add while they run.
#pragma once

#include <string>
#include <vector>

#include "reports/coverage.hpp"
#include "model/json_value.hpp"

namespace cptx {

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

  const std::vector<Row>& rows() const { return rows_; }
  const std::vector<Finding>& findings() const { return findings_; }
  // What this conversion did to one concrete field: its row, made worse by any finding about it.
  Carry carry_of(std::string_view concrete_path) const;
  std::size_t count(Carry c) const;

  model::Json to_json() const;
  // A few lines for a terminal: counts, then the fields not carried exactly.
  std::string summary(std::size_t max_rows = 12) const;

 private:
  std::string source_, target_;
  std::vector<Row> rows_;
  std::vector<Finding> findings_;
};

}  // namespace cptx
