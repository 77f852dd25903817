// Every field the QEMU codec declares exact survives model → QEMU stream → model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "codecs/qemu/codec.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/support/arbitrary.hpp"
#include "tests/support/coverage_diff.hpp"
#include "tests/support/run.hpp"

namespace cptx::qemu {
namespace {

RC_GTEST_PROP(QemuRoundTrip, EveryExactFieldSurvives, (model::Machine m)) {
  // QEMU's VM clock is a signed 64-bit nanosecond count.
  m.platform.time.guest_ns &= (std::uint64_t{1} << 62) - 1;
  // RAM is covered by the stream tests; a few zero pages keep each case fast.
  m.memory.regions = {{0, 16 * model::page_size, std::nullopt}};
  // A port that does not exist has no state to carry: it reads as absent at reset.
  for (std::size_t i = 0; i < m.uart.size(); ++i)
    if (!m.uart[i].present) m.uart[i] = model::reset_uart(i, false);
  model::derive(m);
  cptx::testing::TempDir dir;
  Report report;
  qemu_codec.write(m, dir / "m.qemu", {}, report);
  Report back;
  const model::Machine after = qemu_codec.read(dir / "m.qemu", back);
  // The ports the target lacks (all but COM1) are in the report.
  RC_ASSERT(cptx::testing::describe(cptx::testing::unexcused_differences(m, after, qemu::coverage, report)) == "");
}

}  // namespace
}  // namespace cptx::qemu
