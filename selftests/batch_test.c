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
#include <stddef.h>
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
	uint64_t edu, edu2, resv;
	unsigned int maxw;	/* the widest access of this kernel */
};

FIXTURE_SETUP(batch)
{
	self->fd = open("/dev/physwin", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->edu = env_addr("PW_EDU");
	self->edu2 = env_addr("PW_EDU2");
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

/* malformed operations on edu's window (4 bytes, exact), with their errno */
static const struct {
	uint32_t op, width;
	uint64_t off, value, mask;
	int err;
} op_cases[] = {
	{ PHYSWIN_OP_READ, 3, 0, 0, 0, EINVAL },
	{ PHYSWIN_OP_READ, 0, 0, 0, 0, EINVAL },
	{ PHYSWIN_OP_READ, 16, 0, 0, 0, EINVAL },
	{ PHYSWIN_OP_READ, 64, 0, 0, 0, EINVAL },
	{ PHYSWIN_OP_READ, 0x80000004U, 0, 0, 0, EINVAL },
	{ PHYSWIN_OP_READ, 8, 0, 0, 0, EINVAL },	/* wider than exact */
	{ PHYSWIN_OP_READ, 2, 0, 0, 0, EINVAL },	/* narrower than exact */
	{ PHYSWIN_OP_READ, 1, 0, 0, 0, EINVAL },
	{ PHYSWIN_OP_WRITE, 2, 4, 1, 0, EINVAL },
	{ PHYSWIN_OP_RMW, 1, 4, 1, 1, EINVAL },
	{ PHYSWIN_OP_READ, 4, 2, 0, 0, EINVAL },
	{ 0, 4, 0, 0, 0, EINVAL },
	{ 5, 4, 0, 0, 0, EINVAL },
	{ 16, 4, 0, 0, 0, EINVAL },
	{ 0x80000001U, 4, 0, 0, 0, EINVAL },
	{ PHYSWIN_OP_WRITE, 1, 4, 0x100, 0, EINVAL },
	{ PHYSWIN_OP_WRITE, 4, 4, 0x100000000ULL, 0, EINVAL },
	{ PHYSWIN_OP_RMW, 2, 4, 1, 0x10000, EINVAL },
	{ PHYSWIN_OP_RMW, 4, 4, 1, 0x100000000ULL, EINVAL },
	{ PHYSWIN_OP_POLL, 4, 0, 0, 0x100000000ULL, EINVAL },
	{ PHYSWIN_OP_READ, 8, 0xffc, 0, 0, EPERM },	/* past the end */
	{ PHYSWIN_OP_READ, 4, 0xffc + 0x1000, 0, 0, EPERM },
	{ PHYSWIN_OP_READ, 4, -4ULL, 0, 0, EPERM },	/* before the start */
};
#define NR_OP_CASES	(sizeof(op_cases) / sizeof(op_cases[0]))

static struct physwin_op op_case(uint64_t edu, unsigned int i)
{
	return mkop(op_cases[i].op, edu + op_cases[i].off, op_cases[i].width,
		    op_cases[i].value, op_cases[i].mask, 0);
}

/* each malformed operation alone, with its errno */
TEST_F(batch, operation_errors)
{
	struct physwin_batch_req b;
	unsigned int i;

	for (i = 0; i < NR_OP_CASES; i++) {
		struct physwin_op op = op_case(self->edu, i);

		errno = 0;
		ASSERT_EQ(-1, run_batch(self->fd, &op, 1, &b)) TH_LOG("case %u", i);
		ASSERT_EQ(op_cases[i].err, errno) TH_LOG("case %u", i);
		ASSERT_EQ(0, b.nr_done);
	}
	{
		struct physwin_op op = mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0);

		op.reserved = 1;
		ASSERT_EQ(-1, run_batch(self->fd, &op, 1, &b));
		ASSERT_EQ(EINVAL, errno);
	}
}

/*
 * The same, each after a read of the same window that succeeded: the
 * kernel then checks an operation against the window before in a short
 * way first, which must refuse exactly what the full check refuses.
 */
TEST_F(batch, operation_errors_after_a_good_one)
{
	struct physwin_op ops[2];
	struct physwin_batch_req b;
	unsigned int i;

	for (i = 0; i <= NR_OP_CASES; i++) {
		ops[0] = mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0);
		if (i < NR_OP_CASES) {
			ops[1] = op_case(self->edu, i);
		} else {
			ops[1] = mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0);
			ops[1].reserved = 1;
		}
		errno = 0;
		ASSERT_EQ(-1, run_batch(self->fd, ops, 2, &b)) TH_LOG("case %u", i);
		ASSERT_EQ(i < NR_OP_CASES ? op_cases[i].err : EINVAL, errno)
			TH_LOG("case %u", i);
		ASSERT_EQ(1, b.nr_done) TH_LOG("case %u", i);
		ASSERT_EQ(EDU_ID_VALUE, ops[0].result);
	}
	/* a write ignores its mask, whatever it holds */
	ops[1] = mkop(PHYSWIN_OP_WRITE, self->edu + 4, 4, 1, ~0ULL, 0);
	ASSERT_EQ(0, run_batch(self->fd, ops, 2, &b));
	ASSERT_EQ(2, b.nr_done);
	/* the second edu: exact at this kernel's widest access */
	ops[0] = mkop(PHYSWIN_OP_READ, self->edu2, self->maxw, 0, 0, 0);
	ops[1] = mkop(PHYSWIN_OP_READ, self->edu2, self->maxw / 2, 0, 0, 0);
	errno = 0;
	ASSERT_EQ(-1, run_batch(self->fd, ops, 2, &b));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(1, b.nr_done);
}

