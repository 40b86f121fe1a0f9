// SPDX-License-Identifier: GPL-2.0
/*
 * window= parser; see spec.h.  Deliberately free of kernel helpers (no
 * kstrto*, no string.h beyond what both worlds have) so that user space
 * builds and fuzzes the very same code.
 */
#ifdef __KERNEL__
#include <linux/overflow.h>
#include <linux/string.h>
#else
#include <string.h>
/* the kernel's names for the compiler's overflow builtins */
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#endif

#include "spec.h"

/* Cache modes, as in the UAPI header (which user-space fuzzing lacks). */
#define SPEC_CACHE_UC	0
#define SPEC_CACHE_WC	1
#define SPEC_CACHE_WB	2

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * Parse digits of @base at *@p into *@out, advancing *@p.  At least one
 * digit; no overflow.  Returns NULL or a reason.
 */
static const char *parse_digits(const char **p, unsigned int base, __u64 *out)
{
	const char *s = *p;
	__u64 v = 0;

	if (digit_value(*s) >= (int)base)
		return "expected a number";
	/* no 64-bit division: 32-bit kernels have no helper for it */
	while (digit_value(*s) < (int)base) {
		unsigned int d = digit_value(*s++);

		if (check_mul_overflow(v, (__u64)base, &v) ||
		    check_add_overflow(v, (__u64)d, &v))
			return "number too large";
	}
	*p = s;
	*out = v;
	return NULL;
}

/* A C number: 0x hex, 0 octal, decimal. */
static const char *parse_number(const char **p, __u64 *out)
{
	const char *s = *p;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		*p = s + 2;
		return parse_digits(p, 16, out);
	}
	if (s[0] == '0') {
		*p = s + 1;
		*out = 0;
		if (digit_value(**p) < 8)
			return parse_digits(p, 8, out);
		return digit_value(**p) < 10 ? "bad octal number" : NULL;
	}
	return parse_digits(p, 10, out);
}

static const char *parse_size(const char **p, __u64 *out)
{
	unsigned int shift = 0;
	const char *why = parse_number(p, out);

	if (why)
		return why;
	switch (**p) {
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
		return NULL;
	}
	(*p)++;
	if (*out > (~0ULL >> shift))
		return "size too large";
	*out <<= shift;
	return NULL;
}

/* Exactly @n hex digits, at most @max. */
static const char *parse_hex_field(const char **p, unsigned int n, __u64 max,
				   __u64 *out)
{
	const char *s = *p;
	__u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (digit_value(s[i]) >= 16)
			return "malformed PCI address (want pci:DDDD:BB:DD.F/BAR)";
		v = v * 16 + digit_value(s[i]);
	}
	if (v > max)
		return "PCI address field out of range";
	*p = s + n;
	*out = v;
	return NULL;
}

static const char *expect_char(const char **p, char c)
{
	if (**p != c)
		return "malformed PCI address (want pci:DDDD:BB:DD.F/BAR)";
	(*p)++;
	return NULL;
}

static const char *parse_pci(const char **p, struct physwin_spec *spec)
{
	const char *why;
	__u64 v;

	spec->pci = true;
	why = parse_hex_field(p, 4, 0xffff, &v);
	if (why)
		return why;
	spec->pci_domain = (__u32)v;
	why = expect_char(p, ':') ?: parse_hex_field(p, 2, 0xff, &v);
	if (why)
		return why;
	spec->pci_bus = (__u8)v;
	why = expect_char(p, ':') ?: parse_hex_field(p, 2, 0x1f, &v);
	if (why)
		return why;
	spec->pci_slot = (__u8)v;
	why = expect_char(p, '.') ?: parse_hex_field(p, 1, 7, &v);
	if (why)
		return why;
	spec->pci_func = (__u8)v;
	why = expect_char(p, '/');
	if (why)
		return why;
	if (**p < '0' || **p > '5')
		return "PCI BAR must be 0 to 5";
	spec->pci_bar = (__u8)(*(*p)++ - '0');
	return NULL;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* Length of the attribute at @s, up to ':' or the end. */
static size_t attr_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ':')
		n++;
	return n;
}

static bool attr_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

static const char *parse_attr(const char *s, size_t n,
			      struct physwin_spec *spec, unsigned int *seen)
{
	enum { ACCESS = 1, CACHE = 2, WIDTH = 4, EXACT = 8, CLAIM = 16 };
	unsigned int kind;

	if (attr_is(s, n, "ro") || attr_is(s, n, "rw")) {
		kind = ACCESS;
		spec->readonly = s[1] == 'o';
	} else if (attr_is(s, n, "uc")) {
		kind = CACHE;
		spec->cache = SPEC_CACHE_UC;
	} else if (attr_is(s, n, "wc")) {
		kind = CACHE;
		spec->cache = SPEC_CACHE_WC;
	} else if (attr_is(s, n, "wb")) {
		kind = CACHE;
		spec->cache = SPEC_CACHE_WB;
	} else if (n == 7 && !memcmp(s, "width=", 6) &&
		   (s[6] == '1' || s[6] == '2' || s[6] == '4' || s[6] == '8')) {
		kind = WIDTH;
		spec->width = (__u8)(s[6] - '0');
	} else if (n > 6 && !memcmp(s, "width=", 6)) {
		return "width must be 1, 2, 4 or 8";
	} else if (attr_is(s, n, "exact")) {
		kind = EXACT;
		spec->exact = true;
	} else if (attr_is(s, n, "claim") || attr_is(s, n, "noclaim")) {
		kind = CLAIM;
		spec->noclaim = s[0] == 'n';
	} else if (!n) {
		return "empty attribute";
	} else {
		return "unknown attribute";
	}
	if (*seen & kind)
		return "attribute given twice or conflicting";
	*seen |= kind;
	return NULL;
}

const char *physwin_spec_parse(const char *s, struct physwin_spec *spec)
{
	unsigned int seen = 0;
	const char *why;
	size_t n = 0;

	memset(spec, 0, sizeof(*spec));
	if (!s)
		return "empty window";
	while (is_name_char(s[n]))
		n++;
	if (!n)
		return s[0] == '@' ? "missing name" : "name must be [a-z0-9_-]";
	if (n >= PHYSWIN_SPEC_NAME_MAX)
		return "name longer than 31 characters";
	if (s[n] != '@')
		return s[n] ? "name must be [a-z0-9_-]" : "missing '@'";
	memcpy(spec->name, s, n);
	s += n + 1;

	if (!strncmp(s, "pci:", 4)) {
		s += 4;
		why = parse_pci(&s, spec);
	} else {
		why = parse_number(&s, &spec->base);
		if (!why && *s != '+')
			why = "expected '+SIZE' after the base";
		if (!why) {
			s++;
			why = parse_size(&s, &spec->size);
		}
	}
	if (why)
		return why;

	while (*s) {
		if (*s != ':')
			return "junk after the address";
		s++;
		n = attr_len(s);
		why = parse_attr(s, n, spec, &seen);
		if (why)
			return why;
		s += n;
	}
	if (spec->exact && !spec->width)
		return "exact needs width=";
	return NULL;
}
