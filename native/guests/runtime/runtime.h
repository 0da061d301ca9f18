/* Shared runtime of the bare-metal guests on QEMU's `virt` board (see ../README.md). */
#ifndef GUEST_RUNTIME_H
#define GUEST_RUNTIME_H

#include <stdint.h>
#include <stddef.h>

/* Exit codes shared by all guests, so a test harness can tell failures apart. */
enum {
	EXIT_BAD_ARGS = 2,   /* a parameter value could not be parsed or is out of range */
	EXIT_TRAP = 3,       /* an exception or an interrupt nobody expected */
	EXIT_SELF_CHECK = 4, /* the guest found its own results or memory wrong */
};

/* Saved by boot.S from the registers the boot ROM hands over. */
extern uint64_t boot_hartid;
extern uint64_t boot_dtb;

/* --- device tree (fdt.c) --- */
/* Property `name` of the node at `path` ("/chosen", "/memory", ...); a path component without a
 * unit address matches any unit address. NULL if absent or if there is no valid device tree. */
const void *fdt_prop(const char *path, const char *name, uint32_t *len);
/* A one- or two-cell big-endian number, as found in reg and frequency properties. */
uint64_t fdt_cells(const void *p, uint32_t ncells);
/* Lowest address past the end of the device tree blob, or 0 without one. */
uint64_t fdt_end(void);

/* --- parameters from /chosen/bootargs (args.c) --- */
#define ARG_SIZE 1u /* the value may carry a K, M or G suffix (powers of 1024) */
struct arg {
	const char *name;
	uint64_t *value; /* holds the default on entry */
	unsigned flags;
};
/* Applies `key=value` words from the kernel command line to a table ending in {0}.
 * Unknown keys are reported and ignored; unparsable values end the program (EXIT_BAD_ARGS). */
void args_parse(const struct arg *table);
/* Prints why a parameter is unacceptable and ends the program with EXIT_BAD_ARGS. */
void args_reject(const char *name, const char *why) __attribute__((noreturn));

/* --- timer (timer.c) --- */
uint64_t timer_now(void);  /* mtime */
uint64_t timer_freq(void); /* mtime ticks per second, from the device tree (10 MHz on virt) */
/* Sleeps in WFI until mtime >= deadline; returns at once if it already is. */
void timer_sleep_until(uint64_t deadline);

/* A fixed-rate tick: deadlines at start + k * period, so a late tick does not shift later ones. */
struct ticker {
	uint64_t next;
	uint64_t period;
};
void ticker_start(struct ticker *t, uint64_t period_us);
void ticker_wait(struct ticker *t);

/* --- trap handling (trap.c) --- */
void trap_handler(void); /* called by trap.S with the interrupted registers saved */
void timer_interrupt(void);

/* --- checksums shared by the guests --- */
static inline uint64_t fnv1a64(uint64_t h, uint64_t word)
{
	for (int i = 0; i < 8; i++) {
		h ^= (word >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}
#define FNV1A64_INIT 0xcbf29ce484222325ull

#define CSR_READ(name) ({ uint64_t v_; __asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })

#endif
