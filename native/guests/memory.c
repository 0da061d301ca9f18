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

#define PAGE 4096u
#define WORDS_PER_PAGE (PAGE / 8)
#define WORDS_PER_LINE 8 /* a 64-byte cache line */
#define DEFAULT_RAM_END (0x80000000ull + (128ull << 20))

extern char __stack[]; /* end of the image's RAM region (see the Makefile's layout) */

static uint64_t *ws;
static uint64_t npages;

/* The value of every word in page `page` that was last written in generation `gen`
 * (0 = the initial fill); the word index enters linearly so a whole page costs one hash. */
static uint64_t page_seed(uint64_t page, uint64_t gen)
{
	uint64_t x = (page << 24) ^ gen;
	x *= 0x9e3779b97f4a7c15ull;
	return x ^ (x >> 29);
}
#define WORD_STEP 0xd6e8feb86659fd93ull

/* Dirtying writes the first word of each cache line, so every line of the page changes. */
static void dirty_page(uint64_t page, uint64_t gen)
{
	uint64_t *p = ws + page * WORDS_PER_PAGE, v = page_seed(page, gen);
	for (unsigned w = 0; w < WORDS_PER_PAGE; w += WORDS_PER_LINE)
		p[w] = v ^ (w * WORD_STEP);
}

static void fill(void)
{
	for (uint64_t page = 0; page < npages; page++) {
		uint64_t *p = ws + page * WORDS_PER_PAGE, v = page_seed(page, 0);
		for (unsigned w = 0; w < WORDS_PER_PAGE; w++)
			p[w] = v ^ (w * WORD_STEP);
	}
}

static void mismatch(const uint64_t *at, uint64_t expect)
{
	printf("memory: self-check failed at 0x%lx: expected %016lx, found %016lx\n",
	       (uint64_t)(uintptr_t)at, expect, *at);
	exit(EXIT_SELF_CHECK);
}

/* After `dirtied` page writes, page p has been rewritten once per sweep that reached it. */
static uint64_t verify(uint64_t dirtied)
{
	uint64_t h = FNV1A64_INIT;
	for (uint64_t page = 0; page < npages; page++) {
		uint64_t gen = dirtied > page ? (dirtied - 1 - page) / npages + 1 : 0;
		uint64_t line_seed = page_seed(page, gen), rest_seed = page_seed(page, 0);
		const uint64_t *p = ws + page * WORDS_PER_PAGE;
		uint64_t step = 0;
		for (unsigned line = 0; line < WORDS_PER_PAGE / WORDS_PER_LINE; line++) {
			uint64_t expect = line_seed ^ step;
			if (*p != expect)
				mismatch(p, expect);
			h = (h ^ *p++) * 0x100000001b3ull;
			step += WORD_STEP;
			for (unsigned w = 1; w < WORDS_PER_LINE; w++) {
				expect = rest_seed ^ step;
				if (*p != expect)
					mismatch(p, expect);
				h = (h ^ *p++) * 0x100000001b3ull;
				step += WORD_STEP;
			}
		}
	}
	return h ^ (h >> 32);
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
