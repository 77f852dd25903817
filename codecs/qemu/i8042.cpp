// pckbd (the i8042), ps2kbd and ps2mouse (spec §5.11). Hand-written rather than a Bind table: the
// controller's state is spread over three sections, optional subsections and queues, and the
// output port has a default when its subsection is absent; the coverage rows are declared beside
// the code (cover_i8042).
#include <fmt/format.h>

#include "codecs/io/error.hpp"
#include "codecs/qemu/devices.hpp"
#include "codecs/qemu/sections.hpp"

namespace cptx::qemu {

namespace {

constexpr std::uint8_t out_reset = 0x01, out_a20 = 0x02, out_obf = 0x10, out_mouse_obf = 0x20;
constexpr std::uint8_t stat_obf = 0x01, stat_mouse_obf = 0x20, mode_translate = 0x40;
constexpr std::uint8_t mouse_enabled_bit = 0x20;
constexpr std::uint32_t obsrc_kbd = 1, obsrc_mouse = 2;
constexpr std::size_t queue_size = 256;
// QEMU keeps at most 16 scan codes queued (ps2_common_post_load).
constexpr std::size_t queue_kept = 16;

model::Bytes load_queue(const Stream& s, const Section& sec) {
  const Record& r = sec.record;
  const auto rptr = r.get_signed("common.queue.rptr", 4), count = r.get_signed("common.queue.count", 4);
  if (count < 0 || count > static_cast<std::int64_t>(queue_size))
    throw InputError({s.path, sec.offset, std::nullopt, sec.idstr}, fmt::format("PS/2 queue count {}", count));
  model::Bytes q;
  for (std::int64_t i = 0; i < count; ++i)
    q.push_back(static_cast<std::uint8_t>(r.get("common.queue.data", static_cast<std::size_t>((rptr + i) & 255))));
  return q;
}

void store_queue(const model::Bytes& q, Record& r, Report& report, const char* path) {
  if (q.size() > queue_kept)
    report.note(path, Carry::approximated, "QEMU keeps only the first 16 queued bytes");
  for (std::size_t i = 0; i < q.size(); ++i) r.set("common.queue.data", q[i], i);
  r.set("common.queue.rptr", 0);
  r.set("common.queue.wptr", q.size() % queue_size);
  r.set("common.queue.count", q.size());
}

}  // namespace

void read_i8042(const Stream& s, model::Machine& m, Report&) {
  const Record& r = need(s, "pckbd", 0, "i8042");
  auto& k = m.i8042;
  k.status = static_cast<std::uint8_t>(r.get("status"));
  k.command_byte = static_cast<std::uint8_t>(r.get("mode"));
  if (const auto cmd = r.get("write_cmd")) k.pending_command = static_cast<std::uint8_t>(cmd);
  if (const Record* o = r.sub("pckbd_outport"))
    k.output_port = static_cast<std::uint8_t>(o->get("outport"));
  else  // kbd_outport_default
    k.output_port = out_reset | out_a20 | ((k.status & stat_obf) ? out_obf : 0) | ((k.status & stat_mouse_obf) ? out_mouse_obf : 0);
  if (const Record* e = r.sub("pckbd/extended_state")) k.output_byte = static_cast<std::uint8_t>(e->get("obdata"));
  if (const Section* kbd = s.find("ps2kbd", 0)) {
    k.keyboard_queue = load_queue(s, *kbd);
    k.keyboard_enabled = kbd->record.get("scan_enabled") != 0;
    const auto set = kbd->record.get("scancode_set");
    k.scancode_set = static_cast<std::uint8_t>(set >= 1 && set <= 3 ? set : 2);
  }
  if (const Section* mouse = s.find("ps2mouse", 0)) {
    k.mouse_queue = load_queue(s, *mouse);
    k.mouse_enabled = mouse->record.get("mouse_status") & mouse_enabled_bit;
  }
}

void write_i8042(const model::Machine& m, const RecordFor& out, Report& report) {
  const auto& k = m.i8042;
  Record& r = out(layout::pckbd(), 0);
  r.set("write_cmd", k.pending_command.value_or(0));
  r.set("status", k.status);
  r.set("mode", k.command_byte);
  r.set("pending_tmp", (k.keyboard_queue.empty() ? 0 : 1) | (k.mouse_queue.empty() ? 0 : 2));
  r.subsections.clear();
  add_subsection(r, layout::pckbd(), "pckbd_outport").set("outport", k.output_port);
  Record& e = add_subsection(r, layout::pckbd(), "pckbd/extended_state");
  e.set("obsrc", (k.status & stat_obf) ? ((k.status & stat_mouse_obf) ? obsrc_mouse : obsrc_kbd) : 0);
  e.set("obdata", k.output_byte);

  Record& kbd = out(layout::ps2kbd(), 0);
  store_queue(k.keyboard_queue, kbd, report, "i8042.keyboard_queue");
  kbd.set("scan_enabled", k.keyboard_enabled);
  kbd.set("translate", (k.command_byte & mode_translate) != 0);
  kbd.set("scancode_set", k.scancode_set);
  kbd.subsections.clear();

  Record& mouse = out(layout::ps2mouse(), 0);
  store_queue(k.mouse_queue, mouse, report, "i8042.mouse_queue");
  const auto status = mouse.get("mouse_status");
  mouse.set("mouse_status", k.mouse_enabled ? (status | mouse_enabled_bit) : (status & ~std::uint64_t{mouse_enabled_bit}));
  mouse.subsections.clear();
}

void cover_i8042(mapping::Coverage& c) {
  using mapping::row, mapping::exact, mapping::approximated;
  static constexpr CoverageRule declared[] = {
      row("i8042", exact("vmstate pckbd, ps2kbd and ps2mouse")),
      row("i8042.pending_command", approximated("a pending command 0x00 reads back as none")),
      row("i8042.keyboard_queue", approximated("QEMU keeps at most 16 queued bytes on load")),
      row("i8042.mouse_queue", approximated("QEMU keeps at most 16 queued bytes on load")),
  };
  c.declare(declared);
}

}  // namespace cptx::qemu
