// SPDX-License-Identifier: GPL-2.0
/*
 * bench: physwin against its peers on the same targets in the same boot.
 *
 *   bench [--short]
 *
 * Run by guest/bench.sh with the module loaded with noclaim windows, so
 * that /dev/mem and the PCI sysfs resourceN files reach the same memory:
 *   PW_RESV      16 MiB wb carve-out (memmap=), window "resv"
 *   PW_IVSHMEM   1 MiB ivshmem BAR (RAM behind it), window "bar", uc
 *   PW_EDU       edu's registers, window "edu", width=4:exact
 *   PW_BIG       256 MiB wb carve-out, window "big"
 *   PW_IVSHMEM_BDF, PW_EDU_BDF  for /sys/bus/pci/devices/BDF/resourceN
 *
 * Each case has variants (physwin and its anchors) that do one operation
 * per call.  Each variant is calibrated so that one sample takes about
 * 10 ms (1 ms with --short), then the variants are sampled in turn, 21
 * rounds (3) in alternating order (A B C, C B A, ...), and the median time
 * per operation is kept.  A variant that cannot do the operation at all is reported with
 * its errno.  Output: TAP (one result per case: every physwin variant
 * worked), the table and the goals of issue 11 as "#" lines.  Nothing here
 * asserts a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/physwin.h>

#include "test_env.h"

#define MIB		(1024UL * 1024)
#define BIG_SIZE	(256 * MIB)
#define MAX_VARIANTS	4
#define MAX_CASES	32
#define BATCH_OPS	64

struct variant;
typedef int (*op_fn)(struct variant *v, long iters);

#define NR_UBUFS	3	/* copies of the user memory: see ubufs */

struct variant {
	const char *name;
	op_fn fn;
	int fd;			/* for read/write/batch/mmap */
	volatile void *map;	/* for load/store/memcpy */
	uint64_t addr;
	size_t len;
	struct physwin_batch_req *req[NR_UBUFS];	/* op_batch: by round */
	int write;		/* op_rw, op_memcpy: the other way; op_map: touch */
	/* results */
	int err;		/* errno when it could not run */
	long iters;
	double median_ns;
};

struct bcase {
	const char *name;
	struct variant v[MAX_VARIANTS];
	int nv;
};

static struct bcase cases[MAX_CASES];
static int ncases;
static int short_mode;
static int tap_n;
static int tap_failed;
/*
 * The user memory an operation passes, the next of NR_UBUFS copies in each
 * round: the 1 MiB buffer of reads and writes, and a batch's operations.
 * An emulator that indexes its TLB by address (QEMU's TCG) slows a copy
 * whose source and destination pages share an index, for as long as the
 * same two pages are used (a batch of 64 writes took 5.6 to 8.1 us by
 * where its operations lay); with the copies in turn, one that happens to
 * do so is a third of a variant's samples, not its median.  Every variant
 * of a round uses the same copy.
 */
static unsigned char *ubufs[NR_UBUFS];
static unsigned char *ubuf;
static int round_no;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ---- the operations ---- */

static int op_load32(struct variant *v, long iters)
{
	volatile uint32_t *p = v->map;
	uint32_t sink = 0;
	long i;

	for (i = 0; i < iters; i++)
		sink += p[0];
	(void)sink;
	return 0;
}

static int op_store32(struct variant *v, long iters)
{
	volatile uint32_t *p = v->map;
	long i;

	for (i = 0; i < iters; i++)
		p[0] = (uint32_t)i;
	return 0;
}

/* 64 stores of 4 bytes to consecutive registers: the batch's peer */
static int op_store32x64(struct variant *v, long iters)
{
	volatile uint32_t *p = v->map;
	long i;
	int j;

	for (i = 0; i < iters; i++)
		for (j = 0; j < BATCH_OPS; j++)
			p[j] = (uint32_t)i;
	return 0;
}

/* pread() or pwrite() (v->write) of v->len bytes at v->addr */
static int op_rw(struct variant *v, long iters)
{
	long i;

	for (i = 0; i < iters; i++) {
		ssize_t n = v->write ?
			pwrite(v->fd, ubuf, v->len, (off_t)v->addr) :
			pread(v->fd, ubuf, v->len, (off_t)v->addr);

		if (n != (ssize_t)v->len)
			return n < 0 ? errno : EIO;
	}
	return 0;
}

