// SPDX-License-Identifier: GPL-2.0
/*
 * pwio: the small I/O helper the guest shell tests and the demo use.
 *
 * Options first: -u UID runs as that uid (and gid), -d PATH uses another
 * device than /dev/physwin.
 *
 *   pwio [-u UID] open PATH [r]      open read-write (read-only with r);
 *                                    print "ok" or the errno
 *   pwio read ADDR WIDTH             one pread() of WIDTH bytes; print value
 *   pwio write ADDR WIDTH VALUE      one pwrite() of WIDTH bytes
 *   pwio hold ADDR [mmap]            keep /dev/physwin open (or only a
 *                                    mapping of ADDR) until killed
 *   pwio flood N ADDR                N refused 4-byte preads at ADDR in a
 *                                    tight loop; print how many were EPERM
 *   pwio pattern OFF LEN             write ivshmem_written() for BAR offsets
 *                                    [OFF, OFF + LEN) to stdout
 *   pwio churn STOPFILE ADDR         rounds of open, pread, mmap, load,
 *                                    munmap, close at ADDR until STOPFILE
 *                                    exists, while the module comes and
 *                                    goes: an open may find no device
 *                                    (ENOENT, ENODEV, ENXIO), but an open
 *                                    file always works; print
 *                                    "opened X gone Y"
 *
 * Exit status: 0 ok, 1 the operation failed (errno name on stdout), 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ivshmem_plan.h"

static const char *device = "/dev/physwin";

static void usage(void)
{
	fprintf(stderr,
		"usage: pwio [-u UID] [-d DEVICE] open PATH [r]\n"
		"       pwio read ADDR WIDTH\n"
		"       pwio write ADDR WIDTH VALUE\n"
		"       pwio hold ADDR [mmap]\n"
		"       pwio flood N ADDR\n"
		"       pwio churn STOPFILE ADDR\n"
		"       pwio pattern OFF LEN\n");
	exit(2);
}

static uint64_t number(const char *arg)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-') {
		fprintf(stderr, "pwio: bad number '%s'\n", arg);
		exit(2);
	}
	return v;
}

static unsigned int width(const char *arg)
{
	uint64_t w = number(arg);

	if (w != 1 && w != 2 && w != 4 && w != 8) {
		fprintf(stderr, "pwio: width must be 1, 2, 4 or 8\n");
		exit(2);
	}
	return w;
}

static int failed(void)
{
	printf("%s\n", strerrorname_np(errno));
	return 1;
}

static int churn(const char *stop, uint64_t addr)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t opened = 0, gone = 0;
	volatile uint8_t *p;
	uint8_t b;
	int fd;

	while (access(stop, F_OK)) {
		fd = open(device, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			if (errno != ENOENT && errno != ENODEV && errno != ENXIO)
				return failed();
			gone++;
			usleep(500);
			continue;
		}
		opened++;
		if (pread(fd, &b, 1, addr) != 1)
			return failed();
		p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, addr);
		if (p == MAP_FAILED)
			return failed();
		if (p[0] != b) {
			printf("mapping read 0x%02x, pread 0x%02x\n", p[0], b);
			return 1;
		}
		close(fd);
		/* the mapping alone keeps the module for a moment */
		munmap((void *)p, page);
		/* leave rmmod a chance now and then */
		usleep(500);
	}
	printf("opened %" PRIu64 " gone %" PRIu64 "\n", opened, gone);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t value = 0;
	unsigned int w;
	ssize_t n;
	int fd;

	while (argc > 2 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-u")) {
			if (setgid(number(argv[2])) || setuid(number(argv[2])))
				return failed();
		} else if (!strcmp(argv[1], "-d")) {
			device = argv[2];
		} else {
			usage();
		}
		argc -= 2;
		argv += 2;
	}
	if (argc < 2)
		usage();

	if (!strcmp(argv[1], "open") && (argc == 3 ||
					  (argc == 4 && !strcmp(argv[3], "r")))) {
		fd = open(argv[2], (argc == 4 ? O_RDONLY : O_RDWR) | O_CLOEXEC);
		if (fd < 0)
			return failed();
		printf("ok\n");
		return 0;
	}

	if (!strcmp(argv[1], "churn") && argc == 4)
		return churn(argv[2], number(argv[3]));

	if (!strcmp(argv[1], "pattern") && argc == 4) {
		uint64_t off = number(argv[2]), end = off + number(argv[3]);

		for (; off < end; off++)
			putchar(ivshmem_written(off));
		return 0;
	}

	fd = open(device, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		return failed();

	if (!strcmp(argv[1], "read") && argc == 4) {
		w = width(argv[3]);
		n = pread(fd, &value, w, number(argv[2]));
		if (n < 0)
			return failed();
		if (n != (ssize_t)w) {
			printf("short: %zd\n", n);
			return 1;
		}
		printf("0x%0*" PRIx64 "\n", (int)w * 2, value);
		return 0;
	}
	if (!strcmp(argv[1], "write") && argc == 5) {
		w = width(argv[3]);
		value = number(argv[4]);
		n = pwrite(fd, &value, w, number(argv[2]));
		if (n < 0)
			return failed();
		if (n != (ssize_t)w) {
			printf("short: %zd\n", n);
			return 1;
		}
		return 0;
	}
	if (!strcmp(argv[1], "flood") && argc == 4) {
		uint64_t i, n = number(argv[2]), addr = number(argv[3]), eperm = 0;

		for (i = 0; i < n; i++)
			if (pread(fd, &value, 4, addr) < 0 && errno == EPERM)
				eperm++;
		printf("%" PRIu64 "\n", eperm);
		return 0;
	}
	if (!strcmp(argv[1], "hold") && (argc == 3 || argc == 4)) {
		long page = sysconf(_SC_PAGESIZE);

		if (argc == 4) {
			if (strcmp(argv[3], "mmap"))
				usage();
			if (mmap(NULL, page, PROT_READ, MAP_SHARED, fd,
				 number(argv[2])) == MAP_FAILED)
				return failed();
			close(fd);
		}
		printf("holding\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	usage();
	return 2;
}
