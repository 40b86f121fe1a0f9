// SPDX-License-Identifier: GPL-2.0
/*
 * stress: N threads hammer one window with a fixed number of operations
 * each, while another process opens and closes the device throughout.
 *
 *   stress THREADS OPS SEED [final]
 *
 * guest/stress.sh loads physwin with window "st" on IVS (ivshmem_plan.h)
 * and runs this once per round, reloading the module in between.  Each
 * thread owns IVS_PRIVATE bytes of the window and one bit of every 64-bit
 * word of the shared part, and mixes:
 *
 *   - pwrite of random bytes into its own part, and pread of it;
 *   - mmap of its own part, stores and loads through the mapping, munmap;
 *   - PHYSWIN_IOC_BATCH read-modify-writes of its bit in shared words,
 *     which are atomic against the other threads' (a lost update shows as
 *     a wrong bit);
 *   - PHYSWIN_IOC_INFO and PHYSWIN_IOC_WINDOW.
 *
 * Every thread keeps a copy of what its bytes and bits must hold and checks
 * them after each operation and at the end: a difference is a corruption.
 * With "final", each thread then writes ivshmem_written() over its part and
 * the shared part gets it too, which the host checks after the run.
 * Prints "ok - stress: ..." with the operation and corruption counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/physwin.h>

#include "ivshmem_plan.h"
#include "test_env.h"

#define MAX_THREADS	8
#define PAGE		4096UL
#define SHARED_OFF	(MAX_THREADS * IVS_PRIVATE)
/* few shared words, so that the threads collide on them often */
#define SHARED_WORDS	8

struct worker {
	pthread_t tid;
	unsigned int id;
	uint64_t rng, ops, corruptions, failures;
	uint8_t mine[IVS_PRIVATE];	/* what my part must hold */
	uint8_t bits[SHARED_WORDS];	/* my bit in each shared word */
	uint8_t buf[IVS_PRIVATE];
	uint64_t words[SHARED_WORDS];
};

static uint64_t base;		/* the window's physical address */
static uint64_t ops_per_thread;
static int fd;
static struct worker workers[MAX_THREADS];
static _Atomic uint64_t *opens;	/* shared with the opener process */
static unsigned int rmw_width;		/* sysfs max_width */

