/*
 * Compute-bound guest with a small working set (about 75 KiB): the rounds of
 * native/common/cpu_work.h, one checksum line each.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

#include "cpu_work.h"

static void cpu_work_failed(const char *what, int index)
{
	printf("cpu: self-check failed: %s at index %d\n", what, index);
	exit(EXIT_SELF_CHECK);
}

int main(void)
{
	uint64_t rounds = 15;
	const struct arg args[] = {
		{ "rounds", &rounds, 0 },
		{ 0 },
	};
	args_parse(args);
	printf("cpu: rounds=%lu\n", rounds);
	crc_init();

	uint64_t total = FNV1A64_INIT;
	for (uint64_t r = 1; r <= rounds; r++) {
		uint64_t hash = hash_round(total);
		uint64_t sort = sort_round();
		uint64_t integer = int_round(hash);
		uint64_t f64 = nbody_round(sort) ^ matmul_round(integer);
		uint64_t f32 = float_round(hash ^ sort);
		printf("round %lu: hash=%016lx sort=%016lx int=%016lx f64=%016lx f32=%016lx\n", r, hash,
		       sort, integer, f64, f32);
		total = fnv1a64(fnv1a64(fnv1a64(fnv1a64(fnv1a64(total, hash), sort), integer), f64), f32);
	}
	printf("cpu: checksum=%016lx\n", total);
	return 0;
}
