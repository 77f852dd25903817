#include "interrupts.h"

#include "devices.h"
#include "io.h"
#include "serial.h"

struct ticks ticks;

/* A 32-bit interrupt gate, or in long mode (the gem5 image) a 64-bit one, which adds the upper half of
   the offset (Intel SDM vol. 3, 6.11 and 6.14.1). */
struct gate {
  uint16_t offset_lo, selector;
  uint8_t zero, type;
  uint16_t offset_mid;
#ifdef __x86_64__
  uint32_t offset_hi, reserved;
#endif
} __attribute__((packed));

static struct gate idt[256];
extern const uintptr_t interrupt_stubs[256];

void interrupts_init(void) {
  for (int v = 0; v < 256; ++v) {
    idt[v].offset_lo = (uint16_t)interrupt_stubs[v];
    idt[v].offset_mid = (uint16_t)(interrupt_stubs[v] >> 16);
#ifdef __x86_64__
    idt[v].offset_hi = (uint32_t)(interrupt_stubs[v] >> 32);
#endif
    idt[v].selector = 0x08;
    idt[v].type = 0x8e; /* present, ring 0, interrupt gate */
  }
  struct {
    uint16_t limit;
    uintptr_t base;
  } __attribute__((packed)) idtr = {sizeof idt - 1, (uintptr_t)idt};
  __asm__ volatile("lidt %0" : : "m"(idtr));
}

void interrupt_entry(uint32_t vector);
void interrupt_entry(uint32_t vector) {
  switch (vector) {
    case VEC_PIT:
      ++ticks.pit;
      pic_eoi(0);
      return;
    case VEC_LAPIC_TIMER:
      ++ticks.lapic;
      lapic_eoi();
      return;
    case VEC_RTC:
      ++ticks.rtc;
      rtc_ack();
      lapic_eoi();
      return;
    case VEC_RTC_PIC:
      ++ticks.rtc;
      rtc_ack();
      pic_eoi(8);
      return;
    case VEC_SPURIOUS:
      return;
  }
  if (vector < 32) {
    put_str("guest: exception ");
    put_dec(vector);
    put_str("\n");
    for (;;) __asm__ volatile("cli; hlt");
  }
  ++ticks.unexpected;
  ticks.unexpected_vector = vector;
}
