/* A minimal virtio-mmio (version 2) driver with split virtqueues, for the bare-metal guests.
 * Polled: interrupts are used only to wake WFI (mstatus.MIE stays clear, as in timer.c), so no
 * trap is ever taken for a device. */
#ifndef GUEST_VIRTIO_H
#define GUEST_VIRTIO_H

#include <stdint.h>

#define VQ_SIZE 16

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
#define VQ_DESC_NEXT 1
#define VQ_DESC_WRITE 2

struct vq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[VQ_SIZE];
	uint16_t used_event;
};

struct vq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vq_used {
	uint16_t flags;
	uint16_t idx;
	struct vq_used_elem ring[VQ_SIZE];
	uint16_t avail_event;
};

struct virtq {
	struct vq_desc desc[VQ_SIZE] __attribute__((aligned(16)));
	struct vq_avail avail __attribute__((aligned(2)));
	struct vq_used used __attribute__((aligned(4)));
	uint16_t last_used; /* used entries taken */
	uint16_t index;     /* queue number on the device */
};

struct virtio_dev {
	volatile uint32_t *regs;
	unsigned irq; /* PLIC source */
};

/* Finds the first virtio-mmio slot holding device `device_id` (1 net, 2 block); 0 if none. */
int virtio_find(struct virtio_dev *dev, uint32_t device_id);
/* Resets, negotiates VERSION_1 plus `features` (low word) and sets up `nqueues` queues from
 * `queues`; ends the program if the device refuses. Leaves DRIVER_OK to virtio_start. */
void virtio_init(struct virtio_dev *dev, uint32_t features, struct virtq *queues, unsigned nqueues);
void virtio_start(struct virtio_dev *dev);
/* Config space byte `offset`. */
uint8_t virtio_config8(struct virtio_dev *dev, unsigned offset);
uint32_t virtio_config32(struct virtio_dev *dev, unsigned offset);
/* Puts the chain starting at descriptor `head` on the available ring (no notification). */
void virtq_offer(struct virtq *q, uint16_t head);
void virtq_notify(struct virtio_dev *dev, struct virtq *q);
/* Takes the next used element into *e; 0 when there is none. */
int virtq_take(struct virtq *q, struct vq_used_elem *e);
/* Sleeps in WFI until the device's PLIC line is raised, then acknowledges it at the device and
 * the PLIC. Returns at once when the line is already up. */
void virtio_wait(struct virtio_dev *dev);

#endif
