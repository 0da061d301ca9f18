/*
 * Just enough of a flattened-device-tree reader to find a property by path
 * (Devicetree Specification, chapter 5: header, structure block of tokens, strings block).
 */
#include <string.h>
#include "runtime.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
		last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

static uint32_t be32(const void *p)
{
	return __builtin_bswap32(*(const uint32_t *)p);
}

static const struct fdt_header *header(void)
{
	const struct fdt_header *h = (const struct fdt_header *)boot_dtb;
	/* A boot that passes no tree leaves a1 at 0 or at some misaligned value. */
	if (h == NULL || ((uintptr_t)h & 7) != 0 || be32(&h->magic) != FDT_MAGIC)
		return NULL;
	return h;
}

uint64_t fdt_end(void)
{
	const struct fdt_header *h = header();
	return h ? boot_dtb + be32(&h->totalsize) : 0;
}

uint64_t fdt_cells(const void *p, uint32_t ncells)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (uint32_t i = 0; i < ncells; i++)
		v = (v << 32) | be32(b + 4 * i);
	return v;
}

/* Does node `name` ("memory@80000000") match path component `comp` ("memory", len bytes)? */
static int component_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len) != 0)
		return 0;
	if (name[len] == '\0')
		return 1;
	/* A component that names no unit address matches any. */
	return name[len] == '@' && memchr(comp, '@', len) == NULL;
}

const void *fdt_prop(const char *path, const char *name, uint32_t *len)
{
	const struct fdt_header *h = header();
	if (h == NULL || path[0] != '/')
		return NULL;
	const uint8_t *base = (const uint8_t *)h;
	const uint8_t *p = base + be32(&h->off_dt_struct);
	const uint8_t *end = p + be32(&h->size_dt_struct);
	const char *strings = (const char *)base + be32(&h->off_dt_strings);

	/* depth: nodes open around p (the root is depth 1); matched: how many of those lie on
	 * `path`; rest: the part of `path` not matched yet. */
	int depth = 0, matched = 0;
	const char *rest = path + 1;
	const char *stack[16]; /* where `rest` stood before each matched component */

	while (p < end) {
		uint32_t token = be32(p);
		p += 4;
		switch (token) {
		case FDT_BEGIN_NODE: {
			const char *node = (const char *)p;
			size_t n = strlen(node);
			p += (n + 1 + 3) & ~3ul;
			depth++;
			if (depth == 1) {
				matched = 1; /* the root, "/" */
			} else if (matched == depth - 1 && *rest != '\0' && depth < 16) {
				size_t clen = strcspn(rest, "/");
				if (component_matches(node, rest, clen)) {
					stack[depth] = rest;
					rest += clen + (rest[clen] == '/');
					matched = depth;
				}
			}
			break;
		}
		case FDT_END_NODE:
			if (matched == depth && depth > 1)
				rest = stack[depth];
			if (matched == depth)
				matched--;
			depth--;
			break;
		case FDT_PROP: {
			uint32_t plen = be32(p), nameoff = be32(p + 4);
			const uint8_t *value = p + 8;
			p = value + ((plen + 3) & ~3u);
			if (matched == depth && *rest == '\0' && strcmp(strings + nameoff, name) == 0) {
				if (len)
					*len = plen;
				return value;
			}
			break;
		}
		case FDT_NOP:
			break;
		default: /* FDT_END or a malformed token */
			return NULL;
		}
	}
	return NULL;
}
