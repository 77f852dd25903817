// Every field the QEMU codec declares exact survives model → QEMU stream → model.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "codecs/qemu/codec.hpp"
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
  // A port that does not exist has no state to carry.
  for (auto& u : m.uart)
    if (!u.present) u = model::Uart{};
  model::derive(m);
  cptx::testing::TempDir dir;
  Report report;
  qemu_codec.write(m, dir / "m.qemu", {}, report);
  Report back;
  const model::Machine after = qemu_codec.read(dir / "m.qemu", back);
  RC_ASSERT(cptx::testing::describe(cptx::testing::unexcused_differences(m, after, qemu::coverage)) == "");
}

}  // namespace
}  // namespace cptx::qemu
