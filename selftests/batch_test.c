// SPDX-License-Identifier: GPL-2.0
/*
 * batch_test: PHYSWIN_IOC_BATCH against edu and the carve-out, with the
 * five windows guest/suite.sh loads (see physwin_test.c).
 *
 * edu computes a factorial when 0x08 is written, with bit 0 of the status
 * register 0x20 set while it works: a real register to poll.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/physwin.h>

#include "kselftest_harness.h"
#include "test_env.h"

#define EDU_ID_VALUE	0x010000edU
#define EDU_FACTORIAL	0x08
#define EDU_STATUS	0x20
#define EDU_COMPUTING	0x01


static struct physwin_op mkop(uint32_t op, uint64_t addr, uint32_t width,
			      uint64_t value, uint64_t mask, uint32_t timeout_us)
{
	struct physwin_op o = {
		.addr = addr, .value = value, .mask = mask, .op = op,
		.width = width, .timeout_us = timeout_us,
	};

	return o;
}


static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

FIXTURE(batch) {
	int fd;
	uint64_t edu, resv;
	unsigned int maxw;	/* the widest access of this kernel */
};

FIXTURE_SETUP(batch)
{
	self->fd = open("/dev/physwin", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->edu = env_addr("PW_EDU");
	self->resv = env_addr("PW_RESV");
	self->maxw = physwin_fact("max_width");
}

/* @v cut to @width bytes */
static uint64_t cut(uint64_t v, unsigned int width)
{
	return width == 8 ? v : v & ((1ULL << (8 * width)) - 1);
}

FIXTURE_TEARDOWN(batch)
{
	close(self->fd);
}

/* the carve-out's operations are as wide as this kernel's accesses go */
TEST_F(batch, read_write_rmw)
{
	unsigned int w = self->maxw;
	struct physwin_op ops[] = {
		mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0),
		mkop(PHYSWIN_OP_WRITE, self->edu + 4, 4, 0x12345678, 0, 0),
		mkop(PHYSWIN_OP_READ, self->edu + 4, 4, 0, 0, 0),
		mkop(PHYSWIN_OP_WRITE, self->resv, w,
		     cut(0x1111222233334444ULL, w), 0, 0),
		mkop(PHYSWIN_OP_RMW, self->resv, w, 0xabcd0000ULL, 0xffff0000ULL, 0),
		mkop(PHYSWIN_OP_READ, self->resv, w, 0, 0, 0),
	};
	struct physwin_batch_req b;

	ASSERT_EQ(0, run_batch(self->fd, ops, 6, &b));
	ASSERT_EQ(6, b.nr_done);
	ASSERT_EQ(0, b.error);
	ASSERT_EQ(EDU_ID_VALUE, ops[0].result);
	ASSERT_EQ(~0x12345678U, ops[2].result);
	ASSERT_EQ(cut(0x1111222233334444ULL, w), ops[4].result);
	ASSERT_EQ(cut(0x11112222abcd4444ULL, w), ops[5].result);
}

/* write 5 to the factorial register, poll until edu is done, read 120 */
/*
 * Results go back to pages that fault when written: copy-on-write after a
 * fork (physwin writes them inside its section with page faults disabled,
 * then again outside it), and read-only (the batch stops there, EFAULT).
 */
TEST_F(batch, results_to_pages_that_fault)
{
	struct physwin_op *ops = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct physwin_batch_req b;
	int status;
	pid_t pid;

	ASSERT_NE(MAP_FAILED, (void *)ops);
	ops[0] = mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0);
	ops[1] = mkop(PHYSWIN_OP_WRITE, self->edu + 4, 4, 0x5a5a5a5a, 0, 0);
	ops[2] = mkop(PHYSWIN_OP_READ, self->edu + 4, 4, 0, 0, 0);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, run_batch(self->fd, ops, 3, &b));
	ASSERT_EQ(3, b.nr_done);
	ASSERT_EQ(EDU_ID_VALUE, ops[0].result);
	ASSERT_EQ(~0x5a5a5a5aU, ops[2].result);

	ASSERT_EQ(0, mprotect(ops, 4096, PROT_READ));
	ASSERT_EQ(-1, run_batch(self->fd, ops, 3, &b));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(0, b.nr_done);
	ASSERT_EQ(-EFAULT, b.error);
	ASSERT_EQ(0, munmap(ops, 4096));
}