/* 64 pwrites of 4 bytes to consecutive registers */
static int op_pwrite4x64(struct variant *v, long iters)
{
	long i;
	int j;

	for (i = 0; i < iters; i++)
		for (j = 0; j < BATCH_OPS; j++)
			if (pwrite(v->fd, ubuf, 4, (off_t)(v->addr + 4 * j)) != 4)
				return errno ? errno : EIO;
	return 0;
}

/* memcpy() from the mapping, or to it (v->write) */
static int op_memcpy(struct variant *v, long iters)
{
	long i;

	for (i = 0; i < iters; i++) {
		if (v->write)
			memcpy((void *)v->map, ubuf, v->len);
		else
			memcpy(ubuf, (const void *)v->map, v->len);
		__asm__ volatile("" ::: "memory");
	}
	return 0;
}

static int op_batch(struct variant *v, long iters)
{
	long i;

	for (i = 0; i < iters; i++)
		if (ioctl(v->fd, PHYSWIN_IOC_BATCH, v->req[round_no % NR_UBUFS]))
			return errno;
	return 0;
}

static int do_map(struct variant *v, int touch)
{
	volatile uint8_t *p;
	size_t off;

	p = mmap(NULL, v->len, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd,
		 (off_t)v->addr);
	if (p == MAP_FAILED)
		return errno;
	if (touch)
		for (off = 0; off < v->len; off += 4096)
			(void)p[off];
	munmap((void *)p, v->len);
	return 0;
}

/* mmap() and munmap(), touching every page in between when v->write */
static int op_map(struct variant *v, long iters)
{
	long i;
	int err;

	for (i = 0; i < iters; i++) {
		err = do_map(v, v->write);
		if (err)
			return err;
	}
	return 0;
}

/* ---- measuring ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Iterations for one sample of about @target_ns; 0 and v->err on failure. */
static long calibrate(struct variant *v, double target_ns)
{
	long iters = 1;

	for (;;) {
		double t = now_ns();
		int err = v->fn(v, iters);

		t = now_ns() - t;
		if (err) {
			v->err = err;
			return 0;
		}
		if (t >= target_ns / 2 || iters >= (1L << 29))
			return (long)(iters * target_ns / (t > 1 ? t : 1)) + 1;
		iters *= 2;
	}
}

static void measure(struct bcase *c)
{
	double target = short_mode ? 1e6 : 10e6;
	int rounds = short_mode ? 3 : 21;
	double samples[MAX_VARIANTS][21];
	int r, k, i;

	for (i = 0; i < c->nv; i++)
		c->v[i].iters = c->v[i].err ? 0 : calibrate(&c->v[i], target);
	for (r = 0; r < rounds; r++) {
		round_no = r;
		ubuf = ubufs[r % NR_UBUFS];
		for (k = 0; k < c->nv; k++) {
			/* A B C, then C B A, ... */
			struct variant *v = &c->v[r % 2 ? c->nv - 1 - k : k];
			double t;
			int err;

			if (v->err)
				continue;
			t = now_ns();
			err = v->fn(v, v->iters);
			t = now_ns() - t;
			if (err) {
				v->err = err;
				continue;
			}
			samples[v - c->v][r] = t / v->iters;
		}
	}
	for (i = 0; i < c->nv; i++) {
		if (c->v[i].err)
			continue;
		qsort(samples[i], rounds, sizeof(double), cmp_double);
		c->v[i].median_ns = samples[i][rounds / 2];
	}
}

static struct bcase *new_case(const char *name)
{
	struct bcase *c = &cases[ncases++];

	c->name = name;
	return c;
}

static struct variant *add(struct bcase *c, const char *name, op_fn fn)
{
	struct variant *v = &c->v[c->nv++];

	v->name = name;
	v->fn = fn;
	v->fd = -1;
	return v;
}

static struct variant *find(const char *cname, const char *vname)
{
	int i, k;

