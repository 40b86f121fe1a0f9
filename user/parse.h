/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Strict parsing of the physwin CLI's arguments.  Kept apart from the tool
 * so the parsers can be tested and fuzzed on their own.  Each returns 0, or
 * -1 with errno EINVAL (not a number of that kind) or ERANGE (too large).
 */
#ifndef PHYSWIN_PARSE_H
#define PHYSWIN_PARSE_H

#include <stdint.h>

/* C notation: 0x hex, 0 octal, else decimal; nothing before or after. */
int parse_u64(const char *s, uint64_t *out);
/* parse_u64() with an optional K, M or G suffix (powers of 1024). */
int parse_size(const char *s, uint64_t *out);
/* 8, 16, 32 or 64 */
int parse_width(const char *s, unsigned int *bits);
/*
 * busybox devmem: 8, 16, 32, 64, or one letter b, h, w, l (any case): the
 * widths of char, short, int and long in this program
 */
int parse_devmem_width(const char *s, unsigned int *bits);

#endif /* PHYSWIN_PARSE_H */
