/* `key=value` parameters from /chosen/bootargs (QEMU's -append). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

#define WORD_MAX 64

void args_reject(const char *name, const char *why)
{
	printf("error: parameter %s: %s\n", name, why);
	exit(EXIT_BAD_ARGS);
}

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

static void apply(const struct arg *table, char *word)
{
	char *eq = strchr(word, '=');
	if (eq == NULL) {
		printf("warning: ignoring bootargs word '%s' (expected key=value)\n", word);
		return;
	}
	*eq = '\0';
	for (const struct arg *a = table; a->name; a++) {
		if (strcmp(a->name, word) != 0)
			continue;
		if (!parse_number(eq + 1, a->flags, a->value)) {
			printf("error: parameter %s: '%s' is not a number%s\n", word, eq + 1,
			       (a->flags & ARG_SIZE) ? " (K, M and G suffixes allowed)" : "");
			exit(EXIT_BAD_ARGS);
		}
		return;
	}
	printf("warning: ignoring unknown parameter '%s' (known:", word);
	for (const struct arg *a = table; a->name; a++)
		printf(" %s", a->name);
	printf(")\n");
}

void args_parse(const struct arg *table)
{
	if (fdt_end() == 0) {
		printf("warning: no device tree at a1=0x%lx, using default parameters\n", boot_dtb);
		return;
	}
	uint32_t len;
	const char *s = fdt_prop("/chosen", "bootargs", &len);
	if (s == NULL)
		return;
	const char *end = s + len;
	while (s < end && *s) {
		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		char word[WORD_MAX + 1];
		size_t n = 0;
		while (s < end && *s && *s != ' ' && *s != '\t') {
			if (n < WORD_MAX)
				word[n++] = *s;
			s++;
		}
		word[n] = '\0';
		apply(table, word);
	}
}
