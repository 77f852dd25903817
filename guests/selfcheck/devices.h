/* Programs every device the machine model holds with distinctive values, and checks them again. */
#pragma once
#include <stdint.h>

void devices_init(void);
void pic_eoi(void);
void lapic_eoi(void);
void rtc_ack(void);

/* Re-reads every programmed register. Returns 0 if all hold their values; otherwise prints
   " FAIL <register> = <value>, want <expected>" for the first that does not and returns 1. */
int devices_check(void);
