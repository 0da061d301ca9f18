/*
 * crtr-motion's /init for the Linux guest (see ../README.md).
 *
 * Reads `crtr.*` parameters from the kernel command line, runs the chosen workloads as child
 * processes (cpu, memory, idle), waits for them, prints a final line and powers the machine
 * off through the kernel (which asks the SBI firmware to shut down).
 *
 * Every line is deterministic: no timings, no addresses, no PIDs. Each line is written with
 * one write(2), so lines of concurrent workloads never tear; only their interleaving depends
 * on timing (crtr.serial=1 runs the workloads one after another when the whole output must be
 * byte-identical). The computations are those of the bare-metal guests in native/guests, so
 * equal parameters give equal checksums there and here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>

enum {
	EXIT_BAD_ARGS = 2,   /* a parameter could not be parsed or is out of range */
	EXIT_SETUP = 3,      /* the environment failed us: fork, mmap, clock */
	EXIT_SELF_CHECK = 4, /* a workload found its own results or memory wrong */
};

/* ---------------------------------------------------------------- output */

/* One line, one write(2): the tty layer serialises whole writes, so concurrent workloads
 * interleave by lines, never inside one. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof buf - 2)
		n = sizeof buf - 2;
	buf[n++] = '\n';
	for (const char *p = buf; n > 0;) {
		ssize_t w = write(1, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= w;
	}
}

/* ---------------------------------------------------------------- checksums */

static inline uint64_t fnv1a64(uint64_t h, uint64_t word)
{
	for (int i = 0; i < 8; i++) {
		h ^= (word >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}
#define FNV1A64_INIT 0xcbf29ce484222325ull

/* ---------------------------------------------------------------- parameters */

#define W_CPU 1u
#define W_MEMORY 2u
#define W_IDLE 4u
#define W_ALL (W_CPU | W_MEMORY | W_IDLE)

static struct {
	unsigned workloads;
	uint64_t rounds, wss, rate, period_ms, ticks, report, finish, serial;
} P = {
	.workloads = W_ALL,
	.rounds = 5,
	.wss = 4 << 20,
	.rate = 128,
	.period_ms = 10,
	.ticks = 50,
	.report = 10,
	.finish = 1,
	.serial = 0,
};

#define ARG_SIZE 1u /* K, M and G suffixes (powers of 1024) */
static const struct {
	const char *name;
	uint64_t *value;
	unsigned flags;
} numeric[] = {
	{ "rounds", &P.rounds, 0 },
	{ "wss", &P.wss, ARG_SIZE },
	{ "rate", &P.rate, 0 },
	{ "period_ms", &P.period_ms, 0 },
	{ "ticks", &P.ticks, 0 },
	{ "report", &P.report, 0 },
	{ "finish", &P.finish, 0 },
	{ "serial", &P.serial, 0 },
};
#define NUMERIC (sizeof numeric / sizeof numeric[0])

/* Decimal or 0x-hexadecimal, optionally K/M/G; 0 when the text is not such a number. */
static int parse_number(const char *s, unsigned flags, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	const char *digits = s;
	for (;; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return 0;
		v = v * base + d;
	}
	if (s == digits)
		return 0;
	unsigned shift = 0;
	if (flags & ARG_SIZE) {
		switch (*s) {
		case 'k': case 'K': shift = 10; s++; break;
		case 'm': case 'M': shift = 20; s++; break;
		case 'g': case 'G': shift = 30; s++; break;
		}
	}
	if (*s != '\0' || (shift && v > (UINT64_MAX >> shift)))
		return 0;
	*out = v << shift;
	return 1;
}

/* `cpu`, `memory`, `idle`, `all` or `none`, or a comma-separated list of the first three. */
static int parse_workloads(const char *s, unsigned *out)
{
	unsigned set = 0;
	if (strcmp(s, "all") == 0) {
		*out = W_ALL;
		return 1;
	}
	if (strcmp(s, "none") == 0) {
		*out = 0;
		return 1;
	}
	while (*s) {
		size_t n = strcspn(s, ",");
		if (n == 3 && strncmp(s, "cpu", 3) == 0)
			set |= W_CPU;
		else if (n == 6 && strncmp(s, "memory", 6) == 0)
			set |= W_MEMORY;
		else if (n == 4 && strncmp(s, "idle", 4) == 0)
			set |= W_IDLE;
		else
			return 0;
		s += n;
		if (*s == ',' && *++s == '\0')
			return 0;
	}
	if (set == 0)
		return 0;
	*out = set;
	return 1;
}

/* Applies one `crtr.key=value` word; returns 0 after printing an error line. */
static int apply(char *word)
{
	char *key = word + 5, *eq = strchr(key, '=');
	if (eq == NULL) {
		say("init: warning: ignoring '%s' (expected crtr.key=value)", word);
		return 1;
	}
	*eq = '\0';
	const char *value = eq + 1;
	if (strcmp(key, "workload") == 0) {
		if (parse_workloads(value, &P.workloads))
			return 1;
		say("init: error: parameter crtr.workload: '%s' is not cpu, memory, idle, all, none "
		    "or a comma-separated list", value);
		return 0;
	}
	for (size_t i = 0; i < NUMERIC; i++) {
		if (strcmp(numeric[i].name, key) != 0)
			continue;
		if (parse_number(value, numeric[i].flags, numeric[i].value))
			return 1;
		say("init: error: parameter crtr.%s: '%s' is not a number%s", key, value,
		    (numeric[i].flags & ARG_SIZE) ? " (K, M and G suffixes allowed)" : "");
		return 0;
	}
	say("init: warning: ignoring unknown parameter 'crtr.%s'", key);
	return 1;
}

/* Only `crtr.`-prefixed words are ours: the rest belong to the kernel (console=, quiet). */
static int parse_cmdline(void)
{
	static char line[4096];
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("init: warning: cannot read /proc/cmdline (errno %d); using defaults", errno);
		return 1;
	}
	ssize_t n = read(fd, line, sizeof line - 1);
	close(fd);
	if (n < 0)
		n = 0;
	line[n] = '\0';
	int ok = 1;
	for (char *save = NULL, *w = strtok_r(line, " \t\n", &save); w;
	     w = strtok_r(NULL, " \t\n", &save))
		if (strncmp(w, "crtr.", 5) == 0)
			ok &= apply(w);
	return ok;
}

static int check_ranges(void)
{
	const char *bad = NULL, *why = NULL;
	if ((P.workloads & W_MEMORY) && (P.wss < 4096 || P.wss > (64ull << 30)))
		bad = "wss", why = "must lie between 4K and 64G";
	else if ((P.workloads & (W_MEMORY | W_IDLE)) && (P.period_ms == 0 || P.period_ms > 3600000))
		bad = "period_ms", why = "the period must lie between 1 ms and 1 hour";
	else if ((P.workloads & W_MEMORY) && P.report == 0)
		bad = "report", why = "must be at least 1";
	if (bad)
		say("init: error: parameter crtr.%s: %s", bad, why);
	return bad == NULL;
}

/* ---------------------------------------------------------------- time */

static struct timespec ts_add_ms(struct timespec t, uint64_t ms)
{
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* A fixed-rate tick: deadlines at start + k * period on CLOCK_MONOTONIC, so a late tick is
 * followed at once by the next and the schedule does not drift. */
struct ticker {
	struct timespec start;
	uint64_t k, period_ms;
};

static void ticker_start(struct ticker *t, uint64_t period_ms)
{
	if (clock_gettime(CLOCK_MONOTONIC, &t->start) != 0) {
		say("init: error: clock_gettime(CLOCK_MONOTONIC) failed (errno %d)", errno);
		_exit(EXIT_SETUP);
	}
	t->k = 0;
	t->period_ms = period_ms;
}

static void ticker_wait(struct ticker *t)
{
	struct timespec deadline = ts_add_ms(t->start, ++t->k * t->period_ms);
	int rc;
	while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL)) == EINTR)
		;
	if (rc != 0) {
		say("init: error: clock_nanosleep failed (errno %d)", rc);
		_exit(EXIT_SETUP);
	}
}

