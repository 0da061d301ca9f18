/*
 * Writes, reads back and checks blocks through its own virtio-blk driver: each round writes a
 * pattern that depends on the round into `blocks` 4 KiB blocks, reads them all back, compares,
 * and prints a numbered line with a checksum of what it read.
 */
#include <stdio.h>
#include <string.h>
#include "runtime.h"
#include "virtio.h"

#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLOCK 4096
#define SECTORS_PER_BLOCK (BLOCK / 512)

struct blk_req {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static struct virtio_dev disk;
static struct virtq queue __attribute__((aligned(4096)));
static struct blk_req req;
static uint8_t status;
static uint64_t data[BLOCK / 8] __attribute__((aligned(16)));

/* One request: header, 4 KiB of data, status; waits for the device to use it. */
static int transfer(uint32_t type, uint64_t sector)
{
	req.type = type;
	req.reserved = 0;
	req.sector = sector;
	status = 0xff;
	queue.desc[0] = (struct vq_desc){ (uint64_t)(uintptr_t)&req, sizeof req, VQ_DESC_NEXT, 1 };
	queue.desc[1] = (struct vq_desc){ (uint64_t)(uintptr_t)data, BLOCK,
					  (uint16_t)(VQ_DESC_NEXT | (type == BLK_T_IN ? VQ_DESC_WRITE : 0)),
					  2 };
	queue.desc[2] = (struct vq_desc){ (uint64_t)(uintptr_t)&status, 1, VQ_DESC_WRITE, 0 };
	virtq_offer(&queue, 0);
	virtq_notify(&disk, &queue);
	struct vq_used_elem e;
	while (!virtq_take(&queue, &e))
		virtio_wait(&disk);
	return *(volatile uint8_t *)&status;
}

static uint64_t pattern(uint64_t round, uint64_t block, uint64_t word)
{
	return fnv1a64(fnv1a64(fnv1a64(FNV1A64_INIT, round), block), word);
}

int main(void)
{
	uint64_t blocks = 16, rounds = 8, report = 1;
	const struct arg args[] = {
		{ "blocks", &blocks, 0 }, /* 4 KiB blocks written and checked per round */
		{ "rounds", &rounds, 0 }, /* 0: until the machine is stopped */
		{ "report", &report, 0 }, /* rounds between progress lines */
		{ 0 },
	};
	args_parse(args);
	if (report == 0)
		args_reject("report", "must be at least 1");
	if (!virtio_find(&disk, 2)) {
		printf("disk: no virtio-blk device\n");
		return EXIT_SELF_CHECK;
	}
	virtio_init(&disk, 0, &queue, 1);
	virtio_start(&disk);
	uint64_t capacity = virtio_config32(&disk, 0) | (uint64_t)virtio_config32(&disk, 4) << 32;
	if (blocks == 0 || blocks * SECTORS_PER_BLOCK > capacity)
		args_reject("blocks", "must be at least 1 and fit on the disk");
	printf("disk: sectors=%lu blocks=%lu rounds=%lu report=%lu\n", capacity, blocks, rounds,
	       report);

	for (uint64_t r = 1; rounds == 0 || r <= rounds; r++) {
		for (uint64_t b = 0; b < blocks; b++) {
			for (unsigned w = 0; w < BLOCK / 8; w++)
				data[w] = pattern(r, b, w);
			if (transfer(BLK_T_OUT, b * SECTORS_PER_BLOCK) != 0) {
				printf("disk: round %lu: writing block %lu failed\n", r, b);
				return EXIT_SELF_CHECK;
			}
		}
		uint64_t sum = FNV1A64_INIT;
		for (uint64_t b = 0; b < blocks; b++) {
			memset(data, 0, sizeof data);
			if (transfer(BLK_T_IN, b * SECTORS_PER_BLOCK) != 0) {
				printf("disk: round %lu: reading block %lu failed\n", r, b);
				return EXIT_SELF_CHECK;
			}
			for (unsigned w = 0; w < BLOCK / 8; w++) {
				if (data[w] != pattern(r, b, w)) {
					printf("disk: round %lu: block %lu word %u reads back wrong\n", r, b, w);
					return EXIT_SELF_CHECK;
				}
				sum = fnv1a64(sum, data[w]);
			}
		}
		if (r % report == 0)
			printf("disk: round %lu ok sum=%016lx\n", r, sum);
	}
	printf("disk: done\n");
	return 0;
}
