/* Sleeping on the CLINT timer. */
#include "runtime.h"

#define MTIME ((volatile uint64_t *)0x0200bff8ul)
#define MTIMECMP ((volatile uint64_t *)0x02004000ul) /* hart 0 */
#define MIE_MTIE (1ul << 7)
#define MSTATUS_MIE (1ul << 3)
#define DEFAULT_FREQ 10000000ull /* the virt board's timebase */

uint64_t timer_now(void)
{
	return *MTIME;
}

uint64_t timer_freq(void)
{
	static uint64_t freq;
	if (freq == 0) {
		uint32_t len;
		const void *p = fdt_prop("/cpus", "timebase-frequency", &len);
		freq = p && (len == 4 || len == 8) ? fdt_cells(p, len / 4) : 0;
		if (freq == 0)
			freq = DEFAULT_FREQ;
	}
	return freq;
}

void timer_interrupt(void)
{
	/* Disarm: the pending bit stays set until mtimecmp moves past mtime, and mret re-enables
	 * interrupts, so leaving it armed would trap again at once. */
	*MTIMECMP = UINT64_MAX;
}

/*
 * Interrupts are enabled only for a moment after each WFI, never while the guest computes:
 * checking the deadline and going to sleep cannot race with the interrupt (WFI wakes on a
 * pending interrupt even while mstatus.MIE is clear), and the interrupt is taken at the same
 * point of the program on every run.
 */
void timer_sleep_until(uint64_t deadline)
{
	*MTIMECMP = deadline;
	__asm__ volatile("csrs mie, %0" ::"r"(MIE_MTIE));
	while (timer_now() < deadline) {
		__asm__ volatile("wfi");
		__asm__ volatile("csrs mstatus, %0\n\tcsrc mstatus, %0" ::"r"(MSTATUS_MIE) : "memory");
	}
	__asm__ volatile("csrc mie, %0" ::"r"(MIE_MTIE));
	*MTIMECMP = UINT64_MAX;
}

void ticker_start(struct ticker *t, uint64_t period_us)
{
	t->period = period_us * timer_freq() / 1000000;
	if (t->period == 0)
		t->period = 1;
	t->next = timer_now();
}

void ticker_wait(struct ticker *t)
{
	t->next += t->period;
	timer_sleep_until(t->next);
}