/* ---------------------------------------------------------------- cpu */

#include "cpu_work.h"

static void cpu_work_failed(const char *what, int index)
{
	say("cpu: self-check failed: %s at index %d", what, index);
	_exit(EXIT_SELF_CHECK);
}

static int run_cpu(void)
{
	say("cpu: rounds=%lu", P.rounds);
	crc_init();
	uint64_t total = FNV1A64_INIT;
	for (uint64_t r = 1; r <= P.rounds; r++) {
		uint64_t hash = hash_round(total);
		uint64_t sort = sort_round();
		uint64_t integer = int_round(hash);
		uint64_t f64 = nbody_round(sort) ^ matmul_round(integer);
		uint64_t f32 = float_round(hash ^ sort);
		say("cpu: round %lu: hash=%016lx sort=%016lx int=%016lx f64=%016lx f32=%016lx", r, hash,
		    sort, integer, f64, f32);
		total = fnv1a64(fnv1a64(fnv1a64(fnv1a64(fnv1a64(total, hash), sort), integer), f64), f32);
	}
	say("cpu: checksum=%016lx", total);
	return 0;
}

/* ---------------------------------------------------------------- memory */

#include "memory_work.h"


static void memory_work_mismatch(const uint64_t *at, uint64_t expect)
{
	say("memory: self-check failed at offset 0x%lx: expected %016lx, found %016lx",
	    (uint64_t)((const char *)at - (const char *)ws), expect, *at);
	_exit(EXIT_SELF_CHECK);
}


