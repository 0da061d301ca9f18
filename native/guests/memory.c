/*
 * Dirties a working set at a fixed rate, for live-migration experiments: each timer tick it
 * rewrites `rate` pages (sweeping the working set in order, wrapping around), then sleeps
 * until the next tick. Every `report` ticks it checks every word of the working set against
 * the value it must hold and prints a checksum, so a migration that loses or corrupts a page
 * is caught by the guest itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include "runtime.h"

#include "memory_work.h"

#define DEFAULT_RAM_END (0x80000000ull + (128ull << 20))

extern char __stack[]; /* end of the image's RAM region (see the Makefile's layout) */

static void memory_work_mismatch(const uint64_t *at, uint64_t expect)
{
	printf("memory: self-check failed at 0x%lx: expected %016lx, found %016lx\n",
	       (uint64_t)(uintptr_t)at, expect, *at);
	exit(EXIT_SELF_CHECK);
}

/* Free RAM for the working set: from the end of the image to the end of RAM or to the
 * device tree, whichever comes first. */
static uint64_t free_ram_end(uint64_t base)
{
	uint64_t end = DEFAULT_RAM_END;
	uint32_t len, ac_len, sc_len;
	const void *reg = fdt_prop("/memory", "reg", &len);
	const void *ac = fdt_prop("/", "#address-cells", &ac_len);
	const void *sc = fdt_prop("/", "#size-cells", &sc_len);
	uint32_t acells = ac ? (uint32_t)fdt_cells(ac, 1) : 2, scells = sc ? (uint32_t)fdt_cells(sc, 1) : 1;
	if (reg && acells <= 2 && scells <= 2 && len >= 4 * (acells + scells)) {
		uint64_t start = fdt_cells(reg, acells);
		end = start + fdt_cells((const uint8_t *)reg + 4 * acells, scells);
	}
	if (boot_dtb >= base && boot_dtb < end && fdt_end() != 0)
		end = boot_dtb;
	return end;
}

int main(void)
{
	uint64_t wss = 4 << 20, rate = 128, period_us = 1000, ticks = 200, report = 50;
	const struct arg args[] = {
		{ "wss", &wss, ARG_SIZE },  /* working-set bytes, rounded up to whole pages */
		{ "rate", &rate, 0 },       /* pages dirtied per tick */
		{ "period_us", &period_us, 0 },
		{ "ticks", &ticks, 0 },     /* 0: run until the machine is stopped */
		{ "report", &report, 0 },   /* ticks between checked progress lines */
		{ 0 },
	};
	args_parse(args);

	uint64_t base = ((uint64_t)(uintptr_t)__stack + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	uint64_t room = free_ram_end(base) - base;
	npages = (wss + PAGE - 1) / PAGE;
	if (npages == 0 || npages > room / PAGE) {
		printf("error: parameter wss: must lie between 4K and the %luK of free RAM\n", room >> 10);
		exit(EXIT_BAD_ARGS);
	}
	if (period_us == 0 || period_us > 3600000000ull)
		args_reject("period_us", "the period must lie between 1 us and 1 hour");
	if (report == 0)
		args_reject("report", "must be at least 1");
	ws = (uint64_t *)(uintptr_t)base;
	printf("memory: wss=%lu pages=%lu rate=%lu period_us=%lu ticks=%lu report=%lu\n",
	       npages * PAGE, npages, rate, period_us, ticks, report);

	fill();
	printf("memory: tick 0 dirtied=0 checksum=%016lx\n", verify(0));

	struct ticker t;
	ticker_start(&t, period_us);
	uint64_t dirtied = 0, page = 0, gen = 1;
	for (uint64_t tick = 1; ticks == 0 || tick <= ticks; tick++) {
		for (uint64_t i = 0; i < rate; i++) {
			dirty_page(page, gen);
			if (++page == npages) {
				page = 0;
				gen++;
			}
		}
		dirtied += rate;
		if (tick % report == 0 || tick == ticks)
			printf("memory: tick %lu dirtied=%lu checksum=%016lx\n", tick, dirtied,
			       verify(dirtied));
		ticker_wait(&t);
	}
	printf("memory: done\n");
	return 0;
}
