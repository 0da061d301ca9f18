/*
 * A UDP key-value server on its own virtio-net driver and a minimal Ethernet/ARP/IPv4/UDP stack.
 * Static address 10.0.2.15 (what QEMU's user network gives the first guest). It answers ARP
 * requests for its address and requests on its UDP port; the reply goes to the request's sender
 * (MAC, IP, port), so it never needs to ask ARP itself.
 *
 * Request:  op ('G' or 'P'), 3 zero bytes, u64 sequence (little endian), key length (1..32),
 *           value length (0..64; 0 for GET), key, value.
 * Reply:    op in lower case, status (0 ok, 1 no such key, 2 bad request), 2 zero bytes, the same
 *           sequence, key length, value length, key, value (GET: the stored one; PUT: the new one).
 */
#include <stdio.h>
#include <string.h>
#include "runtime.h"
#include "virtio.h"

#define NET_F_MAC (1u << 5)
#define NET_HDR 12
#define BUF_BYTES 1536
#define RXQ 0
#define TXQ 1
#define KEY_MAX 32
#define VALUE_MAX 64
#define SLOTS 512

static const uint8_t my_ip[4] = { 10, 0, 2, 15 };
static uint8_t my_mac[6];

static struct virtio_dev nic;
static struct virtq queues[2] __attribute__((aligned(4096)));
static uint8_t rx_buf[VQ_SIZE][BUF_BYTES] __attribute__((aligned(16)));
static uint8_t tx_buf[VQ_SIZE][BUF_BYTES] __attribute__((aligned(16)));
static unsigned tx_next;

struct entry {
	uint8_t key_len, value_len;
	uint8_t key[KEY_MAX];
	uint8_t value[VALUE_MAX];
};
static struct entry table[SLOTS];

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static uint16_t ip_checksum(const uint8_t *p, unsigned len)
{
	uint32_t sum = 0;
	for (unsigned i = 0; i + 1 < len; i += 2)
		sum += be16(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void post_rx(uint16_t i)
{
	struct virtq *q = &queues[RXQ];
	q->desc[i].addr = (uint64_t)(uintptr_t)rx_buf[i];
	q->desc[i].len = BUF_BYTES;
	q->desc[i].flags = VQ_DESC_WRITE;
	q->desc[i].next = 0;
	virtq_offer(q, i);
}

/* Sends a frame of `len` bytes already built after the header in tx_buf[slot]. */
static void transmit(unsigned slot, unsigned len)
{
	struct virtq *q = &queues[TXQ];
	struct vq_used_elem e;
	while (virtq_take(q, &e))
		; /* transmitted buffers come back; their slots are reused in turn */
	memset(tx_buf[slot], 0, NET_HDR);
	q->desc[slot].addr = (uint64_t)(uintptr_t)tx_buf[slot];
	q->desc[slot].len = NET_HDR + len;
	q->desc[slot].flags = 0;
	q->desc[slot].next = 0;
	virtq_offer(q, (uint16_t)slot);
	virtq_notify(&nic, q);
}

/* A slot whose previous frame the device has certainly taken: the queue holds VQ_SIZE, and
 * transmit() reclaims before each send, so waiting for the used entry of this slot suffices. */
static unsigned tx_slot(void)
{
	unsigned slot = tx_next;
	tx_next = (tx_next + 1) % VQ_SIZE;
	struct virtq *q = &queues[TXQ];
	while ((uint16_t)(q->avail.idx - q->last_used) >= VQ_SIZE) {
		struct vq_used_elem e;
		if (!virtq_take(q, &e))
			virtio_wait(&nic);
	}
	return slot;
}

static void answer_arp(const uint8_t *f, unsigned len)
{
	if (len < 42 || be16(f + 14) != 1 || be16(f + 16) != 0x0800 || be16(f + 20) != 1 ||
	    memcmp(f + 38, my_ip, 4) != 0)
		return;
	unsigned slot = tx_slot();
	uint8_t *o = tx_buf[slot] + NET_HDR;
	memcpy(o, f + 6, 6);
	memcpy(o + 6, my_mac, 6);
	put_be16(o + 12, 0x0806);
	put_be16(o + 14, 1);
	put_be16(o + 16, 0x0800);
	o[18] = 6;
	o[19] = 4;
	put_be16(o + 20, 2);
	memcpy(o + 22, my_mac, 6);
	memcpy(o + 28, my_ip, 4);
	memcpy(o + 32, f + 22, 10); /* the asker's MAC and IP */
	transmit(slot, 42);
}

static struct entry *lookup(const uint8_t *key, unsigned key_len, int create)
{
	uint64_t h = FNV1A64_INIT;
	for (unsigned i = 0; i < key_len; i++)
		h = fnv1a64(h, key[i]);
	for (unsigned n = 0; n < SLOTS; n++) {
		struct entry *e = &table[(h + n) % SLOTS];
		if (e->key_len == 0) {
			if (!create)
				return 0;
			e->key_len = (uint8_t)key_len;
			memcpy(e->key, key, key_len);
			return e;
		}
		if (e->key_len == key_len && memcmp(e->key, key, key_len) == 0)
			return e;
	}
	return 0;
}

/* Builds the reply payload at `out`; returns its length. */
static unsigned serve(const uint8_t *in, unsigned len, uint8_t *out)
{
	unsigned key_len = len >= 14 ? in[12] : 0, value_len = len >= 14 ? in[13] : 0;
	int ok = len >= 14 && (in[0] == 'G' || in[0] == 'P') && key_len >= 1 &&
		 key_len <= KEY_MAX && value_len <= VALUE_MAX && 14 + key_len + value_len <= len &&
		 (in[0] == 'P' || value_len == 0);
	memset(out, 0, 14);
	out[0] = len >= 1 ? (uint8_t)(in[0] | 0x20) : 0;
	if (len >= 12)
		memcpy(out + 4, in + 4, 8);
	if (!ok) {
		out[1] = 2;
		return 14;
	}
	out[12] = (uint8_t)key_len;
	memcpy(out + 14, in + 14, key_len);
	struct entry *e = lookup(in + 14, key_len, in[0] == 'P');
	if (e == 0) {
		out[1] = 1;
		return 14 + key_len;
	}
	if (in[0] == 'P') {
		e->value_len = (uint8_t)value_len;
		memcpy(e->value, in + 14 + key_len, value_len);
	}
	out[13] = e->value_len;
	memcpy(out + 14 + key_len, e->value, e->value_len);
	return 14 + key_len + e->value_len;
}

/* Handles an IPv4 frame; returns 1 when it was a request on our port. */
static int answer_udp(const uint8_t *f, unsigned len, unsigned port)
{
	if (len < 42 || (f[14] >> 4) != 4 || f[23] != 17 || memcmp(f + 30, my_ip, 4) != 0)
		return 0;
	unsigned ihl = (f[14] & 15) * 4u, total = be16(f + 16);
	if (ihl < 20 || (be16(f + 20) & 0x3fff) != 0 || 14 + total > len || total < ihl + 8)
		return 0;
	const uint8_t *u = f + 14 + ihl;
	unsigned udp_len = be16(u + 4);
	if (be16(u + 2) != port || udp_len < 8 || udp_len > total - ihl)
		return 0;
	unsigned slot = tx_slot();
	uint8_t *o = tx_buf[slot] + NET_HDR;
	unsigned payload = serve(u + 8, udp_len - 8, o + 42);
	memcpy(o, f + 6, 6);
	memcpy(o + 6, my_mac, 6);
	put_be16(o + 12, 0x0800);
	uint8_t *ip = o + 14;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)(28 + payload));
	put_be16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, my_ip, 4);
	memcpy(ip + 16, f + 26, 4);
	put_be16(ip + 10, ip_checksum(ip, 20));
	uint8_t *ou = ip + 20;
	put_be16(ou, (uint16_t)port);
	memcpy(ou + 2, u, 2);
	put_be16(ou + 4, (uint16_t)(8 + payload));
	put_be16(ou + 6, 0); /* no checksum, as IPv4 allows */
	transmit(slot, 42 + payload);
	return 1;
}

