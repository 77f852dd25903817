#include "devices.h"

#include "interrupts.h"
#include "io.h"
#include "serial.h"

/* The values below are chosen to differ from every reset and firmware default, so a conversion that
   drops a register shows up as a difference.

   gem5 (v24) models less of these devices than a PC has. On it the guest skips what gem5 would stop
   on or silently drop, and leaves those paths out of its announcement (`checked` below):
   - pic.slave.elcr: gem5 has no ELCR; port 0x4d1 reads 0 and drops writes.
   - pit.channel[n].access/mode/bcd: gem5 panics on a read-back that latches the status byte, and on
     channel 2's mode 1 and BCD counting; channel 2 is not programmed and its gate is not dropped (gem5
     warns that the gate is always on).
   - uart[0].mcr: gem5 drops MCR writes other than its loopback probe. uart[0].scr reads as zero.
   - The RTC's periodic rate: gem5 panics on any but 1024 Hz, so register A keeps its reset value.
   - Routing: gem5 wires the master PIC's output to IOAPIC pin 0 (LINT0 is not connected) and the RTC
     only to the slave PIC's IRQ8, so pin 0 takes the PIC as ExtINT (ioapic.redirection[0], checked
     there only) and the slave PIC lets IRQ8 through (vector VEC_RTC_PIC). */
#define PIC1 0x20
#define PIC2 0xa0
#define PIC1_IMR 0xfa /* only IRQ0 (PIT) and IRQ2 (cascade) */
#define PIC2_IMR 0xdf /* only IRQ13, which nothing raises */
#define PIC2_IMR_GEM5 0xde /* and IRQ8, the RTC */
#define PIC2_ELCR 0x0a

#define PIT_CH0_COUNT 0x2e9c /* 100 Hz */
#define PIT_CH2_COUNT 0x5000 /* BCD: 5000 clocks */

#define COM1 0x3f8
#define UART_DIVISOR 0x0003
#define UART_LCR 0x03
#define UART_IER 0x05
#define UART_MCR 0x0b
#define UART_SCR 0x5a

#define LAPIC 0xfee00000u
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_LDR 0x0d0
#define LAPIC_DFR 0x0e0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF 0x340
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LAPIC_TIMER_COUNT 100000u

#define IOAPIC 0xfec00000u
#define IOAPIC_ID 0x0b

#define CMOS_PATTERN_START 0x40
#define CMOS_PATTERN_LEN 16
#define RTC_REG_A 0x2b /* 32.768 kHz base, 128 Hz periodic rate */
#define RTC_REG_A_GEM5 0x26 /* 1024 Hz, its reset value and the only rate gem5 implements */
#define RTC_REG_B 0x42 /* periodic interrupt, 24-hour, BCD */

static uint32_t lapic_read(uint32_t reg) { return mmio_read(LAPIC + reg); }
static void lapic_write(uint32_t reg, uint32_t v) { mmio_write(LAPIC + reg, v); }
static uint32_t ioapic_read(uint8_t reg) {
  mmio_write(IOAPIC, reg);
  return mmio_read(IOAPIC + 0x10);
}
static void ioapic_write(uint8_t reg, uint32_t v) {
  mmio_write(IOAPIC, reg);
  mmio_write(IOAPIC + 0x10, v);
}
static uint8_t cmos_read(uint8_t index) {
  outb(0x70, index);
  return inb(0x71);
}
static void cmos_write(uint8_t index, uint8_t v) {
  outb(0x70, index);
  outb(0x71, v);
}

/* IOAPIC routes: pin 8 (RTC) delivers; the others are masked but distinctive (low word, high word).
   On gem5, pin 0 also takes the master PIC as ExtINT to processor 0; it comes last, so it is left out
   elsewhere by counting. */
static const struct route {
  uint8_t pin;
  uint32_t lo, hi;
} routes[] = {
    {1, 0x00010041, 0x00000000}, {4, 0x00010044, 0x00000000}, {8, 0x00000000 | VEC_RTC, 0x00000000},
    {9, 0x0001a049, 0x0f000000}, {12, 0x0001004c, 0x00000000}, {0, 0x00000700, 0x00000000},
};

static int gem5;
static uint8_t pic2_imr, rtc_reg_a;
static unsigned route_count;

