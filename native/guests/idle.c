/* A mostly idle guest, like a quiet server: sleeps in WFI and prints a line per timer tick. */
#include <stdio.h>
#include "runtime.h"

int main(void)
{
	uint64_t period_ms = 100, period_us = 0, ticks = 5;
	const struct arg args[] = {
		{ "period_ms", &period_ms, 0 },
		{ "period_us", &period_us, 0 }, /* finer; wins over period_ms when given */
		{ "ticks", &ticks, 0 },         /* 0: run until the machine is stopped */
		{ 0 },
	};
	args_parse(args);
	if (period_us == 0)
		period_us = period_ms * 1000;
	if (period_us == 0 || period_us > 3600000000ull)
		args_reject("period_us/period_ms", "the period must lie between 1 us and 1 hour");
	printf("idle: period_us=%lu ticks=%lu\n", period_us, ticks);

	struct ticker t;
	ticker_start(&t, period_us);
	for (uint64_t n = 1; ticks == 0 || n <= ticks; n++) {
		ticker_wait(&t);
		printf("tick %lu\n", n);
	}
	printf("idle: done\n");
	return 0;
}
