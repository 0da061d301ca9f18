/*
 * The working-set workload shared by the bare-metal memory.elf (native/guests) and the Linux
 * guest's /init (native/linux): the value every word must hold after any number of page
 * writes, the writes themselves and the check, in one copy so that both compute the same
 * checksums. The includer sets ws and npages, defines memory_work_mismatch() (a failed check
 * is reported and ends the program differently in the two environments) and includes
 * <stdint.h> first; FNV1A64_INIT must be defined.
 */
#ifndef CRTR_MEMORY_WORK_H
#define CRTR_MEMORY_WORK_H

#define PAGE 4096u
#define WORDS_PER_PAGE (PAGE / 8)
#define WORDS_PER_LINE 8 /* a 64-byte cache line */

static void memory_work_mismatch(const uint64_t *at, uint64_t expect);

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
				memory_work_mismatch(p, expect);
			h = (h ^ *p++) * 0x100000001b3ull;
			step += WORD_STEP;
			for (unsigned w = 1; w < WORDS_PER_LINE; w++) {
				expect = rest_seed ^ step;
				if (*p != expect)
					memory_work_mismatch(p, expect);
				h = (h ^ *p++) * 0x100000001b3ull;
				step += WORD_STEP;
			}
		}
	}
	return h ^ (h >> 32);
}

#endif
