// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem_check: the host's side of the ivshmem tests (see ivshmem_plan.h).
 *
 *   ivshmem_check fill FILE     write the prefill pattern, before the boot
 *   ivshmem_check verify FILE   after the guest ran the suite: every byte
 *                               inside a window was written, every byte
 *                               outside is untouched
 *
 * verify prints TAP lines and exits 0 only if both hold.
 */
#include <errno.h>
#include <inttypes.h>
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

static int verify(const char *path)
{
	uint64_t off, bad_in = 0, bad_out = 0, n_in = 0, n_out = 0;
	FILE *f = fopen(path, "rb");
	int c, shown = 0;

	if (!f) {
		fprintf(stderr, "ivshmem_check: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (off = 0; off < IVSHMEM_SIZE; off++) {
		c = fgetc(f);
		if (c == EOF)
			break;
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
	return bad_in || bad_out;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fill"))
		return fill(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "verify"))
		return verify(argv[2]);
	fprintf(stderr, "usage: ivshmem_check fill|verify FILE\n");
	return 2;
}
