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
 * Kernel command line: steps=<n> (default 30), work=<n> (hash rounds per step, default 300000).
 */
#include <stdint.h>

#include "devices.h"
#include "interrupts.h"
#include "io.h"
#include "serial.h"

struct multiboot_info {
  uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
};

static uint32_t option(const struct multiboot_info* mb, const char* name, uint32_t fallback) {
  if (!(mb->flags & 0x4) || !mb->cmdline) return fallback;
  for (const char* p = (const char*)mb->cmdline; *p; ++p) {
    const char* n = name;
    const char* q = p;
    while (*n && *q == *n) ++q, ++n;
    if (*n || *q != '=' || (p != (const char*)mb->cmdline && p[-1] != ' ')) continue;
    uint32_t v = 0;
    for (++q; *q >= '0' && *q <= '9'; ++q) v = v * 10 + (uint32_t)(*q - '0');
    return v;
  }
  return fallback;
}

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
  interrupts_init();
  devices_init();
  __asm__ volatile("sti");
  put_str("guest: selfcheck steps=");
  put_dec(steps);
  put_str("\n");
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
}
