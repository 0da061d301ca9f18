/*
 * The compute-bound workload shared by the bare-metal cpu.elf (native/guests) and the Linux
 * guest's /init (native/linux): one copy, so that both compute exactly the same checksums. Each
 * round hashes, sorts, does integer multiply/divide and double/float arithmetic, all seeded by
 * the previous round; floating-point results enter the checksums as bit patterns.
 *
 * The includer defines cpu_work_failed(), which reports a failed self-check and ends the program
 * (the two environments print and exit differently), and includes <stdint.h>, <stddef.h> and
 * <string.h> first.
 */
#ifndef CRTR_CPU_WORK_H
#define CRTR_CPU_WORK_H

static void cpu_work_failed(const char *what, int index);

#define N 4096 /* elements to hash and sort */
#define INT_STEPS 20000
#define NBODY_STEPS 1000
#define MAT 32
#define FLOAT_STEPS 20000

static uint32_t data[N], heap_sorted[N], quick_sorted[N];
static uint32_t crc_table[256];

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static uint64_t bits64(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

static uint32_t bits32(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* Fills data[] and returns FNV-1a over its bytes combined with their CRC-32. */
static uint64_t hash_round(uint64_t seed)
{
	uint64_t s = seed | 1;
	for (int i = 0; i < N; i++)
		data[i] = (uint32_t)(xorshift64(&s) >> 16);
	const uint8_t *bytes = (const uint8_t *)data;
	uint64_t fnv = FNV1A64_INIT;
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < sizeof data; i++) {
		fnv = (fnv ^ bytes[i]) * 0x100000001b3ull;
		crc = crc_table[(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
	}
	return fnv ^ ((uint64_t)~crc << 32);
}

static void sift_down(uint32_t *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		uint32_t t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

static void heapsort(uint32_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (size_t end = n; end-- > 1;) {
		uint32_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

static void quicksort(uint32_t *a, long lo, long hi)
{
	while (lo < hi) {
		uint32_t pivot = a[lo + (hi - lo) / 2];
		long i = lo, j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				uint32_t t = a[i];
				a[i++] = a[j];
				a[j--] = t;
			}
		}
		/* Recurse into the smaller side so the stack stays logarithmic. */
		if (j - lo < hi - i) {
			quicksort(a, lo, j);
			lo = i;
		} else {
			quicksort(a, i, hi);
			hi = j;
		}
	}
}

/* Sorts data[] two ways; both must agree and be ordered. */
static uint64_t sort_round(void)
{
	memcpy(heap_sorted, data, sizeof data);
	memcpy(quick_sorted, data, sizeof data);
	heapsort(heap_sorted, N);
	quicksort(quick_sorted, 0, N - 1);
	uint64_t h = FNV1A64_INIT;
	for (int i = 0; i < N; i++) {
		if (heap_sorted[i] != quick_sorted[i] || (i > 0 && heap_sorted[i - 1] > heap_sorted[i])) {
			cpu_work_failed("sorts disagree", i);
		}
		h = (h ^ heap_sorted[i]) * 0x100000001b3ull;
	}
	return h;
}

/* Division cases whose results the ISA defines but C leaves undefined. */
static uint64_t div_edge_cases(int64_t x)
{
	int64_t q0, r0, q1, r1;
	uint64_t qu0, ru0;
	int64_t w;
	__asm__("div %0, %1, zero" : "=r"(q0) : "r"(x));
	__asm__("rem %0, %1, zero" : "=r"(r0) : "r"(x));
	__asm__("divu %0, %1, zero" : "=r"(qu0) : "r"(x));
	__asm__("remu %0, %1, zero" : "=r"(ru0) : "r"(x));
	__asm__("div %0, %1, %2" : "=r"(q1) : "r"(INT64_MIN), "r"(-1l));
	__asm__("rem %0, %1, %2" : "=r"(r1) : "r"(INT64_MIN), "r"(-1l));
	__asm__("divw %0, %1, %2" : "=r"(w) : "r"(x | 0x80000000l), "r"(-1l));
	return (uint64_t)q0 ^ ((uint64_t)r0 << 1) ^ (qu0 << 2) ^ (ru0 << 3) ^ (uint64_t)q1 ^
	       ((uint64_t)r1 << 5) ^ ((uint64_t)w << 7);
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static uint64_t int_round(uint64_t seed)
{
	uint64_t x = seed, h = FNV1A64_INIT;
	for (int i = 0; i < INT_STEPS; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t d = (x >> 40) | 1;
		int64_t sd = (int64_t)(x >> 20) - (1l << 43);
		uint64_t hi = (uint64_t)(((unsigned __int128)x * 0x9e3779b97f4a7c15ull) >> 64);
		int64_t shi = (int64_t)(((__int128)(int64_t)x * -12345678901l) >> 64);
		uint32_t w = (uint32_t)x / ((uint32_t)d | 1);
		int32_t sw = (int32_t)x % (int32_t)(d | 3);
		h = fnv1a64(h, x / d + x % d + (uint64_t)((int64_t)x / (sd | 1)) + (uint64_t)((int64_t)x % (sd | 1)));
		h ^= hi + (uint64_t)shi + w + (uint64_t)(int64_t)sw;
		if ((i & 63) == 0)
			h += gcd(x >> 32, d) + div_edge_cases((int64_t)x);
	}
	return h;
}

/* Five bodies under gravity, a few hundred Euler steps: sqrt and division in double. */
static uint64_t nbody_round(uint64_t seed)
{
	double px[5], py[5], pz[5], vx[5], vy[5], vz[5], m[5];
	uint64_t s = seed | 1;
	for (int i = 0; i < 5; i++) {
		/* Small exact values from the seed: the same start on every machine. */
		px[i] = (double)(int)(xorshift64(&s) % 2001 - 1000) / 64;
		py[i] = (double)(int)(xorshift64(&s) % 2001 - 1000) / 64;
		pz[i] = (double)(int)(xorshift64(&s) % 2001 - 1000) / 64;
		vx[i] = vy[i] = vz[i] = 0;
		m[i] = 1 + (double)(xorshift64(&s) % 16) / 4;
	}
	const double dt = 0.001, soft = 0.01;
	for (int step = 0; step < NBODY_STEPS; step++) {
		for (int i = 0; i < 5; i++) {
			for (int j = i + 1; j < 5; j++) {
				double dx = px[i] - px[j], dy = py[i] - py[j], dz = pz[i] - pz[j];
				double d2 = dx * dx + dy * dy + dz * dz + soft;
				double mag = dt / (d2 * __builtin_sqrt(d2));
				vx[i] -= dx * m[j] * mag;
				vy[i] -= dy * m[j] * mag;
				vz[i] -= dz * m[j] * mag;
				vx[j] += dx * m[i] * mag;
				vy[j] += dy * m[i] * mag;
				vz[j] += dz * m[i] * mag;
			}
		}
		for (int i = 0; i < 5; i++) {
			px[i] += dt * vx[i];
			py[i] += dt * vy[i];
			pz[i] += dt * vz[i];
		}
	}
	uint64_t h = FNV1A64_INIT;
	for (int i = 0; i < 5; i++)
		h = fnv1a64(fnv1a64(fnv1a64(h, bits64(px[i])), bits64(vy[i])), bits64(pz[i]));
	return h;
}

/* A square matrix product with fused multiply-add, then its trace and checksum. */
static uint64_t matmul_round(uint64_t seed)
{
	static double a[MAT][MAT], b[MAT][MAT], c[MAT][MAT];
	uint64_t s = seed | 1;
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			a[i][j] = (double)(int64_t)(xorshift64(&s) >> 44) / 3.0;
			b[i][j] = 1.0 / (double)(1 + (xorshift64(&s) >> 54));
		}
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			double sum = 0;
			for (int k = 0; k < MAT; k++)
				sum = __builtin_fma(a[i][k], b[k][j], sum);
			c[i][j] = sum;
		}
	uint64_t h = FNV1A64_INIT;
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++)
			h = fnv1a64(h, bits64(c[i][j]));
	return h;
}

/* Single precision: sqrt, division, fma and conversions, kept inside (1, 1e6). */
static uint64_t float_round(uint64_t seed)
{
	float x = 1.5f + (float)(seed & 0xff) / 256.0f, y = 2.0f;
	uint64_t h = FNV1A64_INIT;
	for (int i = 0; i < FLOAT_STEPS; i++) {
		float r = __builtin_sqrtf(x * y + 1.0f);
		y = __builtin_fmaf(r, 0.75f, x / (y + 1.0f));
		x = 1.0f + (float)((int32_t)(y * 1000.0f) % 977) / 7.0f;
		h ^= bits32(y) + ((uint64_t)bits32(r) << 32);
		h *= 0x100000001b3ull;
	}
	return h;
}

#endif
