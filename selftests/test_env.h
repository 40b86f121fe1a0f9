/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest tests' view of their targets: guest/env.sh and guest/suite.sh
 * export addresses as PW_* variables.
 */
#ifndef PHYSWIN_TEST_ENV_H
#define PHYSWIN_TEST_ENV_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/physwin.h>

/* The address in environment variable @name; aborts the test without it. */
static inline uint64_t env_addr(const char *name)
{
	const char *s = getenv(name);
	char *end;
	uint64_t v;

	if (!s || !*s) {
		fprintf(stderr, "%s is not set: run under guest/suite.sh\n", name);
		abort();
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end) {
		fprintf(stderr, "%s='%s' is not a number\n", name, s);
		abort();
	}
	return v;
}

/*
 * What the loaded module reports about this kernel, from sysfs: the tests
 * follow it rather than the architecture's name.  "max_width" (8, or 4 on
 * 32-bit kernels), "ptrace" (whether ptrace and /proc/PID/mem reach a
 * mapping), "phys_addr_bits".  Aborts the test when it cannot be read.
 */
static inline unsigned long physwin_fact(const char *name)
{
	char path[128];
	unsigned long v;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/misc/physwin/%s", name);
	f = fopen(path, "re");
	if (!f || fscanf(f, "%lu", &v) != 1) {
		fprintf(stderr, "cannot read %s\n", path);
		abort();
	}
	fclose(f);
	return v;
}

/*
 * Whether positions at and above 2^63 are out of reach: for a 32-bit
 * program, or on a 32-bit kernel (max_width 4), lseek cannot return one.
 */
static inline int physwin_narrow_offsets(void)
{
	return sizeof(long) < 8 || physwin_fact("max_width") < 8;
}

/*
 * The top page a program's mmap() can name, and the errno of a mapping
 * that runs past it.  A 64-bit program names all of 2^64 (the mm core's
 * page offset then wraps: EOVERFLOW).  A 32-bit one uses mmap2(), whose
 * offset counts 4096s in 32 bits: its top is 2^44 - 4096, which the C
 * libraries pass or refuse differently above (libphyswin says EOVERFLOW).
 * A 32-bit kernel (max_width 4) keeps the page offset in 32 bits too and
 * refuses a mapping whose end wraps it, so there the top page one page
 * long is one lower; past it, a 32-bit kernel's page offset wraps
 * (EOVERFLOW), a 64-bit one's does not (physwin says EPERM).
 */
static inline uint64_t mmap_top_page(void)
{
	if (sizeof(long) == 8)
		return ~0ULL & ~4095ULL;
	if (physwin_fact("max_width") < 8)
		return (1ULL << 44) - 8192;
	return (1ULL << 44) - 4096;
}

static inline int mmap_past_top_errno(void)
{
	return sizeof(long) < 8 && physwin_fact("max_width") == 8 ? EPERM :
								    EOVERFLOW;
}

/* PHYSWIN_IOC_BATCH on @n operations at @ops; fills in *@b. */
static inline int run_batch(int fd, struct physwin_op *ops, uint32_t n,
			    struct physwin_batch_req *b)
{
	memset(b, 0, sizeof(*b));
	b->size = sizeof(*b);
	b->op_size = sizeof(*ops);
	b->nr_ops = n;
	b->ops = (uintptr_t)ops;
	return ioctl(fd, PHYSWIN_IOC_BATCH, b);
}

/*
 * kselftest harness: @expr must fail with -1 (or MAP_FAILED) and exactly
 * errno @err.
 */
#define ASSERT_ERRNO(err, expr) do {					\
	errno = 0;							\
	ASSERT_EQ(-1, (long)(expr));					\
	ASSERT_EQ(err, errno)						\
		TH_LOG("expected %s, got %s", strerrorname_np(err),	\
		       strerrorname_np(errno));				\
} while (0)

#endif /* PHYSWIN_TEST_ENV_H */
