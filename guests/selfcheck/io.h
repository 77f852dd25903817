/* Port and memory-mapped I/O. */
#pragma once
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
  uint8_t v;
  __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
  return v;
}
static inline void mmio_write(uint32_t addr, uint32_t v) { *(volatile uint32_t*)(uintptr_t)addr = v; }
static inline uint32_t mmio_read(uint32_t addr) { return *(volatile uint32_t*)(uintptr_t)addr; }
static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (uint64_t)hi << 32 | lo;
}
