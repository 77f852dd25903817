/* A guest that checks it survived being moved.
 *
 * It programs every device the cptx model holds with distinctive values (devices.c), then runs a
 * deterministic hash chain. After every step it re-reads the devices, makes sure each timer it
 * started (PIT channel 0, local APIC timer, RTC periodic interrupt through the IOAPIC) has fired
 * since the previous step, and prints one line to COM1:
 *
 *   step <n> sum <16 hex digits> ok
 *   step <n> sum <16 hex digits> FAIL <model path> = 0x<value>, want 0x<expected> [FAIL ...]
 *
 * naming, by its path in the cptx machine model, every register that lost its value, or the timer
 * whose interrupts stopped (`pit.channel[0]`, `cpu[0].lapic.timer`, `rtc`).
 * and at the end `done sum <16 hex digits>`. The sums depend only on the step count, so a run that is
 * checkpointed, translated and resumed must print exactly the lines of an uninterrupted run.
 * Kernel command line: steps=<n> (default 30), work=<n> (hash rounds per step, default 300000), and
 * platform=gem5 on gem5, which models less of the PC's devices (devices.c) and is left at the end.
 */
#include <stdint.h>

#include "devices.h"
#include "interrupts.h"
#include "io.h"
#include "serial.h"

struct multiboot_info {
  uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

/* The value of `name=` on the command line, or 0 when it is not there. */
static const char* option_value(const struct multiboot_info* mb, const char* name) {
  if (!(mb->flags & 0x4) || !mb->cmdline) return 0;
  const char* const line = (const char*)(uintptr_t)mb->cmdline;
  for (const char* p = line; *p; ++p) {
    const char* n = name;
    const char* q = p;
    while (*n && *q == *n) ++q, ++n;
    if (*n || *q != '=' || (p != line && p[-1] != ' ')) continue;
    return q + 1;
  }
  return 0;
}

static uint32_t option(const struct multiboot_info* mb, const char* name, uint32_t fallback) {
  const char* q = option_value(mb, name);
  if (!q) return fallback;
  uint32_t v = 0;
  for (; *q >= '0' && *q <= '9'; ++q) v = v * 10 + (uint32_t)(*q - '0');
  return v;
}

static int option_is(const struct multiboot_info* mb, const char* name, const char* word) {
  const char* q = option_value(mb, name);
  if (!q) return 0;
  while (*word && *q == *word) ++q, ++word;
  return !*word && (*q == ' ' || !*q);
}

/* gem5's m5 exit pseudo-instruction (opcode 0f 04, function 0x21, delay in RDI), which ends the
   simulation; nothing else would, as the timers keep gem5's event queue busy. */
static void gem5_exit(void) { __asm__ volatile(".byte 0x0f, 0x04\n.word 0x21" : : "D"(0) : "memory"); }

static uint64_t mix(uint64_t x) { /* splitmix64 finaliser */
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* Waits until every timer has fired since `seen`, or reports the one that did not. A dead timer
   must not hang the guest, so the wait is bounded by the TSC (which TCG derives from host time). */
static int wait_for_timers(struct ticks* seen) {
  const uint64_t start = rdtsc();
  while (ticks.pit < seen->pit + 2 || ticks.lapic == seen->lapic || ticks.rtc == seen->rtc) {
    if (rdtsc() - start > 500000000ull) break; /* about 0.2 s: ten times what two PIT ticks take */
    __asm__ volatile("pause");
  }
  int failures = 0;
  const struct {
    int stopped;
    const char* path;
  } timers[] = {{ticks.pit < seen->pit + 2, "pit.channel[0]"},
                {ticks.lapic == seen->lapic, "cpu[0].lapic.timer"},
                {ticks.rtc == seen->rtc, "rtc"}};
  for (unsigned i = 0; i < sizeof timers / sizeof timers[0]; ++i)
    if (timers[i].stopped) {
      put_str(" FAIL ");
      put_str(timers[i].path);
      put_str(" interrupts stopped");
      ++failures;
    }
  seen->pit = ticks.pit;
  seen->lapic = ticks.lapic;
  seen->rtc = ticks.rtc;
  return failures;
}

void guest_main(const struct multiboot_info* mb);
void guest_main(const struct multiboot_info* mb) {
  const uint32_t steps = option(mb, "steps", 30);
  const uint32_t work = option(mb, "work", 300000);
  const int gem5 = option_is(mb, "platform", "gem5");
  interrupts_init();
  devices_init(gem5);
  __asm__ volatile("sti");
  put_str("guest: selfcheck steps=");
  put_dec(steps);
  put_str(gem5 ? " platform=gem5\n" : "\n");
  devices_announce();

  uint64_t sum = 0;
  struct ticks seen = ticks;
  for (uint32_t step = 1; step <= steps; ++step) {
    for (uint32_t i = 0; i < work; ++i) sum = mix(sum ^ ((uint64_t)step << 32 | i));
    put_str("step ");
    put_dec(step);
    put_str(" sum ");
    put_hex(sum, 16);
    int failed = wait_for_timers(&seen);
    failed += devices_check();
    if (ticks.unexpected) {
      put_str(" FAIL interrupt on unexpected vector 0x");
      put_hex(ticks.unexpected_vector, 2);
      ticks.unexpected = 0;
      ++failed;
    }
    put_str(failed ? "\n" : " ok\n");
  }
  put_str("done sum ");
  put_hex(sum, 16);
  put_str("\n");
  if (gem5) gem5_exit();
}
