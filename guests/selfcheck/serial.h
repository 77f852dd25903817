/* Polled output on COM1. */
#pragma once
#include <stdint.h>

void put_char(char c);
void put_str(const char* s);
void put_dec(uint32_t v);
void put_hex(uint64_t v, int digits);
