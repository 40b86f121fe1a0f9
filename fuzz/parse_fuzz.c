// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target for the physwin CLI's argument parsers (user/parse.c).
 * The first byte picks the parser, the rest is the argument.
 *
 * parse_u64() and parse_size() are checked against a reference parser
 * written here independently (digit by digit, no strtoull), so a number
 * accepted by one and refused by the other, or read as a different value,
 * is a failure, not only a crash.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* 0: ok, EINVAL: not a number, ERANGE: too large */
static int ref_number(const char *s, uint64_t *out, const char **end)
{
	unsigned int base = 10;
	uint64_t v = 0;
	int any = 0;

	if (s[0] < '0' || s[0] > '9')
		return EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (;; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		any = 1;
		if (v > (UINT64_MAX - d) / base)
			return ERANGE;
		v = v * base + d;
	}
	if (!any || *s == 'x' || *s == 'X')
		return EINVAL;
	*out = v;
	*end = s;
	return 0;
}

static int ref_u64(const char *s, uint64_t *out)
{
	const char *end;
	int e = ref_number(s, out, &end);

	return e ? e : (*end ? EINVAL : 0);
}

static int ref_size(const char *s, uint64_t *out)
{
	const char *end;
	unsigned int shift;
	int e = ref_number(s, out, &end);

	if (e)
		return e;
	if (!*end)
		return 0;
	if (end[1])
		return EINVAL;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	else
		return EINVAL;
	if (*out > (UINT64_MAX >> shift))
		return ERANGE;
	*out <<= shift;
	return 0;
}

/* Compare a parser's (rc, errno, value) with the reference's. */
static void same(const char *what, const char *s, int rc, int err,
		 uint64_t got, int want_err, uint64_t want)
{
	if (rc != 0 && rc != -1)
		abort();
	if ((rc ? err : 0) != want_err || (!rc && got != want)) {
		fprintf(stderr, "%s('%s'): rc %d errno %d value %" PRIu64
			", reference errno %d value %" PRIu64 "\n",
			what, s, rc, rc ? err : 0, got, want_err, want);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t got = 0, want = 0;
	unsigned int bits = 0;
	char *s;
	int rc;

	if (size < 1)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	switch (data[0] % 4) {
	case 0:
		errno = 0;
		rc = parse_u64(s, &got);
		same("parse_u64", s, rc, errno, got, ref_u64(s, &want), want);
		break;
	case 1:
		errno = 0;
		rc = parse_size(s, &got);
		same("parse_size", s, rc, errno, got, ref_size(s, &want), want);
		break;
	default:
		/* widths: one of four, or a clean refusal */
		errno = 0;
		rc = data[0] % 4 == 2 ? parse_width(s, &bits) :
					parse_devmem_width(s, &bits);
		if (!rc && bits != 8 && bits != 16 && bits != 32 && bits != 64)
			abort();
		if (rc && errno != EINVAL && errno != ERANGE)
			abort();
		break;
	}
	free(s);
	return 0;
}