TEST_F(batch, poll_edu_factorial)
{
	struct physwin_op ops[] = {
		mkop(PHYSWIN_OP_WRITE, self->edu + EDU_FACTORIAL, 4, 5, 0, 0),
		mkop(PHYSWIN_OP_POLL, self->edu + EDU_STATUS, 4, 0, EDU_COMPUTING,
		     1000000),
		mkop(PHYSWIN_OP_READ, self->edu + EDU_FACTORIAL, 4, 0, 0, 0),
	};
	struct physwin_batch_req b;

	ASSERT_EQ(0, run_batch(self->fd, ops, 3, &b));
	ASSERT_EQ(3, b.nr_done);
	ASSERT_EQ(0, ops[1].result & EDU_COMPUTING);
	ASSERT_EQ(120, ops[2].result);
}

TEST_F(batch, poll_times_out)
{
	struct physwin_op ops[] = {
		mkop(PHYSWIN_OP_POLL, self->edu, 4, 0, 0xffffffff, 20000),
		mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0),
	};
	struct physwin_batch_req b;
	double t = now();

	errno = 0;
	ASSERT_EQ(-1, run_batch(self->fd, ops, 2, &b));
	t = now() - t;
	ASSERT_EQ(ETIMEDOUT, errno);
	ASSERT_EQ(0, b.nr_done);
	ASSERT_EQ(-ETIMEDOUT, b.error);
	ASSERT_EQ(EDU_ID_VALUE, ops[0].result);	/* the last value seen */
	ASSERT_EQ(0, ops[1].result);		/* never ran */
	ASSERT_LE(0.02, t);
}

static void on_alarm(int sig)
{
}

TEST_F(batch, poll_is_interruptible)
{
	struct physwin_op op = mkop(PHYSWIN_OP_POLL, self->edu, 4, 0, 0xffffffff,
				    30000000);
	struct sigaction sa = { .sa_handler = on_alarm };
	struct physwin_batch_req b;
	double t;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	alarm(1);
	t = now();
	errno = 0;
	ASSERT_EQ(-1, run_batch(self->fd, &op, 1, &b));
	t = now() - t;
	ASSERT_EQ(EINTR, errno);
	ASSERT_EQ(-EINTR, b.error);
	ASSERT_GT(10.0, t);
}

TEST_F(batch, stops_at_first_failure)
{
	struct physwin_op ops[] = {
		mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0),
		mkop(PHYSWIN_OP_READ, self->edu + 0x1000, 4, 0, 0, 0),
		mkop(PHYSWIN_OP_WRITE, self->edu + 4, 4, 1, 0, 0),
	};
	struct physwin_batch_req b;

	errno = 0;
	ASSERT_EQ(-1, run_batch(self->fd, ops, 3, &b));
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(1, b.nr_done);
	ASSERT_EQ(-EPERM, b.error);
	ASSERT_EQ(EDU_ID_VALUE, ops[0].result);
}

