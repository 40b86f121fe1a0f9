// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem_check: the host's side of the ivshmem tests (see ivshmem_plan.h).
 *
 *   ivshmem_check fill FILE     write the prefill pattern, before the boot
 *   ivshmem_check verify FILE LOG
 *                               after the guest ran the suite: every byte
 *                               inside a window was written, every byte of
 *                               the confinement window IVR equals the model
 *                               the driver printed in the guest's output LOG
 *                               (PHYSWIN-SHADOW lines), and every other byte
 *                               is untouched
 *
 * verify prints TAP lines and exits 0 only if all hold.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ivshmem_plan.h"

static int fill(const char *path)
{
	FILE *f = fopen(path, "wb");
	uint64_t off;

	if (!f) {
		fprintf(stderr, "ivshmem_check: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (off = 0; off < IVSHMEM_SIZE; off++)
		fputc(ivshmem_prefill(off), f);
	if (fclose(f)) {
		fprintf(stderr, "ivshmem_check: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static uint8_t shadow[IVR_SIZE];
static bool shadow_known[IVR_SIZE];

/* Read the driver's "PHYSWIN-SHADOW OFF HEX" lines from the guest's log. */
static int read_shadow(const char *log)
{
	char line[512], *hex;
	unsigned long long off;
	FILE *f = fopen(log, "r");
	int n = 0;

	if (!f) {
		fprintf(stderr, "ivshmem_check: %s: %s\n", log, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "PHYSWIN-SHADOW ", 15))
			continue;
		off = strtoull(line + 15, &hex, 16);
		while (*hex == ' ')
			hex++;
		for (; hex[0] && hex[1] && hex[0] != '\n'; hex += 2, off++) {
			unsigned int b;

			if (off < IVR_OFF || off >= IVR_OFF + IVR_SIZE ||
			    sscanf(hex, "%2x", &b) != 1)
				break;
			shadow[off - IVR_OFF] = (uint8_t)b;
			shadow_known[off - IVR_OFF] = true;
		}
		n++;
	}
	fclose(f);
	return n;
}

static int verify(const char *path, const char *log)
{
	uint64_t off, bad_in = 0, bad_out = 0, n_in = 0, n_out = 0;
	uint64_t bad_model = 0, n_model = 0;
	FILE *f = fopen(path, "rb");
	int c, shown = 0, lines;

	/* three results, whatever happens: the host counts against this */
	printf("1..3\n");
	lines = read_shadow(log);
	if (lines < 0)
		return 1;
	if (!f) {
		fprintf(stderr, "ivshmem_check: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (off = 0; off < IVSHMEM_SIZE; off++) {
		c = fgetc(f);
		if (c == EOF)
			break;
		if (off >= IVR_OFF && off < IVR_OFF + IVR_SIZE) {
			n_model++;
			if (shadow_known[off - IVR_OFF] &&
			    c == shadow[off - IVR_OFF])
				continue;
			bad_model++;
			if (shown++ < 8)
				printf("# offset %#" PRIx64 " (confinement window): %#04x, model %s%#04x\n",
				       off, c, shadow_known[off - IVR_OFF] ?
				       "" : "unknown, ", shadow[off - IVR_OFF]);
			continue;
		}
		if (ivshmem_in_window(off))
			n_in++;
		else
			n_out++;
		if (c == ivshmem_expected(off))
			continue;
		if (ivshmem_in_window(off))
			bad_in++;
		else
			bad_out++;
		if (shown++ < 8)
			printf("# offset %#" PRIx64 " (%s a window): %#04x, expected %#04x\n",
			       off, ivshmem_in_window(off) ? "inside" : "outside",
			       c, ivshmem_expected(off));
	}
	fclose(f);
	if (off != IVSHMEM_SIZE) {
		printf("not ok 1 host: ivshmem file is %#" PRIx64 " bytes, not %#llx\n",
		       off, IVSHMEM_SIZE);
		return 1;
	}
	printf("%s 1 host: ivshmem: all %" PRIu64 " window bytes hold what the guest wrote (%" PRIu64 " wrong)\n",
	       bad_in ? "not ok" : "ok", n_in, bad_in);
	printf("%s 2 host: ivshmem: all %" PRIu64 " bytes outside the windows untouched (%" PRIu64 " changed)\n",
	       bad_out ? "not ok" : "ok", n_out, bad_out);
	printf("%s 3 host: ivshmem: all %" PRIu64 " confinement window bytes equal the driver's model (%" PRIu64 " differ, %d model lines)\n",
	       bad_model ? "not ok" : "ok", n_model, bad_model, lines);
	return bad_in || bad_out || bad_model;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fill"))
		return fill(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "verify"))
		return verify(argv[2], argv[3]);
	fprintf(stderr, "usage: ivshmem_check fill FILE | verify FILE LOG\n");
	return 2;
}