int main(void)
{
	uint64_t port = 5555, report = 100, requests = 0;
	const struct arg args[] = {
		{ "port", &port, 0 },
		{ "report", &report, 0 },     /* requests between progress lines */
		{ "requests", &requests, 0 }, /* stop after this many; 0: serve until stopped */
		{ 0 },
	};
	args_parse(args);
	if (port == 0 || port > 65535)
		args_reject("port", "must be 1 to 65535");
	if (report == 0)
		args_reject("report", "must be at least 1");
	if (!virtio_find(&nic, 1)) {
		printf("netkv: no virtio-net device\n");
		return EXIT_SELF_CHECK;
	}
	virtio_init(&nic, NET_F_MAC, queues, 2);
	for (unsigned i = 0; i < 6; i++)
		my_mac[i] = virtio_config8(&nic, i);
	for (uint16_t i = 0; i < VQ_SIZE; i++)
		post_rx(i);
	virtio_start(&nic);
	virtq_notify(&nic, &queues[RXQ]);
	printf("netkv: ip=10.0.2.15 port=%lu mac=%02x:%02x:%02x:%02x:%02x:%02x report=%lu"
	       " requests=%lu\n",
	       port, my_mac[0], my_mac[1], my_mac[2], my_mac[3], my_mac[4], my_mac[5], report,
	       requests);

	uint64_t served = 0;
	while (requests == 0 || served < requests) {
		struct vq_used_elem e;
		if (!virtq_take(&queues[RXQ], &e)) {
			virtio_wait(&nic);
			continue;
		}
		const uint8_t *f = rx_buf[e.id] + NET_HDR;
		unsigned len = e.len > NET_HDR ? e.len - NET_HDR : 0;
		unsigned type = len >= 14 ? be16(f + 12) : 0;
		if (type == 0x0806)
			answer_arp(f, len);
		else if (type == 0x0800 && answer_udp(f, len, (unsigned)port)) {
			served++;
			if (served % report == 0)
				printf("netkv: %lu requests\n", served);
		}
		post_rx((uint16_t)e.id);
		virtq_notify(&nic, &queues[RXQ]);
	}
	printf("netkv: done\n");
	return 0;
}