static uint64_t next(struct worker *w)
{
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t mine_addr(const struct worker *w)
{
	return base + w->id * IVS_PRIVATE;
}

static void fail(struct worker *w, const char *what, int err)
{
	if (w->failures++ < 3)
		printf("# stress: thread %u: %s: %s\n", w->id, what,
		       err ? strerror(err) : "wrong result");
}

/* Compare my part as read into @got with what it must hold. */
static void check_mine(struct worker *w, const uint8_t *got, uint64_t off,
		       uint64_t len, const char *how)
{
	if (memcmp(got, w->mine + off, len)) {
		if (w->corruptions++ < 3)
			printf("# stress: thread %u: my bytes at +%#" PRIx64
			       " differ after %s\n", w->id, off, how);
	}
}

static void op_rw(struct worker *w)
{
	uint64_t off = next(w) % IVS_PRIVATE;
	uint64_t len = 1 + next(w) % (IVS_PRIVATE - off < 512 ?
				      IVS_PRIVATE - off : 512);

	for (uint64_t i = 0; i < len; i++)
		w->mine[off + i] = (uint8_t)next(w);
	if (pwrite(fd, w->mine + off, len, (off_t)(mine_addr(w) + off)) !=
	    (ssize_t)len)
		fail(w, "pwrite", errno);
	off = next(w) % IVS_PRIVATE;
	len = 1 + next(w) % (IVS_PRIVATE - off);
	if (pread(fd, w->buf, len, (off_t)(mine_addr(w) + off)) != (ssize_t)len)
		fail(w, "pread", errno);
	else
		check_mine(w, w->buf, off, len, "pwrite/pread");
}

static void op_mmap(struct worker *w)
{
	volatile uint64_t *p = mmap(NULL, IVS_PRIVATE, PROT_READ | PROT_WRITE,
				    MAP_SHARED, fd, (off_t)mine_addr(w));
	unsigned int n = 1 + next(w) % 16;

	if (p == MAP_FAILED) {
		fail(w, "mmap", errno);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t word = next(w) % (IVS_PRIVATE / 8), v = next(w);

		p[word] = v;
		memcpy(w->mine + word * 8, &v, 8);
		word = next(w) % (IVS_PRIVATE / 8);
		v = p[word];
		check_mine(w, (uint8_t *)&v, word * 8, 8, "store/load through mmap");
	}
	if (munmap((void *)p, IVS_PRIVATE))
		fail(w, "munmap", errno);
}

/*
 * Four RMWs of my bit in random shared words, in one batch.  Each returns
 * the word as it was: my bit in it must be what I last left there, however
 * the other threads changed their bits meanwhile.  The RMWs are as wide as
 * this kernel's accesses go: the whole word, or its low half on a 32-bit
 * kernel (the threads' bits are all there).
 */
static void op_rmw(struct worker *w)
{
	struct physwin_op op[4];
	struct physwin_batch_req b = {
		.size = sizeof(b), .op_size = sizeof(op[0]), .nr_ops = 4,
		.ops = (uintptr_t)op,
	};
	uint64_t bit = 1ULL << w->id;
	uint64_t words[4];
	uint8_t old[4];

	memset(op, 0, sizeof(op));
	for (int i = 0; i < 4; i++) {
		uint64_t word = next(w) % SHARED_WORDS;
		uint8_t set = next(w) & 1;

		op[i].op = PHYSWIN_OP_RMW;
		op[i].width = rmw_width;
		op[i].addr = base + SHARED_OFF + word * 8;
		op[i].mask = bit;
		op[i].value = set ? bit : 0;
		words[i] = word;
		old[i] = w->bits[word];
		w->bits[word] = set;
	}
	if (ioctl(fd, PHYSWIN_IOC_BATCH, &b) || b.nr_done != 4) {
		fail(w, "PHYSWIN_IOC_BATCH", errno);
		/* what did not run changed nothing: undo, last first */
		for (int i = 3; i >= (int)b.nr_done && i >= 0; i--)
			w->bits[words[i]] = old[i];
		return;
	}
	for (int i = 0; i < 4; i++)
		if (!!(op[i].result & bit) != old[i] && w->corruptions++ < 3)
			printf("# stress: thread %u: RMW at %#llx found my bit %s\n",
			       w->id, (unsigned long long)op[i].addr,
			       old[i] ? "cleared" : "set");
}

/* Read the shared words and compare my bit in each. */
static void check_bits(struct worker *w)
{
	if (pread(fd, w->words, sizeof(w->words), (off_t)(base + SHARED_OFF)) !=
	    (ssize_t)sizeof(w->words)) {
		fail(w, "pread of the shared part", errno);
		return;
	}
	for (uint64_t i = 0; i < SHARED_WORDS; i++)
		if (!!(w->words[i] & (1ULL << w->id)) != w->bits[i]) {
			if (w->corruptions++ < 3)
				printf("# stress: thread %u: my bit in shared word %" PRIu64
				       " is wrong (lost update)\n", w->id, i);
		}
}

static void op_info(struct worker *w)
{
	struct physwin_info info = { .size = sizeof(info) };
	struct physwin_window_info wi = { .size = sizeof(wi) };

	if (ioctl(fd, PHYSWIN_IOC_INFO, &info) || info.nr_windows != 1)
		fail(w, "PHYSWIN_IOC_INFO", errno);
	if (ioctl(fd, PHYSWIN_IOC_WINDOW, &wi) || wi.base != base ||
	    wi.length != IVS_SIZE)
		fail(w, "PHYSWIN_IOC_WINDOW", errno);
}

static void *work(void *arg)
{
	struct worker *w = arg;

	/* start from what the part holds now (an earlier round left it) */
	if (pread(fd, w->mine, IVS_PRIVATE, (off_t)mine_addr(w)) != IVS_PRIVATE)
		fail(w, "first pread", errno);
	if (pread(fd, w->words, sizeof(w->words), (off_t)(base + SHARED_OFF)) !=
	    (ssize_t)sizeof(w->words))
		fail(w, "first pread of the shared part", errno);
	for (uint64_t i = 0; i < SHARED_WORDS; i++)
		w->bits[i] = !!(w->words[i] & (1ULL << w->id));

	for (w->ops = 0; w->ops < ops_per_thread; w->ops++) {
		switch (next(w) % 8) {
		case 0: case 1: case 2: op_rw(w); break;
		case 3: case 4: op_mmap(w); break;
		case 5: case 6: op_rmw(w); break;
		default: op_info(w); check_bits(w); break;
		}
	}
	if (pread(fd, w->buf, IVS_PRIVATE, (off_t)mine_addr(w)) != IVS_PRIVATE)
		fail(w, "last pread", errno);
	else
		check_mine(w, w->buf, 0, IVS_PRIVATE, "the whole run");
	check_bits(w);
	return NULL;
}

/* The other process: open, ask, close, until killed; counts in *opens. */
static void opener(void)
{
	signal(SIGTERM, SIG_DFL);
	for (;;) {
		struct physwin_info info = { .size = sizeof(info) };
		int f = open("/dev/physwin", O_RDWR | O_CLOEXEC);

		if (f < 0 || ioctl(f, PHYSWIN_IOC_INFO, &info))
			_exit(1);
		close(f);
		atomic_fetch_add(opens, 1);
	}
}

int main(int argc, char **argv)
{
	uint64_t ops = 0, corruptions = 0, failures = 0, opened = 0;
	unsigned int n;
	bool final, bad;
	pid_t pid;
	int st;

	if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "final"))) {
		fprintf(stderr, "usage: stress THREADS OPS SEED [final]\n");
		return 2;
	}
	n = (unsigned int)strtoul(argv[1], NULL, 0);
	ops_per_thread = strtoull(argv[2], NULL, 0);
	if (!ops_per_thread) {
		fprintf(stderr, "stress: OPS must be at least 1\n");
		return 2;
	}
	final = argc == 5;
	if (n < 1 || n > MAX_THREADS) {
		fprintf(stderr, "stress: 1 to %d threads\n", MAX_THREADS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	base = env_addr("PW_IVSHMEM") + IVS_OFF;
	rmw_width = physwin_fact("max_width");
	fd = open("/dev/physwin", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("not ok - stress: open /dev/physwin: %s\n", strerror(errno));
		return 1;
	}
	opens = mmap(NULL, sizeof(*opens), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (opens == MAP_FAILED) {
		printf("not ok - stress: mmap: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (!pid)
		opener();

	for (unsigned int i = 0; i < n; i++) {
		workers[i].id = i;
		workers[i].rng = strtoull(argv[3], NULL, 0) * 131 + i;
		pthread_create(&workers[i].tid, NULL, work, &workers[i]);
	}
	for (unsigned int i = 0; i < n; i++) {
		pthread_join(workers[i].tid, NULL);
		ops += workers[i].ops;
		corruptions += workers[i].corruptions;
		failures += workers[i].failures;
	}
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	opened = atomic_load(opens);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM) {
		printf("# stress: the opener process failed\n");
		failures++;
	}

	if (final) {
		/* leave what the host expects: ivshmem_written() everywhere */
		static uint8_t pat[IVS_SIZE];

		for (uint64_t i = 0; i < IVS_SIZE; i++)
			pat[i] = ivshmem_written(IVS_OFF + i);
		if (pwrite(fd, pat, IVS_SIZE, (off_t)base) != IVS_SIZE)
			failures++;
	}
	close(fd);
	/* every thread must have done all its operations, none failing */
	bad = corruptions || failures || !opened || ops != n * ops_per_thread ||
	      !ops;
	printf("%s - stress: %u threads, %" PRIu64 " of %" PRIu64
	       " operations, %" PRIu64 " corruptions, %" PRIu64
	       " failed calls; the other process opened and closed the device %" PRIu64 " times\n",
	       bad ? "not ok" : "ok", n, ops, n * ops_per_thread, corruptions,
	       failures, opened);
	return bad;
}