/*
 * Long batches.  The kernel copies operations in a few at a time, so
 * results, failures, faults and the open-mode check must land on the
 * right operation wherever a chunk of them ends: each of these runs up to
 * PHYSWIN_BATCH_MAX operations, failing at positions on either side of
 * every small power of two.  They write their own words of the carve-out.
 */
#define LONG_AT		0x10000

/* the long batches' words, all 0 */
static void long_clear(struct __test_metadata *_metadata, int fd, uint64_t at)
{
	static uint32_t zero[PHYSWIN_BATCH_MAX];

	ASSERT_EQ((ssize_t)sizeof(zero), pwrite(fd, zero, sizeof(zero), (off_t)at));
}

static void long_load(struct __test_metadata *_metadata, int fd, uint64_t at,
		      uint32_t *mem)
{
	ASSERT_EQ((ssize_t)(4 * PHYSWIN_BATCH_MAX),
		  pread(fd, mem, 4 * PHYSWIN_BATCH_MAX, (off_t)at));
}

static const unsigned int long_fail_at[] = {
	0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 500,
	PHYSWIN_BATCH_MAX - 1,
};
#define NR_LONG_FAIL_AT	(sizeof(long_fail_at) / sizeof(long_fail_at[0]))

/* writes, reads and polls (the second and last of every 16) all land */
TEST_F(batch, long_batch_lands_every_result)
{
	static struct physwin_op ops[PHYSWIN_BATCH_MAX];
	uint64_t at = self->resv + LONG_AT;
	struct physwin_batch_req b;
	unsigned int i;

	for (i = 0; i < PHYSWIN_BATCH_MAX; i++) {
		uint64_t word = at + 4 * (i & ~1U);

		if (!(i & 1))
			ops[i] = mkop(PHYSWIN_OP_WRITE, word, 4, 0x5eed0000 | i, 0, 0);
		else if (i % 16 == 1 || i % 16 == 15)
			ops[i] = mkop(PHYSWIN_OP_POLL, word, 4, 0x5eed0000 | (i - 1),
				      0xffffffff, 1000000);
		else
			ops[i] = mkop(PHYSWIN_OP_READ, word, 4, 0, 0, 0);
		ops[i].result = 0xdeadbeef;
	}
	ASSERT_EQ(0, run_batch(self->fd, ops, PHYSWIN_BATCH_MAX, &b));
	ASSERT_EQ(PHYSWIN_BATCH_MAX, b.nr_done);
	for (i = 0; i < PHYSWIN_BATCH_MAX; i++)
		ASSERT_EQ(i & 1 ? 0x5eed0000 | (i - 1) : 0xdeadbeef, ops[i].result)
			TH_LOG("op %u (a write has no result)", i);
}

/*
 * A failing operation anywhere: the ones before it ran, it and the ones
 * after it did not.  It fails in the short check's window (misaligned, too
 * wide a value) or outside every window.
 */