	for (i = 0; i < ncases; i++) {
		if (strcmp(cases[i].name, cname))
			continue;
		for (k = 0; k < cases[i].nv; k++)
			if (!strcmp(cases[i].v[k].name, vname))
				return &cases[i].v[k];
	}
	fprintf(stderr, "bench: no variant %s/%s\n", cname, vname);
	exit(1);
}

/* ---- setup ---- */

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* A shared mapping of @len at @addr of @fd; NULL and *@err on failure. */
static volatile void *map_of(int fd, uint64_t addr, size_t len, int *err)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       (off_t)addr);

	if (p == MAP_FAILED) {
		*err = errno;
		return NULL;
	}
	*err = 0;
	return p;
}

static int sysfs_fd(const char *bdf, int bar)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d",
		 bdf, bar);
	return open_or_die(path, O_RDWR | O_SYNC);
}

/* a variant through a mapping: @fd at @addr (sysfs: offset 0) */
static struct variant *add_map(struct bcase *c, const char *name, op_fn fn,
			       int fd, uint64_t addr, size_t len)
{
	struct variant *v = add(c, name, fn);

	v->map = map_of(fd, addr, len, &v->err);
	v->len = len;
	return v;
}

static struct variant *add_rw(struct bcase *c, const char *name, op_fn fn,
			      int fd, uint64_t addr, size_t len)
{
	struct variant *v = add(c, name, fn);

	v->fd = fd;
	v->addr = addr;
	v->len = len;
	return v;
}

/* the variant's operation the other way (writes; for op_map, touching) */
static void set_write(struct variant *v)
{
	v->write = 1;
}

/* v's batches: @nr writes of 4 bytes from @addr, in NR_UBUFS copies */
static void batch_of(struct variant *v, uint64_t addr, uint32_t nr)
{
	int i, j;

	for (i = 0; i < NR_UBUFS; i++) {
		struct physwin_batch_req *req = calloc(1, sizeof(*req));
		/* a page of its own each: 64 operations are 3 KiB */
		struct physwin_op *ops = aligned_alloc(4096, 4096);

		if (!req || !ops)
			exit(1);
		memset(ops, 0, 4096);
		for (j = 0; j < BATCH_OPS; j++) {
			ops[j].op = PHYSWIN_OP_WRITE;
			ops[j].addr = addr + 4 * j;
			ops[j].width = 4;
			ops[j].value = j;
		}
		req->size = sizeof(*req);
		req->op_size = sizeof(*ops);
		req->nr_ops = nr;
		req->ops = (uintptr_t)ops;
		v->req[i] = req;
	}
}