/* each malformed operation alone, with its errno */
TEST_F(batch, operation_errors)
{
	static const struct {
		uint32_t op, width;
		uint64_t off, value, mask;
		int err;
	} cases[] = {
		{ PHYSWIN_OP_READ, 3, 0, 0, 0, EINVAL },
		{ PHYSWIN_OP_READ, 0, 0, 0, 0, EINVAL },
		{ PHYSWIN_OP_READ, 4, 2, 0, 0, EINVAL },
		{ 0, 4, 0, 0, 0, EINVAL },
		{ 5, 4, 0, 0, 0, EINVAL },
		{ PHYSWIN_OP_WRITE, 1, 4, 0x100, 0, EINVAL },
		{ PHYSWIN_OP_RMW, 2, 4, 1, 0x10000, EINVAL },
		{ PHYSWIN_OP_READ, 8, 0xffc, 0, 0, EPERM },	/* past the end */
		{ PHYSWIN_OP_READ, 4, 0xffc + 0x1000, 0, 0, EPERM },
	};
	struct physwin_batch_req b;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct physwin_op op = mkop(cases[i].op, self->edu + cases[i].off,
					    cases[i].width, cases[i].value,
					    cases[i].mask, 0);

		errno = 0;
		ASSERT_EQ(-1, run_batch(self->fd, &op, 1, &b)) TH_LOG("case %u", i);
		ASSERT_EQ(cases[i].err, errno) TH_LOG("case %u", i);
		ASSERT_EQ(0, b.nr_done);
	}
	{
		struct physwin_op op = mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0);

		op.reserved = 1;
		ASSERT_EQ(-1, run_batch(self->fd, &op, 1, &b));
		ASSERT_EQ(EINVAL, errno);
	}
}

TEST_F(batch, batch_errors)
{
	struct physwin_op op = mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0);
	struct physwin_batch_req b;

	ASSERT_EQ(-1, run_batch(self->fd, &op, 0, &b));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, run_batch(self->fd, &op, PHYSWIN_BATCH_MAX + 1, &b));
	ASSERT_EQ(EINVAL, errno);

	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.op_size = sizeof(op) - 8;
	b.nr_ops = 1;
	b.ops = (uintptr_t)&op;
	ASSERT_EQ(-1, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	ASSERT_EQ(EINVAL, errno);
	b.op_size = sizeof(op);
	b.reserved[2] = 1;
	ASSERT_EQ(-1, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	ASSERT_EQ(EINVAL, errno);
	b.reserved[2] = 0;
	b.ops = 8;
	ASSERT_EQ(-1, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(0, b.nr_done);
	b.ops = (uintptr_t)&op;
	ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	ASSERT_EQ(1, b.nr_done);
}

/*
 * Four threads each flip their own bit of one word with RMW, and check the
 * bit they find: a lost update (another thread's read-modify-write
 * interleaved with ours) shows as a bit in the wrong state.
 */
#define RMW_THREADS	4
#define RMW_ROUNDS	3000

struct rmw_arg {
	int fd;
	uint64_t addr;
	unsigned int bit, width;
	unsigned long lost;
};

static void *rmw_thread(void *p)
{
	struct rmw_arg *a = p;
	uint64_t bit = 1ULL << a->bit;
	struct physwin_batch_req b;
	unsigned int i;

	for (i = 0; i < RMW_ROUNDS; i++) {
		struct physwin_op ops[] = {
			mkop(PHYSWIN_OP_RMW, a->addr, a->width, bit, bit, 0),
			mkop(PHYSWIN_OP_RMW, a->addr, a->width, 0, bit, 0),
		};

		if (run_batch(a->fd, ops, 2, &b) || (ops[0].result & bit) ||
		    !(ops[1].result & bit))
			a->lost++;
	}
	return NULL;
}

TEST_F_TIMEOUT(batch, rmw_is_atomic_across_threads, 600)
{
	struct rmw_arg args[RMW_THREADS];
	pthread_t tid[RMW_THREADS];
	struct physwin_op clear = mkop(PHYSWIN_OP_WRITE, self->resv + 0x400000,
				       self->maxw, 0, 0, 0);
	struct physwin_batch_req b;
	unsigned long lost = 0;
	unsigned int i;

	ASSERT_EQ(0, run_batch(self->fd, &clear, 1, &b));
	for (i = 0; i < RMW_THREADS; i++) {
		args[i] = (struct rmw_arg){ self->fd, self->resv + 0x400000,
					    i * 7, self->maxw, 0 };
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, rmw_thread, &args[i]));
	}
	for (i = 0; i < RMW_THREADS; i++) {
		pthread_join(tid[i], NULL);
		lost += args[i].lost;
	}
	TH_LOG("%d threads x %d rounds x 2 RMWs, %lu lost updates",
	       RMW_THREADS, RMW_ROUNDS, lost);
	ASSERT_EQ(0, lost);
}

TEST_HARNESS_MAIN
