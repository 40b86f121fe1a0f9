// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Strict argument parsing for the physwin CLI; see parse.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static int parse_prefix(const char *s, uint64_t *out, const char **end)
{
	unsigned long long v;
	char *e;

	/* strtoull() would skip blanks and accept a sign: a typo, not a number */
	if (!s || !isdigit((unsigned char)s[0])) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoull(s, &e, 0);
	if (errno == ERANGE)
		return -1;
	/* "0x" alone parses as 0 followed by "x" */
	if (e == s || (e[0] && (e[0] == 'x' || e[0] == 'X'))) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	*end = e;
	return 0;
}

int parse_u64(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;

	if (parse_prefix(s, &v, &end))
		return -1;
	if (*end) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	const char *end;
	unsigned int shift;
	uint64_t v;

	if (parse_prefix(s, &v, &end))
		return -1;
	switch (*end) {
	case '\0':
		shift = 0;
		break;
	case 'K':
	case 'k':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (*end && end[1]) {
		errno = EINVAL;
		return -1;
	}
	if (shift && v > (UINT64_MAX >> shift)) {
		errno = ERANGE;
		return -1;
	}
	*out = v << shift;
	return 0;
}

int parse_width(const char *s, unsigned int *bits)
{
	uint64_t v;

	if (parse_u64(s, &v))
		return -1;
	if (v != 8 && v != 16 && v != 32 && v != 64) {
		errno = EINVAL;
		return -1;
	}
	*bits = (unsigned int)v;
	return 0;
}

int parse_devmem_width(const char *s, unsigned int *bits)
{
	/* as busybox: the C types' widths, so "l" is 32 in a 32-bit program */
	static const char letters[] = "bhwl";
	static const unsigned int sizes[] = {
		8 * sizeof(char), 8 * sizeof(short), 8 * sizeof(int),
		8 * sizeof(long),
	};
	const char *p;

	if (s && s[0] && !s[1] && !isdigit((unsigned char)s[0])) {
		p = strchr(letters, tolower((unsigned char)s[0]));
		if (!p) {
			errno = EINVAL;
			return -1;
		}
		*bits = sizes[p - letters];
		return 0;
	}
	return parse_width(s, bits);
}
