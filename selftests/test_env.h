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