static void setup(void)
{
	uint64_t resv = env_addr("PW_RESV"), bar = env_addr("PW_IVSHMEM");
	uint64_t edu = env_addr("PW_EDU"), big = env_addr("PW_BIG");
	const char *bar_bdf = getenv("PW_IVSHMEM_BDF");
	const char *edu_bdf = getenv("PW_EDU_BDF");
	int pw = open_or_die("/dev/physwin", O_RDWR);
	/* O_SYNC: uncached, as for registers; the carve-out is mapped wb */
	int dm = open_or_die("/dev/mem", O_RDWR | O_SYNC);
	int dmwb = open_or_die("/dev/mem", O_RDWR);
	int sbar, sedu, i;
	struct bcase *c;
	struct variant *v;

	if (!bar_bdf || !edu_bdf) {
		fprintf(stderr, "bench: PW_IVSHMEM_BDF and PW_EDU_BDF must be set\n");
		exit(1);
	}
	sbar = sysfs_fd(bar_bdf, 2);
	sedu = sysfs_fd(edu_bdf, 0);
	/*
	 * Cut from one allocation, 1 MiB and 5 pages apart: each buffer's
	 * pages then fall 5 TLB indexes past the one before's in a TLB of
	 * 256 entries or fewer, whatever the allocator does.
	 */
	ubufs[0] = aligned_alloc(4096, NR_UBUFS * (MIB + 5 * 4096));
	if (!ubufs[0])
		exit(1);
	for (i = 0; i < NR_UBUFS; i++) {
		ubufs[i] = ubufs[0] + i * (MIB + 5 * 4096);
		memset(ubufs[i], 0x5a, MIB);
	}
	ubuf = ubufs[0];

	/* mmap access: the same page table entries, so the physical limit */
	c = new_case("mmap load 4 B, edu register");
	add_map(c, "physwin", op_load32, pw, edu, 4096);
	add_map(c, "/dev/mem", op_load32, dm, edu, 4096);
	add_map(c, "sysfs", op_load32, sedu, 0, 4096);
	c = new_case("mmap load 4 B, ivshmem BAR");
	add_map(c, "physwin", op_load32, pw, bar, 4096);
	add_map(c, "/dev/mem", op_load32, dm, bar, 4096);
	add_map(c, "sysfs", op_load32, sbar, 0, 4096);
	c = new_case("mmap store 4 B, ivshmem BAR");
	add_map(c, "physwin", op_store32, pw, bar, 4096);
	add_map(c, "/dev/mem", op_store32, dm, bar, 4096);
	add_map(c, "sysfs", op_store32, sbar, 0, 4096);
	c = new_case("mmap load 4 B, carve-out");
	add_map(c, "physwin", op_load32, pw, resv, 4096);
	add_map(c, "/dev/mem", op_load32, dmwb, resv, 4096);

	/* pread/pwrite of the wb carve-out */
	c = new_case("pread 4 B, carve-out");
	add_rw(c, "physwin", op_rw, pw, resv, 4);
	add_rw(c, "/dev/mem", op_rw, dmwb, resv, 4);
	c = new_case("pwrite 4 B, carve-out");
	set_write(add_rw(c, "physwin", op_rw, pw, resv, 4));
	set_write(add_rw(c, "/dev/mem", op_rw, dmwb, resv, 4));
	c = new_case("pread 64 B, carve-out");
	add_rw(c, "physwin", op_rw, pw, resv, 64);
	add_rw(c, "/dev/mem", op_rw, dmwb, resv, 64);
	c = new_case("pread 72 B, carve-out");
	add_rw(c, "physwin", op_rw, pw, resv, 72);
	add_rw(c, "/dev/mem", op_rw, dmwb, resv, 72);
	c = new_case("pread 4 KiB, carve-out");
	add_rw(c, "physwin", op_rw, pw, resv, 4096);
	add_rw(c, "/dev/mem", op_rw, dmwb, resv, 4096);
	c = new_case("pread 1 MiB, carve-out");
	add_rw(c, "physwin", op_rw, pw, resv, MIB);
	add_rw(c, "/dev/mem", op_rw, dmwb, resv, MIB);
	add_map(c, "memcpy", op_memcpy, pw, resv, MIB);
	c = new_case("pwrite 1 MiB, carve-out");
	set_write(add_rw(c, "physwin", op_rw, pw, resv, MIB));
	set_write(add_rw(c, "/dev/mem", op_rw, dmwb, resv, MIB));
	set_write(add_map(c, "memcpy", op_memcpy, pw, resv, MIB));

	/* the uc BAR: /dev/mem and sysfs cannot read(2) it */
	c = new_case("pread 1 MiB, ivshmem BAR");
	add_rw(c, "physwin", op_rw, pw, bar, MIB);
	add_rw(c, "/dev/mem", op_rw, dm, bar, MIB);
	add_rw(c, "sysfs", op_rw, sbar, 0, MIB);
	add_map(c, "memcpy", op_memcpy, pw, bar, MIB);
	c = new_case("pwrite 1 MiB, ivshmem BAR");
	set_write(add_rw(c, "physwin", op_rw, pw, bar, MIB));
	set_write(add_rw(c, "/dev/mem", op_rw, dm, bar, MIB));
	set_write(add_rw(c, "sysfs", op_rw, sbar, 0, MIB));
	set_write(add_map(c, "memcpy", op_memcpy, pw, bar, MIB));

	/* batches of 64 writes of 4 bytes */
	c = new_case("64 writes, ivshmem BAR");
	v = add(c, "physwin batch", op_batch);
	v->fd = pw;
	batch_of(v, bar, BATCH_OPS);
	add_map(c, "mmap stores", op_store32x64, pw, bar, 4096);
	add_rw(c, "pwrites", op_pwrite4x64, pw, bar, 0);
	c = new_case("64 writes, edu");
	v = add(c, "physwin batch", op_batch);
	v->fd = pw;
	batch_of(v, edu + 0x100, BATCH_OPS);	/* edu's scratch-free range: ignored writes */
	add_rw(c, "physwin pwrites", op_pwrite4x64, pw, edu + 0x100, 0);
	c = new_case("1 write, edu");
	v = add(c, "physwin batch", op_batch);
	v->fd = pw;
	batch_of(v, edu + 0x100, 1);
	set_write(add_rw(c, "physwin pwrite", op_rw, pw, edu + 0x100, 4));

	/* large mappings */
	c = new_case("mmap+munmap 256 MiB");
	add_rw(c, "physwin", op_map, pw, big, BIG_SIZE);
	add_rw(c, "/dev/mem", op_map, dmwb, big, BIG_SIZE);
	c = new_case("mmap+touch+munmap 256 MiB");
	set_write(add_rw(c, "physwin", op_map, pw, big, BIG_SIZE));
	set_write(add_rw(c, "/dev/mem", op_map, dmwb, big, BIG_SIZE));
}