static int run_memory(void)
{
	npages = (P.wss + PAGE - 1) / PAGE;
	say("memory: wss=%lu pages=%lu rate=%lu period_ms=%lu ticks=%lu report=%lu", npages * PAGE,
	    npages, P.rate, P.period_ms, P.ticks, P.report);
	void *m = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		say("memory: error: cannot map %lu bytes (errno %d)", npages * PAGE, errno);
		return EXIT_SETUP;
	}
	ws = m;
	fill();
	say("memory: tick 0 dirtied=0 checksum=%016lx", verify(0));

	struct ticker t;
	ticker_start(&t, P.period_ms);
	uint64_t dirtied = 0, page = 0, gen = 1;
	for (uint64_t tick = 1; P.ticks == 0 || tick <= P.ticks; tick++) {
		for (uint64_t i = 0; i < P.rate; i++) {
			dirty_page(page, gen);
			if (++page == npages) {
				page = 0;
				gen++;
			}
		}
		dirtied += P.rate;
		if (tick % P.report == 0 || tick == P.ticks)
			say("memory: tick %lu dirtied=%lu checksum=%016lx", tick, dirtied, verify(dirtied));
		ticker_wait(&t);
	}
	say("memory: done");
	return 0;
}

/* ---------------------------------------------------------------- idle */

static int run_idle(void)
{
	say("idle: period_ms=%lu ticks=%lu", P.period_ms, P.ticks);
	struct ticker t;
	ticker_start(&t, P.period_ms);
	for (uint64_t n = 1; P.ticks == 0 || n <= P.ticks; n++) {
		ticker_wait(&t);
		say("idle: tick %lu", n);
	}
	say("idle: done");
	return 0;
}

/* ---------------------------------------------------------------- init */

/* The virt board's SiFive test device ("finisher"), as QEMU and vm-runtime place it. */
#define FINISHER_ADDR 0x100000
#define FINISHER_FAIL 0x3333

/* A failure must reach the host as a nonzero exit status, and the SBI shutdown call that
 * Linux's power-off ends in carries none; the finisher does. Returns only if it could not. */
static void finisher_fail(int status)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0) {
		say("init: warning: cannot open /dev/mem (errno %d); powering off with status 0", errno);
		return;
	}
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, FINISHER_ADDR);
	close(fd);
	if (m == MAP_FAILED) {
		say("init: warning: cannot map the finisher (errno %d); powering off with status 0", errno);
		return;
	}
	/* One 32-bit store: the device takes no other width. */
	*(volatile uint32_t *)m = ((uint32_t)status << 16) | FINISHER_FAIL;
}

static const struct {
	const char *name;
	unsigned bit;
	int (*run)(void);
} workloads[] = {
	{ "cpu", W_CPU, run_cpu },
	{ "memory", W_MEMORY, run_memory },
	{ "idle", W_IDLE, run_idle },
};
#define WORKLOADS (sizeof workloads / sizeof workloads[0])

/* Reaps one child and returns its status as an exit code (128 + signal when killed). */
static int reap(pid_t pid, const char *name)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			say("init: error: waitpid for %s failed (errno %d)", name, errno);
			return EXIT_SETUP;
		}
	if (WIFSIGNALED(st)) {
		say("init: %s killed by signal %d", name, WTERMSIG(st));
		return 128 + WTERMSIG(st);
	}
	int code = WEXITSTATUS(st);
	if (code != 0)
		say("init: %s failed with status %d", name, code);
	return code;
}

static int run_workloads(void)
{
	pid_t pids[WORKLOADS] = { 0 };
	int status = 0;
	for (size_t i = 0; i < WORKLOADS; i++) {
		if (!(P.workloads & workloads[i].bit))
			continue;
		pid_t pid = fork();
		if (pid < 0) {
			say("init: error: fork for %s failed (errno %d)", workloads[i].name, errno);
			status = EXIT_SETUP;
			break;
		}
		if (pid == 0)
			_exit(workloads[i].run());
		pids[i] = pid;
		if (P.serial) {
			int code = reap(pid, workloads[i].name);
			pids[i] = 0;
			if (code != 0 && status == 0)
				status = code;
		}
	}
	/* In workload order, so the status reported is the same whichever finishes first. */
	for (size_t i = 0; i < WORKLOADS; i++) {
		if (pids[i] == 0)
			continue;
		int code = reap(pids[i], workloads[i].name);
		if (code != 0 && status == 0)
			status = code;
	}
	return status;
}

static void describe(void)
{
	char names[32] = "";
	for (size_t i = 0; i < WORKLOADS; i++)
		if (P.workloads & workloads[i].bit) {
			if (names[0])
				strcat(names, ",");
			strcat(names, workloads[i].name);
		}
	say("init: crtr-motion guest workload=%s serial=%lu finish=%lu", names[0] ? names : "none",
	    P.serial, P.finish);
}

int main(void)
{
	/* pid 1 gets the console as fds 0-2 from the kernel (dev/console is in the initramfs). */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
		say("init: warning: cannot mount /proc (errno %d)", errno);

	int status;
	if (!parse_cmdline() || !check_ranges()) {
		status = EXIT_BAD_ARGS;
	} else {
		describe();
		status = run_workloads();
	}
	say("init: done status=%d", status);

	if (P.finish) {
		if (status != 0)
			finisher_fail(status);
		/* Linux's power-off path ends in the SBI SRST shutdown call. reboot() only returns
		 * when it failed; init must never exit, or the kernel panics. */
		reboot(RB_POWER_OFF);
		say("init: error: power-off failed (errno %d); sleeping", errno);
	}
	for (;;)
		pause();
}