void devices_init(int on_gem5) {
  gem5 = on_gem5;
  pic2_imr = gem5 ? PIC2_IMR_GEM5 : PIC2_IMR;
  rtc_reg_a = gem5 ? RTC_REG_A_GEM5 : RTC_REG_A;
  route_count = sizeof routes / sizeof routes[0] - (gem5 ? 0 : 1);

  /* 8259A pair: vector bases 0x20/0x28, cascade on IRQ2, 8086 mode. */
  outb(PIC1, 0x11);
  outb(PIC2, 0x11);
  outb(PIC1 + 1, 0x20);
  outb(PIC2 + 1, 0x28);
  outb(PIC1 + 1, 0x04);
  outb(PIC2 + 1, 0x02);
  outb(PIC1 + 1, 0x01);
  outb(PIC2 + 1, 0x01);
  outb(PIC1 + 1, PIC1_IMR);
  outb(PIC2 + 1, pic2_imr);
  if (!gem5) outb(0x4d1, PIC2_ELCR);

  /* 8254: channel 0 rate generator, channel 2 hardware one-shot started by its gate (port 0x61). */
  outb(0x43, 0x34);
  outb(0x40, PIT_CH0_COUNT & 0xff);
  outb(0x40, PIT_CH0_COUNT >> 8);
  if (!gem5) {
    outb(0x61, (uint8_t)(inb(0x61) & ~0x03));
    outb(0x43, 0xb3); /* channel 2, word access, mode 1, BCD */
    outb(0x42, PIT_CH2_COUNT & 0xff);
    outb(0x42, PIT_CH2_COUNT >> 8);
  }
  outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));

  /* 16550: divisor, line and modem control, interrupt enables (its IRQ stays masked), scratch. */
  outb(COM1 + 3, 0x80);
  outb(COM1 + 0, UART_DIVISOR & 0xff);
  outb(COM1 + 1, UART_DIVISOR >> 8);
  outb(COM1 + 3, UART_LCR);
  outb(COM1 + 1, UART_IER);
  if (!gem5) {
    outb(COM1 + 4, UART_MCR);
    outb(COM1 + 7, UART_SCR);
  }

  /* CMOS NVRAM pattern and the RTC periodic interrupt. */
  for (uint8_t i = 0; i < CMOS_PATTERN_LEN; ++i) cmos_write(CMOS_PATTERN_START + i, (uint8_t)(0xa0 + i));
  if (!gem5) cmos_write(0x0a, RTC_REG_A);
  cmos_write(0x0b, RTC_REG_B);
  rtc_ack();

  /* Local APIC: enabled, flat logical id 2, LINT0 takes the PIC (ExtINT), periodic timer. */
  lapic_write(LAPIC_SVR, 0x100 | VEC_SPURIOUS);
  lapic_write(LAPIC_TPR, 0x10);
  lapic_write(LAPIC_DFR, 0xffffffff);
  lapic_write(LAPIC_LDR, 0x02000000);
  lapic_write(LAPIC_LVT_THERMAL, 0x1003b);
  lapic_write(LAPIC_LVT_PERF, 0x1003c);
  lapic_write(LAPIC_LVT_LINT0, 0x00700);
  lapic_write(LAPIC_LVT_LINT1, 0x00400);
  lapic_write(LAPIC_LVT_ERROR, 0x1003e);
  lapic_write(LAPIC_TIMER_DIVIDE, 0x3);
  lapic_write(LAPIC_LVT_TIMER, 0x20000 | VEC_LAPIC_TIMER);
  lapic_write(LAPIC_TIMER_INITIAL, LAPIC_TIMER_COUNT);

  /* IOAPIC: its id and the routes above. */
  ioapic_write(0x00, (uint32_t)IOAPIC_ID << 24);
  for (unsigned i = 0; i < route_count; ++i) {
    ioapic_write((uint8_t)(0x10 + 2 * routes[i].pin + 1), routes[i].hi);
    ioapic_write((uint8_t)(0x10 + 2 * routes[i].pin), routes[i].lo);
  }
}

void pic_eoi(uint8_t irq) {
  if (irq >= 8) outb(PIC2, 0x20);
  outb(PIC1, 0x20);
}
void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }
void rtc_ack(void) { (void)cmos_read(0x0c); }

/* Every check that fails prints " FAIL <model path> = 0x<value>, want 0x<expected>"; paths are the
   cptx model's, so a report of what a conversion did not carry can be matched against them. */
static int failures;

static void check(const char* path, uint32_t got, uint32_t want) {
  if (got == want) return;
  ++failures;
  put_str(" FAIL ");
  put_str(path);
  put_str(" = 0x");
  put_hex(got, 8);
  put_str(", want 0x");
  put_hex(want, 8);
}

static uint8_t pit_status(uint8_t channel) {
  outb(0x43, (uint8_t)(0xe0 | (2 << channel))); /* read-back: latch status only */
  return inb((uint16_t)(0x40 + channel));
}

