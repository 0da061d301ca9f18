/* virtio-mmio (virtio 1.x, §4.2) with split virtqueues (§2.7); see virtio.h. */
#include <stdio.h>
#include <unistd.h>
#include "runtime.h"
#include "virtio.h"

#define SLOT0 0x10001000ul
#define SLOT_STRIDE 0x1000ul
#define SLOTS 8

enum {
	R_MAGIC = 0x000 / 4, R_VERSION = 0x004 / 4, R_DEVICE_ID = 0x008 / 4,
	R_DEVICE_FEATURES = 0x010 / 4, R_DEVICE_FEATURES_SEL = 0x014 / 4,
	R_DRIVER_FEATURES = 0x020 / 4, R_DRIVER_FEATURES_SEL = 0x024 / 4,
	R_QUEUE_SEL = 0x030 / 4, R_QUEUE_NUM_MAX = 0x034 / 4, R_QUEUE_NUM = 0x038 / 4,
	R_QUEUE_READY = 0x044 / 4, R_QUEUE_NOTIFY = 0x050 / 4,
	R_INTERRUPT_STATUS = 0x060 / 4, R_INTERRUPT_ACK = 0x064 / 4, R_STATUS = 0x070 / 4,
	R_QUEUE_DESC_LOW = 0x080 / 4, R_QUEUE_DESC_HIGH = 0x084 / 4,
	R_QUEUE_DRIVER_LOW = 0x090 / 4, R_QUEUE_DRIVER_HIGH = 0x094 / 4,
	R_QUEUE_DEVICE_LOW = 0x0a0 / 4, R_QUEUE_DEVICE_HIGH = 0x0a4 / 4,
	R_CONFIG = 0x100 / 4,
};
#define S_ACKNOWLEDGE 1u
#define S_DRIVER 2u
#define S_DRIVER_OK 4u
#define S_FEATURES_OK 8u

#define PLIC 0x0c000000ul
#define PLIC_PRIORITY(irq) ((volatile uint32_t *)(PLIC + 4 * (irq)))
#define PLIC_ENABLE_M ((volatile uint32_t *)(PLIC + 0x2000))
#define PLIC_THRESHOLD_M ((volatile uint32_t *)(PLIC + 0x200000))
#define PLIC_CLAIM_M ((volatile uint32_t *)(PLIC + 0x200004))
#define MIE_MEIE (1ul << 11)

static void fail(const char *why)
{
	printf("virtio: %s\n", why);
	_exit(EXIT_SELF_CHECK);
}

int virtio_find(struct virtio_dev *dev, uint32_t device_id)
{
	for (unsigned i = 0; i < SLOTS; i++) {
		volatile uint32_t *r = (volatile uint32_t *)(SLOT0 + i * SLOT_STRIDE);
		if (r[R_MAGIC] == 0x74726976u && r[R_VERSION] == 2 && r[R_DEVICE_ID] == device_id) {
			dev->regs = r;
			dev->irq = i + 1;
			return 1;
		}
	}
	return 0;
}

void virtio_init(struct virtio_dev *dev, uint32_t features, struct virtq *queues, unsigned nqueues)
{
	volatile uint32_t *r = dev->regs;
	r[R_STATUS] = 0;
	r[R_STATUS] = S_ACKNOWLEDGE;
	r[R_STATUS] = S_ACKNOWLEDGE | S_DRIVER;
	r[R_DEVICE_FEATURES_SEL] = 0;
	uint32_t offered = r[R_DEVICE_FEATURES];
	r[R_DEVICE_FEATURES_SEL] = 1;
	if (!(r[R_DEVICE_FEATURES] & 1))
		fail("the device does not offer VIRTIO_F_VERSION_1");
	if ((offered & features) != features)
		fail("the device does not offer the features needed");
	r[R_DRIVER_FEATURES_SEL] = 0;
	r[R_DRIVER_FEATURES] = features;
	r[R_DRIVER_FEATURES_SEL] = 1;
	r[R_DRIVER_FEATURES] = 1; /* VIRTIO_F_VERSION_1 */
	r[R_STATUS] = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK;
	if (!(r[R_STATUS] & S_FEATURES_OK))
		fail("the device refused the features");
	for (unsigned i = 0; i < nqueues; i++) {
		struct virtq *q = &queues[i];
		q->index = (uint16_t)i;
		q->last_used = 0;
		r[R_QUEUE_SEL] = i;
		if (r[R_QUEUE_READY] != 0 || r[R_QUEUE_NUM_MAX] < VQ_SIZE)
			fail("a queue is in use or too small");
		r[R_QUEUE_NUM] = VQ_SIZE;
		uint64_t d = (uint64_t)(uintptr_t)q->desc, a = (uint64_t)(uintptr_t)&q->avail,
			 u = (uint64_t)(uintptr_t)&q->used;
		r[R_QUEUE_DESC_LOW] = (uint32_t)d;
		r[R_QUEUE_DESC_HIGH] = (uint32_t)(d >> 32);
		r[R_QUEUE_DRIVER_LOW] = (uint32_t)a;
		r[R_QUEUE_DRIVER_HIGH] = (uint32_t)(a >> 32);
		r[R_QUEUE_DEVICE_LOW] = (uint32_t)u;
		r[R_QUEUE_DEVICE_HIGH] = (uint32_t)(u >> 32);
		r[R_QUEUE_READY] = 1;
	}
	*PLIC_PRIORITY(dev->irq) = 1;
	*PLIC_ENABLE_M |= 1u << dev->irq;
	*PLIC_THRESHOLD_M = 0;
}

void virtio_start(struct virtio_dev *dev)
{
	dev->regs[R_STATUS] = S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK;
}

uint8_t virtio_config8(struct virtio_dev *dev, unsigned offset)
{
	return ((volatile uint8_t *)&dev->regs[R_CONFIG])[offset];
}

uint32_t virtio_config32(struct virtio_dev *dev, unsigned offset)
{
	return dev->regs[R_CONFIG + offset / 4];
}

void virtq_offer(struct virtq *q, uint16_t head)
{
	q->avail.ring[q->avail.idx % VQ_SIZE] = head;
	__sync_synchronize(); /* the entry before the index that publishes it */
	q->avail.idx++;
}

void virtq_notify(struct virtio_dev *dev, struct virtq *q)
{
	__sync_synchronize();
	dev->regs[R_QUEUE_NOTIFY] = q->index;
}

int virtq_take(struct virtq *q, struct vq_used_elem *e)
{
	if (*(volatile uint16_t *)&q->used.idx == q->last_used)
		return 0;
	__sync_synchronize(); /* the index before the entry it published */
	*e = q->used.ring[q->last_used % VQ_SIZE];
	q->last_used++;
	return 1;
}

/*
 * The device's interrupt is acknowledged before the caller looks at its queues again, so a
 * buffer used after that raises the line anew and the next WFI returns at once: nothing is
 * missed even on a PLIC that latches only rising edges (QEMU's).
 */
void virtio_wait(struct virtio_dev *dev)
{
	__asm__ volatile("csrs mie, %0" ::"r"(MIE_MEIE));
	while (!(dev->regs[R_INTERRUPT_STATUS] & 3))
		__asm__ volatile("wfi");
	__asm__ volatile("csrc mie, %0" ::"r"(MIE_MEIE));
	dev->regs[R_INTERRUPT_ACK] = dev->regs[R_INTERRUPT_STATUS];
	uint32_t claimed = *PLIC_CLAIM_M;
	if (claimed)
		*PLIC_CLAIM_M = claimed;
}