TEST_F(batch, long_batch_stops_at_the_failing_op)
{
	static struct physwin_op ops[PHYSWIN_BATCH_MAX];
	static uint32_t mem[PHYSWIN_BATCH_MAX];
	static const int errs[] = { EPERM, EINVAL, EINVAL };
	uint64_t at = self->resv + LONG_AT;
	struct physwin_batch_req b;
	unsigned int i, j, k;

	for (j = 0; j < NR_LONG_FAIL_AT; j++) {
		k = long_fail_at[j];
		long_clear(_metadata, self->fd, at);
		for (i = 0; i < PHYSWIN_BATCH_MAX; i++)
			ops[i] = mkop(PHYSWIN_OP_WRITE, at + 4 * i, 4,
				      (j + 1) << 16 | i, 0, 0);
		switch (j % 3) {
		case 0:
			ops[k].addr = self->edu + 0x1000;
			break;
		case 1:
			ops[k].addr += 2;
			break;
		default:
			ops[k].value = 0x100000000ULL;
			break;
		}
		errno = 0;
		ASSERT_EQ(-1, run_batch(self->fd, ops, PHYSWIN_BATCH_MAX, &b));
		ASSERT_EQ(errs[j % 3], errno) TH_LOG("failing op %u", k);
		ASSERT_EQ(k, b.nr_done);
		ASSERT_EQ(-errs[j % 3], b.error);
		long_load(_metadata, self->fd, at, mem);
		for (i = 0; i < PHYSWIN_BATCH_MAX; i++)
			ASSERT_EQ(i < k ? (j + 1) << 16 | i : 0, mem[i])
				TH_LOG("failing op %u, word %u", k, i);
	}
}

/*
 * Operations whose copy faults: the k-th starts on a page the batch cannot
 * read, or straddles it.  The ones before it ran and have their results.
 */
TEST_F(batch, long_batch_ops_that_fault)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t size = 48 * sizeof(struct physwin_op) + page;
	size_t len = 2 * ((size + page - 1) / page) * page;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole = p + len / 2;
	struct physwin_batch_req b;
	unsigned int i, j, k, straddle;

	ASSERT_NE(MAP_FAILED, (void *)p);
	ASSERT_EQ(0, mprotect(hole, len / 2, PROT_NONE));
	for (j = 0; j < NR_LONG_FAIL_AT && long_fail_at[j] < 48; j++) {
		for (straddle = 0; straddle <= 24; straddle += 24) {
			struct physwin_op *ops;

			k = long_fail_at[j];
			ops = (struct physwin_op *)(hole - k * sizeof(*ops) - straddle);
			for (i = 0; i < k; i++) {
				ops[i] = mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0);
				ops[i].result = 0xdeadbeef;
			}
			if (straddle)	/* what can be read of it is valid */
				memcpy(&ops[k], &ops[0], straddle);
			errno = 0;
			ASSERT_EQ(-1, run_batch(self->fd, ops, k + 16, &b));
			ASSERT_EQ(EFAULT, errno) TH_LOG("op %u, straddle %u", k, straddle);
			ASSERT_EQ(k, b.nr_done) TH_LOG("op %u, straddle %u", k, straddle);
			ASSERT_EQ(-EFAULT, b.error);
			for (i = 0; i < k; i++)
				ASSERT_EQ(EDU_ID_VALUE, ops[i].result);
		}
	}
	ASSERT_EQ(0, munmap(p, len));
}