/* ---- report ---- */

static void print_time(double ns, int err, char *out, size_t len)
{
	if (err)
		snprintf(out, len, "%s", strerrorname_np(err) ?: "error");
	else if (ns >= 1e6)
		snprintf(out, len, "%.2f ms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(out, len, "%.2f us", ns / 1e3);
	else
		snprintf(out, len, "%.1f ns", ns);
}

static void report_case(struct bcase *c)
{
	char t[32], line[512];
	int k, n = 0;
	struct variant *base = &c->v[0];

	n += snprintf(line + n, sizeof(line) - n, "# | %s |", c->name);
	for (k = 0; k < c->nv; k++) {
		print_time(c->v[k].median_ns, c->v[k].err, t, sizeof(t));
		n += snprintf(line + n, sizeof(line) - n, " %s %s", c->v[k].name, t);
		if (k && !c->v[k].err && !base->err)
			n += snprintf(line + n, sizeof(line) - n, " (%.2f)",
				      base->median_ns / c->v[k].median_ns);
		n += snprintf(line + n, sizeof(line) - n, k + 1 < c->nv ? ";" : " |");
	}
	puts(line);
	/* the result: physwin's own variants must all have worked */
	tap_n++;
	for (k = 0; k < c->nv; k++)
		if (!strncmp(c->v[k].name, "physwin", 7) && c->v[k].err)
			break;
	if (k < c->nv) {
		tap_failed++;
		printf("not ok %d - bench: %s: %s failed: %s\n", tap_n, c->name,
		       c->v[k].name, strerror(c->v[k].err));
	} else {
		printf("ok %d - bench: %s: measured\n", tap_n, c->name);
	}
}

static double ratio(const char *cname, const char *a, const char *b)
{
	struct variant *x = find(cname, a), *y = find(cname, b);

	if (x->err || y->err || y->median_ns <= 0)
		return NAN;
	return x->median_ns / y->median_ns;
}

/* A goal line: the measured ratio, the goal, met or missed; NAN: n/a. */
/* whether the running kernel is @major.@minor or later */
static int kernel_at_least(int major, int minor)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return 0;
	return a > major || (a == major && b >= minor);
}

static void goal(const char *what, double r, double limit, const char *unit)
{
	if (isnan(r))
		printf("# GOAL %-58s  n/a\n", what);
	else
		printf("# GOAL %-58s %7.2f%s  (goal <= %.2f%s) %s\n", what, r, unit,
		       limit, unit, r <= limit ? "met" : "MISSED");
}

