/* Programs every device the machine model holds with distinctive values, and checks them again. */
#pragma once
#include <stdint.h>

void devices_init(void);
/* Prints "guest: checks <model path>..." listing everything devices_check looks at. */
void devices_announce(void);
void pic_eoi(void);
void lapic_eoi(void);
void rtc_ack(void);

/* Re-reads every programmed register and prints " FAIL <model path> = 0x<value>, want 0x<expected>"
   for each that lost its value; returns how many did. */
int devices_check(void);