/* op_size larger than today's structure: zero tails run; one that is not stops there */
TEST_F(batch, long_batch_larger_structures)
{
	enum { STRIDE = sizeof(struct physwin_op) + 16, N = 100 };
	static uint8_t raw[N * STRIDE];
	struct physwin_batch_req b;
	uint64_t res;
	unsigned int i, j, k;

	for (j = 0; j < NR_LONG_FAIL_AT && long_fail_at[j] < N; j++) {
		k = long_fail_at[j];
		memset(raw, 0, sizeof(raw));
		for (i = 0; i < N; i++) {
			struct physwin_op op = mkop(PHYSWIN_OP_READ, self->edu, 4, 0, 0, 0);

			memcpy(raw + i * STRIDE, &op, sizeof(op));
		}
		memset(&b, 0, sizeof(b));
		b.size = sizeof(b);
		b.op_size = STRIDE;
		b.nr_ops = N;
		b.ops = (uintptr_t)raw;
		ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
		ASSERT_EQ(N, b.nr_done);
		raw[k * STRIDE + STRIDE - 1] = 1;
		errno = 0;
		ASSERT_EQ(-1, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
		ASSERT_EQ(E2BIG, errno) TH_LOG("tail of op %u", k);
		ASSERT_EQ(k, b.nr_done);
		for (i = 0; i < N; i++) {
			memcpy(&res, raw + i * STRIDE + offsetof(struct physwin_op, result),
			       sizeof(res));
			ASSERT_EQ(EDU_ID_VALUE, res) TH_LOG("op %u", i);
		}
	}
}

/*
 * Through a file open for reading or writing only, one operation that
 * needs the other mode, anywhere in a long batch, refuses the whole batch
 * before any operation runs: no result lands, no word changes.
 */
TEST_F(batch, long_batch_open_mode_refuses_all)
{
	static struct physwin_op ops[PHYSWIN_BATCH_MAX];
	static uint32_t mem[PHYSWIN_BATCH_MAX];
	uint64_t at = self->resv + LONG_AT;
	int ro = open("/dev/physwin", O_RDONLY | O_CLOEXEC);
	int wo = open("/dev/physwin", O_WRONLY | O_CLOEXEC);
	struct physwin_batch_req b;
	unsigned int i, j, k;

	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	for (j = 0; j < NR_LONG_FAIL_AT; j++) {
		k = long_fail_at[j];
		for (i = 0; i < PHYSWIN_BATCH_MAX; i++) {
			ops[i] = mkop(PHYSWIN_OP_READ, at + 4 * i, 4, 0, 0, 0);
			ops[i].result = 0xdeadbeef;
		}
		ops[k].op = j & 1 ? PHYSWIN_OP_RMW : PHYSWIN_OP_WRITE;
		errno = 0;
		ASSERT_EQ(-1, run_batch(ro, ops, PHYSWIN_BATCH_MAX, &b));
		ASSERT_EQ(EBADF, errno) TH_LOG("read-only, op %u", k);
		ASSERT_EQ(0, b.nr_done);
		for (i = 0; i < PHYSWIN_BATCH_MAX; i++)
			ASSERT_EQ(0xdeadbeef, ops[i].result);

		long_clear(_metadata, self->fd, at);
		for (i = 0; i < PHYSWIN_BATCH_MAX; i++)
			ops[i] = mkop(PHYSWIN_OP_WRITE, at + 4 * i, 4, i + 1, 0, 0);
		ops[k].op = j & 1 ? PHYSWIN_OP_POLL : PHYSWIN_OP_READ;
		errno = 0;
		ASSERT_EQ(-1, run_batch(wo, ops, PHYSWIN_BATCH_MAX, &b));
		ASSERT_EQ(EBADF, errno) TH_LOG("write-only, op %u", k);
		ASSERT_EQ(0, b.nr_done);
		long_load(_metadata, self->fd, at, mem);
		for (i = 0; i < PHYSWIN_BATCH_MAX; i++)
			ASSERT_EQ(0, mem[i]) TH_LOG("write-only, op %u, word %u", k, i);
	}
	close(ro);
	close(wo);
}

/*
 * Through a read-only file, an operation that another thread turns from a
 * read into a write and back while batches run: each batch runs what it
 * copied in, all reads or refused whole, and the word is never written.
 */
struct flipper {
	struct physwin_op *op;
	volatile int stop;
};

static void *flip(void *p)
{
	struct flipper *f = p;

	while (!f->stop) {
		__atomic_store_n(&f->op->op, PHYSWIN_OP_WRITE, __ATOMIC_RELAXED);
		__atomic_store_n(&f->op->op, PHYSWIN_OP_READ, __ATOMIC_RELAXED);
	}
	return NULL;
}

TEST_F(batch, open_mode_holds_against_a_racing_thread)
{
	static struct physwin_op ops[PHYSWIN_BATCH_MAX];
	static uint32_t mem[PHYSWIN_BATCH_MAX];
	uint64_t at = self->resv + LONG_AT;
	int ro = open("/dev/physwin", O_RDONLY | O_CLOEXEC);
	struct flipper f = { .op = &ops[500] };
	unsigned int i, ran = 0, refused = 0;
	struct physwin_batch_req b;
	pthread_t tid;
	int ret;

	ASSERT_LE(0, ro);
	long_clear(_metadata, self->fd, at);
	for (i = 0; i < PHYSWIN_BATCH_MAX; i++)
		ops[i] = mkop(PHYSWIN_OP_READ, at + 4 * i, 4, 0xbad, 0, 0);
	ASSERT_EQ(0, pthread_create(&tid, NULL, flip, &f));
	for (i = 0; i < 200; i++) {
		errno = 0;
		ret = run_batch(ro, ops, PHYSWIN_BATCH_MAX, &b);
		if (!ret && b.nr_done == PHYSWIN_BATCH_MAX) {
			ran++;
		} else if (ret == -1 && errno == EBADF && b.nr_done == 0) {
			refused++;
		} else {
			f.stop = 1;
			pthread_join(tid, NULL);
			ASSERT_TRUE(0) TH_LOG("batch %u: %d, errno %d, nr_done %u",
					      i, ret, errno, b.nr_done);
		}
	}
	f.stop = 1;
	pthread_join(tid, NULL);
	TH_LOG("%u batches ran whole, %u were refused whole", ran, refused);
	long_load(_metadata, self->fd, at, mem);
	for (i = 0; i < PHYSWIN_BATCH_MAX; i++)
		ASSERT_EQ(0, mem[i]) TH_LOG("word %u", i);
	close(ro);
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