static uint16_t pit_count(uint8_t channel) {
  outb(0x43, (uint8_t)(channel << 6)); /* counter latch */
  const uint8_t lo = inb((uint16_t)(0x40 + channel));
  return (uint16_t)(lo | inb((uint16_t)(0x40 + channel)) << 8);
}

static uint8_t uart_divisor_byte(uint8_t reg) {
  outb(COM1 + 3, 0x80 | UART_LCR);
  const uint8_t v = inb((uint16_t)(COM1 + reg));
  outb(COM1 + 3, UART_LCR);
  return v;
}

/* Status byte of a read-back: bits 5:4 access, 3:1 mode, 0 BCD (OUT and null count are live). */
static void check_pit_status(uint8_t channel, const char* const paths[3], uint8_t want) {
  const uint8_t got = pit_status(channel);
  check(paths[0], got >> 4 & 3, want >> 4 & 3);
  check(paths[1], got >> 1 & 7, want >> 1 & 7);
  check(paths[2], got & 1, want & 1);
}

/* Announced at boot, so that an oracle knows what the guest can see. A leading '~' marks a check that
   can miss a lost value: an inequality on a running counter, or a value that equals a reset default,
   so its failure is a sign, not a proof. `on` says where the guest checks it. */
enum { EVERYWHERE, NOT_GEM5, GEM5_ONLY };
static const struct {
  const char* path;
  uint8_t on;
} checked[] = {
    {"pic.master.imr", EVERYWHERE},
    {"pic.slave.imr", EVERYWHERE},
    {"pic.slave.elcr", NOT_GEM5},
    {"pit.channel[0].access", NOT_GEM5},
    {"pit.channel[0].mode", NOT_GEM5},
    {"~pit.channel[0].bcd", NOT_GEM5},
    {"~pit.channel[0].reload", EVERYWHERE},
    {"pit.channel[2].access", NOT_GEM5},
    {"pit.channel[2].mode", NOT_GEM5},
    {"pit.channel[2].bcd", NOT_GEM5},
    {"pit.channel[2].gate", EVERYWHERE},
    {"~pit.speaker_data", EVERYWHERE},
    {"uart[0].divisor", EVERYWHERE},
    {"uart[0].lcr", EVERYWHERE},
    {"uart[0].ier", EVERYWHERE},
    {"uart[0].mcr", NOT_GEM5},
    {"uart[0].scr", NOT_GEM5},
    {"rtc.cmos", EVERYWHERE},
    {"cpu[0].lapic.svr", EVERYWHERE},
    {"cpu[0].lapic.tpr", EVERYWHERE},
    {"~cpu[0].lapic.dfr", EVERYWHERE},
    {"cpu[0].lapic.ldr", EVERYWHERE},
    {"cpu[0].lapic.lvt.timer", EVERYWHERE},
    {"cpu[0].lapic.lvt.thermal", EVERYWHERE},
    {"cpu[0].lapic.lvt.perf", EVERYWHERE},
    {"cpu[0].lapic.lvt.lint0", EVERYWHERE},
    {"cpu[0].lapic.lvt.lint1", EVERYWHERE},
    {"cpu[0].lapic.lvt.error", EVERYWHERE},
    {"cpu[0].lapic.timer.divide", EVERYWHERE},
    {"cpu[0].lapic.timer.initial_count", EVERYWHERE},
    {"~cpu[0].lapic.timer.current_count", EVERYWHERE},
    {"ioapic.id", EVERYWHERE},
    {"ioapic.redirection[0]", GEM5_ONLY},
    {"ioapic.redirection[1]", EVERYWHERE},
    {"ioapic.redirection[4]", EVERYWHERE},
    {"ioapic.redirection[8]", EVERYWHERE},
    {"ioapic.redirection[9]", EVERYWHERE},
    {"ioapic.redirection[12]", EVERYWHERE},
};

void devices_announce(void) {
  put_str("guest: checks");
  for (unsigned i = 0; i < sizeof checked / sizeof checked[0]; ++i) {
    if (checked[i].on == (gem5 ? NOT_GEM5 : GEM5_ONLY)) continue;
    put_char(' ');
    put_str(checked[i].path);
  }
  put_str("\n");
}

