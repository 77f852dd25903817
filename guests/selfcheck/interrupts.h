/* The IDT and what the interrupt sources have done so far. */
#pragma once
#include <stdint.h>

#define VEC_PIT 0x20      /* PIT channel 0 through the master PIC (vector base 0x20) */
#define VEC_LAPIC_TIMER 0x30
#define VEC_RTC 0x48      /* RTC periodic interrupt through IOAPIC pin 8 */
#define VEC_RTC_PIC 0x28  /* the same through the slave PIC (IRQ8), the only way gem5 delivers it */
#define VEC_SPURIOUS 0xff

struct ticks {
  volatile uint32_t pit, lapic, rtc;
  volatile uint32_t unexpected;        /* interrupts on any other vector */
  volatile uint32_t unexpected_vector; /* the last such vector */
};
extern struct ticks ticks;

void interrupts_init(void);