static void report_goals(void)
{
	struct variant *b = find("64 writes, ivshmem BAR", "physwin batch");
	struct variant *s = find("64 writes, ivshmem BAR", "mmap stores");
	struct variant *x, *y;
	double r;

	goal("pread 1 MiB carve-out / memcpy",
	     ratio("pread 1 MiB, carve-out", "physwin", "memcpy"), 1.25, "x");
	goal("pwrite 1 MiB carve-out / memcpy",
	     ratio("pwrite 1 MiB, carve-out", "physwin", "memcpy"), 1.25, "x");
	goal("pread 1 MiB ivshmem BAR / memcpy",
	     ratio("pread 1 MiB, ivshmem BAR", "physwin", "memcpy"), 1.25, "x");
	goal("pwrite 1 MiB ivshmem BAR / memcpy",
	     ratio("pwrite 1 MiB, ivshmem BAR", "physwin", "memcpy"), 1.25, "x");
	goal("pread 4 KiB carve-out / /dev/mem",
	     ratio("pread 4 KiB, carve-out", "physwin", "/dev/mem"), 0.33, "x");
	x = find("pread 72 B, carve-out", "physwin");
	y = find("pread 64 B, carve-out", "physwin");
	r = x->err || y->err ? NAN : x->median_ns / y->median_ns - 1;
	goal("pread 72 B / 64 B - 1, carve-out", r * 100, 10, " %");
	goal("pread 4 B carve-out / /dev/mem",
	     ratio("pread 4 B, carve-out", "physwin", "/dev/mem"), 0.15, "x");
	r = NAN;
	if (!b->err && !s->err)
		r = (b->median_ns - s->median_ns) / BATCH_OPS;
	goal("batch overhead per op over an mmap store", r, 100, " ns");
	goal("batch of 64 writes / 64 pwrites, edu",
	     ratio("64 writes, edu", "physwin batch", "physwin pwrites"), 0.15, "x");
	goal("mmap+munmap 256 MiB / /dev/mem",
	     ratio("mmap+munmap 256 MiB", "physwin", "/dev/mem"), 0.05, "x");
	/*
	 * Issue 11: 0.25 where the kernel makes 2 MiB entries for physwin
	 * (sysfs map_pmd; 6.12 added them for such mappings, so from there on
	 * whatever physwin reports); where it has 4 KiB ones only (6.1), no
	 * slower than when the issue was filed, 0.28 to 0.29 of /dev/mem.
	 */
	if (physwin_fact("map_pmd") || kernel_at_least(6, 12))
		goal("mmap+touch+munmap 256 MiB / /dev/mem",
		     ratio("mmap+touch+munmap 256 MiB", "physwin", "/dev/mem"),
		     0.25, "x");
	else
		goal("mmap+touch+munmap 256 MiB / /dev/mem, 4 KiB entries",
		     ratio("mmap+touch+munmap 256 MiB", "physwin", "/dev/mem"),
		     0.29, "x");
	goal("mmap load edu / /dev/mem (1.00 +- 0.03)",
	     ratio("mmap load 4 B, edu register", "physwin", "/dev/mem"), 1.03, "x");
	goal("mmap load edu / sysfs (1.00 +- 0.03)",
	     ratio("mmap load 4 B, edu register", "physwin", "sysfs"), 1.03, "x");
	goal("mmap load BAR / /dev/mem (1.00 +- 0.03)",
	     ratio("mmap load 4 B, ivshmem BAR", "physwin", "/dev/mem"), 1.03, "x");
	goal("mmap store BAR / /dev/mem (1.00 +- 0.03)",
	     ratio("mmap store 4 B, ivshmem BAR", "physwin", "/dev/mem"), 1.03, "x");
	goal("mmap load carve-out / /dev/mem (1.00 +- 0.03)",
	     ratio("mmap load 4 B, carve-out", "physwin", "/dev/mem"), 1.03, "x");
}

int main(int argc, char **argv)
{
	int i;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--short"))) {
		fprintf(stderr, "usage: bench [--short]\n");
		return 2;
	}
	short_mode = argc == 2;
	setup();
	printf("1..%d\n", ncases);
	printf("# median time per operation; (N) = the first variant's time / this one's\n");
	for (i = 0; i < ncases; i++) {
		measure(&cases[i]);
		report_case(&cases[i]);
		fflush(stdout);
	}
	report_goals();
	return tap_failed ? 1 : 0;
}