int devices_check(void) {
  failures = 0;
  check("pic.master.imr", inb(PIC1 + 1), PIC1_IMR);
  check("pic.slave.imr", inb(PIC2 + 1), pic2_imr);
  if (!gem5) {
    check("pic.slave.elcr", inb(0x4d1), PIC2_ELCR);
    static const char* const ch0[3] = {"pit.channel[0].access", "pit.channel[0].mode", "pit.channel[0].bcd"};
    static const char* const ch2[3] = {"pit.channel[2].access", "pit.channel[2].mode", "pit.channel[2].bcd"};
    check_pit_status(0, ch0, 0x34);
    check_pit_status(2, ch2, 0x33);
  }
  /* a count above the programmed one means the reload value was lost */
  const uint16_t count0 = pit_count(0);
  check("pit.channel[0].reload", count0 > PIT_CH0_COUNT ? count0 : PIT_CH0_COUNT, PIT_CH0_COUNT);
  check("pit.channel[2].gate", inb(0x61) & 0x01, 0x01);
  check("pit.speaker_data", inb(0x61) & 0x02, 0x00);

  check("uart[0].divisor", (uint32_t)uart_divisor_byte(0) | (uint32_t)uart_divisor_byte(1) << 8, UART_DIVISOR);
  check("uart[0].lcr", inb(COM1 + 3), UART_LCR);
  check("uart[0].ier", inb(COM1 + 1), UART_IER);
  if (!gem5) {
    check("uart[0].mcr", inb(COM1 + 4), UART_MCR);
    check("uart[0].scr", inb(COM1 + 7), UART_SCR);
  }

  uint8_t wrong = 0;
  for (uint8_t i = 0; i < CMOS_PATTERN_LEN && !wrong; ++i)
    if (cmos_read(CMOS_PATTERN_START + i) != 0xa0 + i) wrong = (uint8_t)(CMOS_PATTERN_START + i);
  if (wrong) check("rtc.cmos", cmos_read(wrong), 0xa0u + (wrong - CMOS_PATTERN_START));
  check("rtc.cmos", cmos_read(0x0a) & 0x7f, rtc_reg_a);
  check("rtc.cmos", cmos_read(0x0b), RTC_REG_B);

  check("cpu[0].lapic.svr", lapic_read(LAPIC_SVR), 0x100 | VEC_SPURIOUS);
  check("cpu[0].lapic.tpr", lapic_read(LAPIC_TPR), 0x10);
  check("cpu[0].lapic.dfr", lapic_read(LAPIC_DFR), 0xffffffff);
  check("cpu[0].lapic.ldr", lapic_read(LAPIC_LDR), 0x02000000);
  check("cpu[0].lapic.lvt.timer", lapic_read(LAPIC_LVT_TIMER), 0x20000 | VEC_LAPIC_TIMER);
  check("cpu[0].lapic.lvt.thermal", lapic_read(LAPIC_LVT_THERMAL), 0x1003b);
  check("cpu[0].lapic.lvt.perf", lapic_read(LAPIC_LVT_PERF), 0x1003c);
  check("cpu[0].lapic.lvt.lint0", lapic_read(LAPIC_LVT_LINT0), 0x00700);
  check("cpu[0].lapic.lvt.lint1", lapic_read(LAPIC_LVT_LINT1), 0x00400);
  check("cpu[0].lapic.lvt.error", lapic_read(LAPIC_LVT_ERROR), 0x1003e);
  check("cpu[0].lapic.timer.divide", lapic_read(LAPIC_TIMER_DIVIDE), 0x3);
  check("cpu[0].lapic.timer.initial_count", lapic_read(LAPIC_TIMER_INITIAL), LAPIC_TIMER_COUNT);
  const uint32_t current = lapic_read(LAPIC_TIMER_CURRENT);
  check("cpu[0].lapic.timer.current_count", current > LAPIC_TIMER_COUNT ? current : LAPIC_TIMER_COUNT,
        LAPIC_TIMER_COUNT);

  check("ioapic.id", ioapic_read(0x00) >> 24 & 0x0f, IOAPIC_ID);
  static const char* const pin_paths[] = {[0] = "ioapic.redirection[0]", [1] = "ioapic.redirection[1]",
                                          [4] = "ioapic.redirection[4]", [8] = "ioapic.redirection[8]",
                                          [9] = "ioapic.redirection[9]", [12] = "ioapic.redirection[12]"};
  for (unsigned i = 0; i < route_count; ++i) {
    const uint8_t pin = routes[i].pin;
    /* remote IRR and delivery status (bits 14, 12) are live */
    check(pin_paths[pin], ioapic_read((uint8_t)(0x10 + 2 * pin)) & ~0x5000u, routes[i].lo);
    check(pin_paths[pin], ioapic_read((uint8_t)(0x10 + 2 * pin + 1)), routes[i].hi);
  }
  return failures;
}
