// Serial ports between machines that have different numbers of them: QEMU's `-machine pc` has the
// ports its command line gives (one, as cptx's QEMU targets have), Palacios always four, gem5 one.
// A stream names only ports its target has; every port left out, or added, is in the report.
#include <gtest/gtest.h>

#include "codecs/palacios/codec.hpp"
#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/codec.hpp"
#include "codecs/qemu/sections.hpp"
#include "model/power_on.hpp"
#include "reports/report.hpp"
#include "tests/support/run.hpp"

namespace cptx::qemu {
namespace {

using cptx::testing::TempDir;

std::size_t findings_about(const Report& report, const std::string& path, Carry carry) {
  std::size_t n = 0;
  for (const auto& f : report.findings()) n += f.path == path && f.carry == carry;
  return n;
}

model::Machine with_four_ports() {
  model::Machine m = model::power_on(1, 16 * model::page_size);
  for (std::size_t i = 0; i < m.uart.size(); ++i) {
    m.uart[i].present = true;
    m.uart[i].scr = static_cast<std::uint8_t>(0x10 + i);
  }
  return m;
}

TEST(QemuSerialPorts, WithoutASkeletonOnlyCom1IsWrittenAndTheOthersAreNamed) {
  TempDir dir;
  Report report;
  qemu_codec.write(with_four_ports(), dir / "out.qemu", {}, report);
  const Stream s = read_stream((dir / "out.qemu").string());
  ASSERT_EQ(s.all("serial").size(), 1u);
  EXPECT_EQ(s.find("serial", 0)->record.get("scr"), 0x10u);
  EXPECT_EQ(findings_about(report, "uart[0]", Carry::none), 0u);
  for (const char* port : {"uart[1]", "uart[2]", "uart[3]"}) EXPECT_EQ(findings_about(report, port, Carry::none), 1u) << port;
}

TEST(QemuSerialPorts, ASkeletonsPortsAreTheTargets) {
  Stream skeleton;
  for (std::uint32_t instance : {0u, 0x2f8u, 0x2e8u})  // COM1, and COM2 and COM4 by their I/O base
    skeleton.sections.push_back({"serial", instance, layout::serial().version, &layout::serial(),
                                 reset_record(layout::serial()), {}, 0});
  const SerialPorts ports = target_serial_ports(&skeleton);
  EXPECT_EQ(ports[0], std::optional<std::uint32_t>(0));
  EXPECT_EQ(ports[1], std::optional<std::uint32_t>(0x2f8));
  EXPECT_EQ(ports[2], std::nullopt);
  EXPECT_EQ(ports[3], std::optional<std::uint32_t>(0x2e8));
  EXPECT_EQ(target_serial_ports(nullptr), (SerialPorts{0u, std::nullopt, std::nullopt, std::nullopt}));
}

TEST(QemuSerialPorts, APortTheStreamLacksReadsAsAbsentAtReset) {
  TempDir dir;
  Report report;
  qemu_codec.write(with_four_ports(), dir / "out.qemu", {}, report);
  Report back;
  const model::Machine m = qemu_codec.read(dir / "out.qemu", back);
  EXPECT_TRUE(m.uart[0].present);
  EXPECT_EQ(m.uart[0].scr, 0x10u);
  for (std::size_t i = 1; i < 4; ++i) EXPECT_EQ(m.uart[i], model::reset_uart(i, false)) << i;
}

// Palacios → QEMU, the path a user tries first: Palacios's four ports, one of which the source had.
TEST(QemuSerialPorts, PalaciosPortsTheSourceLackedAreAddedAtResetThenLeftOutOfQemu) {
  TempDir dir;
  model::Machine m = model::power_on(1, 16 * model::page_size);
  m.uart[0].scr = 0x5a;
  Report to_palacios;
  palacios_codec.write(m, dir / "palacios", {}, to_palacios);
  for (const char* port : {"uart[1]", "uart[2]", "uart[3]"})
    EXPECT_EQ(findings_about(to_palacios, port, Carry::approximated), 1u) << port;
  Report read;
  const model::Machine p = palacios_codec.read(dir / "palacios", read);
  for (std::size_t i = 1; i < 4; ++i) EXPECT_EQ(p.uart[i], model::reset_uart(i, true)) << i;

  Report to_qemu;
  qemu_codec.write(p, dir / "out.qemu", {}, to_qemu);
  const Stream s = read_stream((dir / "out.qemu").string());
  ASSERT_EQ(s.all("serial").size(), 1u);
  EXPECT_EQ(s.find("serial", 0)->record.get("scr"), 0x5au);
  for (const char* port : {"uart[1]", "uart[2]", "uart[3]"}) EXPECT_EQ(findings_about(to_qemu, port, Carry::none), 1u) << port;
}

}  // namespace
}  // namespace cptx::qemu
