#include "serial.h"

#include "io.h"

#define COM1 0x3f8

void put_char(char c) {
  while (!(inb(COM1 + 5) & 0x20)) {  /* LSR: transmitter holding register empty */
  }
  outb(COM1, (uint8_t)c);
}

void put_str(const char* s) {
  while (*s) put_char(*s++);
}

void put_dec(uint32_t v) {
  char buf[11];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) put_char(buf[--n]);
}

void put_hex(uint64_t v, int digits) {
  for (int i = digits - 1; i >= 0; --i) put_char("0123456789abcdef"[(v >> (4 * i)) & 0xf]);
}
