/* Programs every device the machine model holds with distinctive values, and checks them again. */
#pragma once
#include <stdint.h>

/* `gem5`: program only what gem5 implements and deliver the timers the way it wires them (devices.c). */
void devices_init(int gem5);
/* Prints "guest: checks <model path>..." listing everything devices_check looks at. */
void devices_announce(void);
/* End of interrupt for `irq` (0-15) at the PIC(s) that delivered it. */
void pic_eoi(uint8_t irq);
void lapic_eoi(void);
void rtc_ack(void);

/* Re-reads every programmed register and prints " FAIL <model path> = 0x<value>, want 0x<expected>"
   for each that lost its value; returns how many did. */
int devices_check(void);
