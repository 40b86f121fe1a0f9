// SPDX-License-Identifier: GPL-2.0
/*
 * confine: a randomized, seeded driver that attacks physwin's confinement
 * and checks every answer against a model.
 *
 *   confine SEED OPS
 *
 * guest/confine.sh loads physwin with two adjacent windows in the middle of
 * the ivshmem BAR (see ivshmem_plan.h): "rnd", read-write, IVR_SIZE bytes
 * at IVR_OFF, and "rro", read-only, right after it.  The host filled the
 * whole BAR with ivshmem_prefill() before boot.
 *
 * Each of OPS operations, drawn from a generator seeded with SEED, goes
 * through /dev/physwin or /dev/physwin-rnd, each opened read-write,
 * read-only and write-only: pread/pwrite (now and then with a user buffer
 * that faults part-way), read/write at the file position,
 * preadv/pwritev/readv/writev, lseek with every whence, mmap with random
 * offsets, lengths, protections and flags, accesses through live
 * mappings, mprotect, mremap, munmap, and the three ioctls with random
 * structures, sizes up to and past a page included.  Offsets come from
 * near the windows' edges, the rest of the BAR, near 0, near 2^63 and near
 * 2^64, and anywhere.
 *
 * The model knows what each call must return (a count, a short count or
 * the exact errno of the README) and what every window byte must hold; a
 * read returns the model's bytes, a write changes the model.  The first
 * difference fails the run and prints the seed, the operation number and
 * the last operations.  At the end the driver reads both windows back,
 * then prints the model of "rnd" as PHYSWIN-SHADOW lines for the host,
 * which compares them with the backing file (ivshmem_check verify).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include <linux/physwin.h>

#include "ivshmem_plan.h"
#include "test_env.h"

#define PAGE		4096ULL
#define MAX_LEN		(3 * IVR_SIZE)
#define NR_MAPS		4
#define BATCH_LONG	40	/* the most operations in a long batch */

struct window {
	const char *name;
	uint64_t base, size;
	bool ro;
	unsigned int width;	/* the default: this kernel's widest access */
};

/* a 32-bit program, or a 32-bit kernel: no lseek to 2^63 and above */
static bool narrow_offsets;

/*
 * What an open file reaches: all windows, or one through its own node; and
 * what its open mode lets it do.
 */
struct view {
	const char *path;
	int fd;
	uint64_t pos;
	unsigned int first, count;	/* into windows[] */
	bool can_read, can_write;
};

struct mapping {
	uint8_t *p;
	uint64_t addr, len;
	int prot;
	bool maywrite;		/* mprotect(PROT_WRITE) may succeed */
};

#define NR_VIEWS	6

static struct window windows[2];
static struct view views[NR_VIEWS];
static uint8_t *guard;		/* a PROT_NONE page after MAX_LEN good bytes */
static struct mapping maps[NR_MAPS];
static uint8_t shadow[IVR_SIZE];	/* the model of "rnd" */
static uint8_t buf[MAX_LEN], pat[MAX_LEN];
static uint64_t bar;		/* the ivshmem BAR's physical address */
static uint64_t seed, opno, counts[16];
static char history[16][160];

/* ---- reproducible randomness (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd64() % n : 0;
}

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd64();
}

/* ---- reporting ---- */

static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(history[opno % 16], sizeof(history[0]), fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	printf("# confine: seed %" PRIu64 ", operation %" PRIu64 ": ", seed, opno);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n# the last operations, oldest first:\n");
	for (uint64_t i = opno > 15 ? opno - 15 : 0; i <= opno; i++)
		printf("#   %" PRIu64 ": %s\n", i, history[i % 16]);
	printf("not ok - confine: seed %" PRIu64 " failed at operation %" PRIu64
	       " (rerun: confine %" PRIu64 " %" PRIu64 ")\n", seed, opno, seed,
	       opno + 1);
	exit(1);
}

/* A call returned @got (errno @err when -1); the model says @want. */
static void expect(const char *what, long got, int err, long want)
{
	if (got == want && (want != -1 || err == 0))
		return;
	if (want < 0 && got == -1 && err == -want)
		return;
	if (want < 0)
		die("%s: returned %ld (%s), model says %s", what, got,
		    got == -1 ? strerrorname_np(err) : "no error",
		    strerrorname_np((int)-want));
	die("%s: returned %ld (%s), model says %ld", what, got,
	    got == -1 ? strerrorname_np(err) : "no error", want);
}

/* ---- the model ---- */

/* The window of @v holding @addr, or NULL. */
static struct window *find(const struct view *v, uint64_t addr)
{
	for (unsigned int i = v->first; i < v->first + v->count; i++)
		if (addr >= windows[i].base &&
		    addr - windows[i].base < windows[i].size)
			return &windows[i];
	return NULL;
}

static uint8_t model_byte(uint64_t addr)
{
	if (addr - windows[0].base < windows[0].size)
		return shadow[addr - windows[0].base];
	return ivshmem_prefill(addr - bar);
}

/*
 * One f_op->read/write call at @addr for @len bytes: the count or -errno
 * it must return.  A write of @data changes the model (none: only count).
 */
static long model_rw(const struct view *v, uint64_t addr, uint64_t len,
		     bool write, const uint8_t *data)
{
	struct window *w;
	uint64_t n;

	if (write ? !v->can_write : !v->can_read)
		return -EBADF;		/* the VFS, before physwin */
	if (!len)
		return 0;
	w = find(v, addr);
	if (!w)
		return -EPERM;
	if (write && w->ro)
		return -EACCES;
	n = w->base + w->size - addr;
	if (n > len)
		n = len;
	if (write && data)
		memcpy(&shadow[addr - w->base], data, n);
	return (long)n;
}

/* Bytes read at @addr must be the model's. */
static void check_bytes(const char *what, uint64_t addr, const uint8_t *got,
			uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (got[i] != model_byte(addr + i))
			die("%s: byte at 0x%" PRIx64 " is 0x%02x, model says 0x%02x",
			    what, addr + i, got[i], model_byte(addr + i));
}

/* ---- generators ---- */

static uint64_t pick_addr(void)
{
	const struct window *w = &windows[below(2)];

	switch (below(10)) {
	case 0:		/* around a window's start */
		return w->base - 64 + below(128);
	case 1:		/* around a window's end */
	case 2:
		return w->base + w->size - 64 + below(128);
	case 3:		/* inside a window */
	case 4:
	case 5:
		return w->base + below(w->size);
	case 6:		/* anywhere in the BAR */
		return bar + below(IVSHMEM_SIZE);
	case 7:		/* near 0 */
		return below(0x10000);
	case 8:		/* near 2^63 and 2^64 */
		return (below(2) ? 0x8000000000000000ULL : 0) - 0x8000 +
		       below(0x10000);
	default:
		return rnd64();
	}
}

static uint64_t pick_len(void)
{
	switch (below(6)) {
	case 0:
		return below(2);
	case 1:
	case 2:
		return 1 + below(16);
	case 3:
		return 1 << below(13);
	default:
		return 1 + below(MAX_LEN);
	}
}

/* ---- operations ---- */

/*
 * The user buffer of a transfer faults after @good bytes: physwin moves
 * page-bounded chunks of the physical address, and a chunk it could not
 * copy whole from user space is not written at all.  How much of a
 * transfer of @n bytes at @addr gets written, or -EFAULT for none.
 */
static long model_faulting_write(uint64_t addr, uint64_t n, uint64_t good)
{
	uint64_t done = 0;

	while (done < n) {
		uint64_t chunk = PAGE - ((addr + done) & (PAGE - 1));

		if (chunk > n - done)
			chunk = n - done;
		if (done + chunk > good)
			break;
		done += chunk;
	}
	return done ? (long)done : -EFAULT;
}

static void op_pread(struct view *v, bool write)
{
	uint64_t addr = pick_addr(), len = pick_len(), good = len;
	uint8_t *ubuf = write ? pat : buf;
	long want, got, lo = 0;
	int err;

	/* now and then a buffer that faults after @good bytes */
	if (len && !below(8)) {
		good = below(len);
		ubuf = guard - good;
	}
	note("%s(%s, len %" PRIu64 ", 0x%" PRIx64 "%s)", write ? "pwrite" : "pread",
	     v->path, len, addr, good < len ? ", faulting buffer" : "");
	if ((int64_t)addr < 0) {
		want = -EINVAL;		/* the VFS, before physwin */
	} else if (write) {
		fill_random(ubuf, good < len ? good : len);
		want = model_rw(v, addr, len, true, NULL);
		if (want > 0 && good < (uint64_t)want)
			want = model_faulting_write(addr, want, good);
		if (want > 0)
			model_rw(v, addr, want, true, ubuf);
	} else {
		want = model_rw(v, addr, len, false, NULL);
		/*
		 * What reached the buffer counts; the kernel may stop short
		 * of the fault, but copies something if it could.
		 */
		if (want > 0 && good < (uint64_t)want) {
			lo = 1;
			want = good ? (long)good : -EFAULT;
		}
	}
	errno = 0;
	if (write)
		got = pwrite(v->fd, ubuf, len, (off_t)addr);
	else
		got = pread(v->fd, ubuf, len, (off_t)addr);
	err = errno;
	if (lo && want > 0 && got >= lo && got <= want)
		want = got;
	expect(write ? "pwrite" : "pread", got, err, want);
	if (!write && got > 0)
		check_bytes("pread", addr, ubuf, got);
	counts[write ? 1 : 0]++;
}

/* lseek with any whence; returns whether the position moved */
static void op_lseek(struct view *v)
{
	static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA,
				       SEEK_HOLE, 5, -1 };
	int whence = whences[below(7)];
	uint64_t off = whence == SEEK_CUR && below(2) ?
		       (uint64_t)(int64_t)(below(0x20000) - 0x10000) : pick_addr();
	uint64_t pos = whence == SEEK_CUR ? v->pos + off : off;
	long want;
	off_t got;
	int err;

	note("lseek(%s, 0x%" PRIx64 ", %d) at 0x%" PRIx64, v->path, off, whence,
	     v->pos);
	if (whence != SEEK_SET && whence != SEEK_CUR)
		want = -EINVAL;
	else if (pos >= (uint64_t)-4095)
		want = -EOVERFLOW;
	else if (narrow_offsets && pos > INT64_MAX)
		want = -EOVERFLOW;	/* a 32-bit lseek cannot return it */
	else
		want = 0;
	errno = 0;
	got = lseek(v->fd, (off_t)off, whence);
	err = errno;
	if (want) {
		expect("lseek", got, err, want);
	} else {
		if ((uint64_t)got != pos || err)
			die("lseek: returned 0x%" PRIx64 " (%s), model says 0x%" PRIx64,
			    (uint64_t)got, strerrorname_np(err), pos);
		v->pos = pos;
	}
	counts[2]++;
}

/*
 * read/write/readv/writev at the file position, preadv/pwritev at an
 * offset: the VFS calls physwin once per iovec until one is short or fails.
 */
static void op_vector(struct view *v, bool write, bool at_pos, int nr)
{
	struct iovec iov[4];
	uint64_t addr = at_pos ? v->pos : pick_addr();
	uint64_t total = 0, a, off = 0;
	long want = 0, got, r;
	int err;

	for (int i = 0; i < nr; i++) {
		uint64_t len = 1 + below(MAX_LEN / 4 - 1);

		iov[i].iov_base = (write ? pat : buf) + total;
		iov[i].iov_len = len;
		total += len;
	}
	note("%s%s(%s, %d iovecs, %" PRIu64 " bytes, 0x%" PRIx64 ")",
	     at_pos ? "" : "p", write ? "writev" : "readv", v->path, nr, total,
	     addr);
	if (write)
		fill_random(pat, total);

	if (!at_pos && (int64_t)addr < 0) {
		want = -EINVAL;
	} else if (write ? !v->can_write : !v->can_read) {
		want = -EBADF;
	} else if ((int64_t)addr < 0 && total >= -addr) {
		want = -EOVERFLOW;	/* rw_verify_area() */
	} else {
		a = addr;
		for (int i = 0; i < nr; i++) {
			r = model_rw(v, a, iov[i].iov_len, write, pat + off);
			if (r < 0) {
				if (!want)
					want = r;
				break;
			}
			want += r;
			a += r;
			off += r;
			if ((uint64_t)r != iov[i].iov_len)
				break;
		}
	}
	errno = 0;
	if (at_pos)
		got = write ? writev(v->fd, iov, nr) : readv(v->fd, iov, nr);
	else
		got = write ? pwritev(v->fd, iov, nr, (off_t)addr) :
			      preadv(v->fd, iov, nr, (off_t)addr);
	err = errno;
	expect(write ? "writev" : "readv", got, err, want);
	if (got > 0) {
		if (!write)
			check_bytes("readv", addr, buf, got);
		if (at_pos)
			v->pos += got;
	}
	counts[write ? 4 : 3]++;
}

/* read()/write() at the file position */
static void op_rw_at_pos(struct view *v, bool is_write)
{
	uint64_t addr = v->pos, len = pick_len();
	long want, got;
	int err;

	note("%s(%s, len %" PRIu64 ") at 0x%" PRIx64, is_write ? "write" : "read",
	     v->path, len, addr);
	if (is_write)
		fill_random(pat, len);
	if (is_write ? !v->can_write : !v->can_read)
		want = -EBADF;
	else if ((int64_t)addr < 0 && len && len >= -addr)
		want = -EOVERFLOW;	/* rw_verify_area() */
	else
		want = model_rw(v, addr, len, is_write, pat);
	errno = 0;
	got = is_write ? write(v->fd, pat, len) : read(v->fd, buf, len);
	err = errno;
	expect(is_write ? "is_write" : "read", got, err, want);
	if (got > 0) {
		if (!is_write)
			check_bytes("read", addr, buf, got);
		v->pos += got;
	}
	counts[is_write ? 4 : 3]++;
}

static struct mapping *free_map(void)
{
	for (int i = 0; i < NR_MAPS; i++)
		if (!maps[i].p)
			return &maps[i];
	return NULL;
}

static void op_mmap(struct view *v)
{
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE,
				     PROT_WRITE, PROT_NONE };
	static const int flagset[] = { MAP_SHARED, MAP_PRIVATE,
				       MAP_SHARED_VALIDATE };
	const struct window *w = &windows[below(2)];
	struct mapping *m = free_map();
	int prot = prots[below(4)], flags = flagset[below(3)], err;
	uint64_t addr, len = (1 + below(3)) * PAGE - (below(2) ? below(PAGE) : 0);
	uint64_t plen = (len + PAGE - 1) & ~(PAGE - 1);
	struct window *win;
	long want;
	void *p;

	if (!m) {
		note("mmap: all %d mapping slots in use", NR_MAPS);
		return;
	}
	switch (below(4)) {
	case 0:
		addr = pick_addr();
		break;
	case 1:
		addr = pick_addr() & ~(PAGE - 1);
		break;
	default:
		addr = w->base + (below(w->size / PAGE + 4) - 2) * PAGE;
	}
	/*
	 * A 32-bit program's mmap() names offsets up to 2^44 only, and the C
	 * libraries treat those above differently (EINVAL, or cut to 44
	 * bits): libphyswin refuses them (EOVERFLOW); here they are left out.
	 */
	if (sizeof(long) < 8)
		addr &= (1ULL << 44) - 1;
	note("mmap(%s, 0x%" PRIx64 ", len 0x%" PRIx64 ", prot %d, flags 0x%x)",
	     v->path, addr, len, prot, flags);
	win = find(v, addr);
	if (addr & (PAGE - 1))
		want = -EINVAL;
	else if (addr + plen - 1 < addr ||
		 /* a 32-bit kernel's page offset is 32 bits: its end wraps */
		 (sizeof(long) < 8 && windows[0].width < 8 &&
		  addr / PAGE + plen / PAGE > 0xffffffffULL))
		want = -EOVERFLOW;
	else if (!v->can_read ||
		 (flags != MAP_PRIVATE && (prot & PROT_WRITE) && !v->can_write))
		want = -EACCES;		/* do_mmap(), before physwin */
	else if (flags == MAP_PRIVATE)
		want = -EINVAL;
	else if (!win || addr + plen - 1 > win->base + win->size - 1)
		want = -EPERM;
	else if (win->ro && (prot & PROT_WRITE))
		want = -EACCES;
	else
		want = 0;
	errno = 0;
	p = mmap(NULL, len, prot, flags, v->fd, (off_t)addr);
	err = errno;
	expect("mmap", p == MAP_FAILED ? -1 : 0, err, want);
	if (p != MAP_FAILED) {
		m->p = p;
		m->addr = addr;
		m->len = plen;
		m->prot = prot;
		m->maywrite = v->can_write && !win->ro;
	}
	counts[5]++;
}

static void op_map_access(void)
{
	static const unsigned int widths[] = { 1, 2, 4, 8 };
	struct mapping *m = &maps[below(NR_MAPS)];
	unsigned int w = widths[below(4)];
	uint64_t off, val = 0;
	uint8_t bytes[8];
	bool write;

	if (!m->p || !(m->prot & PROT_READ)) {
		/* none, PROT_NONE or write-only: would fault */
		note("no readable mapping in slot %td", m - maps);
		return;
	}
	off = below(m->len / w) * w;
	write = (m->prot & PROT_WRITE) && below(2);
	note("%s %u bytes through a mapping at 0x%" PRIx64,
	     write ? "store" : "load", w, m->addr + off);
	if (write) {
		fill_random(bytes, w);
		memcpy(&val, bytes, w);
		switch (w) {
		case 1: *(volatile uint8_t *)(m->p + off) = (uint8_t)val; break;
		case 2: *(volatile uint16_t *)(m->p + off) = (uint16_t)val; break;
		case 4: *(volatile uint32_t *)(m->p + off) = (uint32_t)val; break;
		default: *(volatile uint64_t *)(m->p + off) = val; break;
		}
		memcpy(&shadow[m->addr + off - windows[0].base], bytes, w);
		counts[7]++;
	} else {
		switch (w) {
		case 1: val = *(volatile uint8_t *)(m->p + off); break;
		case 2: val = *(volatile uint16_t *)(m->p + off); break;
		case 4: val = *(volatile uint32_t *)(m->p + off); break;
		default: val = *(volatile uint64_t *)(m->p + off); break;
		}
		memcpy(bytes, &val, w);
		check_bytes("load through a mapping", m->addr + off, bytes, w);
		counts[6]++;
	}
}

static void op_map_change(void)
{
	struct mapping *m = &maps[below(NR_MAPS)];
	bool ro = m->p && !m->maywrite;
	int prot, err;
	long got;
	void *p;

	if (!m->p) {
		note("no mapping in slot %td", m - maps);
		return;
	}
	switch (below(4)) {
	case 0:
		prot = below(2) ? PROT_READ : PROT_READ | PROT_WRITE;
		note("mprotect(0x%" PRIx64 ", %d)", m->addr, prot);
		errno = 0;
		got = mprotect(m->p, m->len, prot);
		err = errno;
		expect("mprotect", got, err,
		       ro && (prot & PROT_WRITE) ? -EACCES : 0);
		if (!got)
			m->prot = prot;
		break;
	case 1:
		note("mremap(0x%" PRIx64 ", grow to 0x%" PRIx64 ")", m->addr,
		     m->len + PAGE);
		errno = 0;
		p = mremap(m->p, m->len, m->len + PAGE, MREMAP_MAYMOVE);
		err = errno;
		expect("mremap grow", p == MAP_FAILED ? -1 : 0, err, -EFAULT);
		break;
	case 2:
		if (m->len == PAGE) {
			note("mremap: one page, nothing to shrink");
			return;
		}
		note("mremap(0x%" PRIx64 ", shrink to 0x%" PRIx64 ")", m->addr,
		     m->len - PAGE);
		errno = 0;
		p = mremap(m->p, m->len, m->len - PAGE, 0);
		err = errno;
		expect("mremap shrink", p == MAP_FAILED ? -1 : 0, err, 0);
		m->len -= PAGE;
		break;
	default:
		note("munmap(0x%" PRIx64 ", 0x%" PRIx64 ")", m->addr, m->len);
		errno = 0;
		got = munmap(m->p, m->len);
		err = errno;
		expect("munmap", got, err, 0);
		m->p = NULL;
	}
	counts[8]++;
}

/*
 * A size field: too small, exact, longer with a zero or non-zero tail, a
 * whole page, or more than a page (E2BIG, whatever the bytes).
 */
static uint32_t pick_size(uint32_t real, bool *dirty)
{
	*dirty = false;
	switch (below(7)) {
	case 0:
		return (uint32_t)below(real);
	case 1:
		*dirty = true;
		return real + 8 * (1 + (uint32_t)below(3));
	case 2:
		return real + 8 * (1 + (uint32_t)below(3));
	case 3:
		return below(2) ? PAGE : PAGE + 1 + (uint32_t)below(2 * PAGE);
	case 4:
		return below(2) ? (uint32_t)rnd64() | 0x80000000U : real;
	default:
		return real;
	}
}

static void op_ioctl_info(struct view *v)
{
	static union {
		struct physwin_info info;
		uint8_t raw[PAGE];
	} u;
	bool dirty;
	long want, got;
	int err;

	memset(&u, 0, sizeof(u));
	u.info.size = pick_size(sizeof(u.info), &dirty);
	if (dirty)
		u.raw[u.info.size - 1 - below(8)] = 1 + (uint8_t)below(255);
	if (below(8) == 0)
		u.info.reserved[below(4)] = 1;
	note("PHYSWIN_IOC_INFO(%s, size %u)", v->path, u.info.size);
	if (u.info.size < sizeof(u.info))
		want = -EINVAL;
	else if (u.info.size > PAGE)
		want = -E2BIG;
	else if (dirty)
		want = -E2BIG;
	else if (u.info.reserved[0] | u.info.reserved[1] | u.info.reserved[2] |
		 u.info.reserved[3])
		want = -EINVAL;
	else
		want = 0;
	errno = 0;
	got = ioctl(v->fd, PHYSWIN_IOC_INFO, &u);
	err = errno;
	expect("PHYSWIN_IOC_INFO", got, err, want);
	if (!got && u.info.nr_windows != v->count)
		die("PHYSWIN_IOC_INFO: %u windows, model says %u",
		    u.info.nr_windows, v->count);
	counts[9]++;
}

static void op_ioctl_window(struct view *v)
{
	static union {
		struct physwin_window_info wi;
		uint8_t raw[PAGE];
	} u;
	struct physwin_window_info wi;
	const struct window *w;
	bool dirty;
	long want, got;
	int err;

	memset(&u, 0, sizeof(u));
	u.wi.size = below(3) ? sizeof(wi) : pick_size(sizeof(wi), &dirty);
	if (u.wi.size > sizeof(wi) && u.wi.size <= PAGE && !below(4))
		u.raw[u.wi.size - 1] = 1;	/* a non-zero tail */
	u.wi.index = (uint32_t)(below(4) ? below(4) : rnd64());
	note("PHYSWIN_IOC_WINDOW(%s, size %u, index %u)", v->path, u.wi.size,
	     u.wi.index);
	if (u.wi.size < sizeof(wi))
		want = -EINVAL;
	else if (u.wi.size > PAGE)
		want = -E2BIG;
	else if (u.raw[u.wi.size - 1] && u.wi.size > sizeof(wi))
		want = -E2BIG;
	else if (u.wi.index >= v->count)
		want = -ENOENT;
	else
		want = 0;
	errno = 0;
	got = ioctl(v->fd, PHYSWIN_IOC_WINDOW, &u);
	err = errno;
	memcpy(&wi, &u.wi, sizeof(wi));
	expect("PHYSWIN_IOC_WINDOW", got, err, want);
	if (!got) {
		w = &windows[v->first + wi.index];
		if (wi.base != w->base || wi.length != w->size ||
		    !!(wi.flags & PHYSWIN_WIN_RO) != w->ro ||
		    strcmp(wi.name, w->name))
			die("PHYSWIN_IOC_WINDOW %u: %s 0x%llx+0x%llx flags 0x%x, model says %s",
			    wi.index, wi.name, (unsigned long long)wi.base,
			    (unsigned long long)wi.length, wi.flags, w->name);
	}
	counts[10]++;
}

/* The errno of one batch op, or 0 (physwin_op_check()'s order). */
static int model_op_check(const struct view *v, const struct physwin_op *op)
{
	unsigned int w = op->width;
	const struct window *win;

	if (op->reserved || op->op < PHYSWIN_OP_READ || op->op > PHYSWIN_OP_RMW)
		return EINVAL;
	if (w != 1 && w != 2 && w != 4 && w != 8)
		return EINVAL;
	if ((w < 8 && op->value >> (w * 8)) ||
	    (op->op == PHYSWIN_OP_RMW && w < 8 && op->mask >> (w * 8)))
		return EINVAL;
	win = find(v, op->addr);
	if (!win || op->addr + w - 1 > win->base + win->size - 1)
		return EPERM;
	if (op->addr % w || w > win->width)
		return EINVAL;
	if (op->op != PHYSWIN_OP_READ && win->ro)
		return EACCES;
	return 0;
}

static uint64_t model_load(uint64_t addr, unsigned int w)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < w; i++)
		v |= (uint64_t)model_byte(addr + i) << (8 * i);
	return v;
}

static void model_store(uint64_t addr, unsigned int w, uint64_t v)
{
	for (unsigned int i = 0; i < w; i++)
		shadow[addr + i - windows[0].base] = (uint8_t)(v >> (8 * i));
}

/* The open modes an operation needs, as bits: 1 read, 2 write. */
static unsigned int model_op_mode(uint32_t op)
{
	switch (op) {
	case PHYSWIN_OP_READ:
	case PHYSWIN_OP_POLL:
		return 1;
	case PHYSWIN_OP_WRITE:
		return 2;
	case PHYSWIN_OP_RMW:
		return 3;
	default:
		return 0;
	}
}

/*
 * A batch of up to 8 operations, or now and then a long one of up to
 * BATCH_LONG that crosses the kernel's copy-in chunks, mostly valid so
 * that it runs far, laid out with a random op_size: the real
 * one, longer with zero tails, longer with a non-zero tail in one of them
 * (E2BIG there, after the ones before it ran), or more than a page (E2BIG
 * for the whole batch, which is then left as it was).  Through a view
 * that may not do what one of its operations does, the whole batch is
 * EBADF and nothing runs.
 */
static void op_ioctl_batch(struct view *v)
{
	static const unsigned int widths[] = { 1, 2, 4, 8, 3, 0 };
	static uint8_t raw[BATCH_LONG * 64];
	struct physwin_op ops[BATCH_LONG], want_res[BATCH_LONG];
	struct physwin_batch_req b;
	/* a long batch makes each kind of bad operation 64 times rarer */
	bool lng = !below(4);
	uint32_t odds = lng ? 64 : 1;
	uint32_t nr = lng ? 9 + (uint32_t)below(BATCH_LONG - 8) :
			    1 + (uint32_t)below(8);
	uint32_t i, done, stride = sizeof(ops[0]);
	uint32_t tail_at = nr, have;
	unsigned int need = 0;
	int want_err = 0, err;
	bool whole = false;	/* refused as a whole, left untouched */
	long got;

	have = (v->can_read ? 1 : 0) | (v->can_write ? 2 : 0);
	memset(ops, 0, sizeof(ops));
	for (i = 0; i < nr; i++) {
		struct physwin_op *op = &ops[i];
		unsigned int w = widths[below(10 * odds) ? below(4) : 4 + below(2)];

		/* read, write, RMW; now and then an invalid op (not poll) */
		op->op = below(12 * odds) ? PHYSWIN_OP_READ + (uint32_t)below(3) :
					    (uint32_t)below(8);
		if (op->op == PHYSWIN_OP_POLL)
			op->op = 7;
		op->width = w;
		op->addr = below(3 * odds) ? (windows[below(2 * odds) ? 0 : 1].base +
				       below(windows[0].size + 16)) & ~(uint64_t)(w ? w - 1 : 0) :
				      pick_addr();
		op->value = rnd64();
		op->mask = rnd64();
		if (w && w < 8 && below(8 * odds)) {
			op->value &= (1ULL << (8 * w)) - 1;
			op->mask &= (1ULL << (8 * w)) - 1;
		}
		if (below(50 * odds) == 0)
			op->reserved = 1;
	}
	switch (below(10)) {
	case 0:
		stride += 8 * (1 + (uint32_t)below(2));
		break;
	case 1:
		stride += 8;
		tail_at = (uint32_t)below(nr);
		break;
	case 2:
		if (!below(4)) {
			stride = PAGE + 8 * (1 + (uint32_t)below(64));
			whole = true;
		}
		break;
	}
	memset(raw, 0, sizeof(raw));
	for (i = 0; i < nr && !whole; i++) {
		memcpy(raw + i * stride, &ops[i], sizeof(ops[i]));
		if (i == tail_at)
			raw[i * stride + stride - 1 - below(8)] = 1 + (uint8_t)below(255);
	}
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.op_size = stride;
	b.nr_ops = nr;
	b.ops = (uintptr_t)raw;
	note("PHYSWIN_IOC_BATCH(%s, %u ops of %u bytes, first op %u width %u at 0x%llx)",
	     v->path, nr, stride, ops[0].op, ops[0].width,
	     (unsigned long long)ops[0].addr);

	memcpy(want_res, ops, sizeof(ops));
	done = 0;
	if (whole) {
		want_err = E2BIG;
	} else {
		/* what the copied-in operations need, before any runs */
		for (i = 0; i < nr && i < tail_at; i++)
			need |= model_op_mode(ops[i].op);
		if (need & ~have)
			want_err = EBADF;
	}
	for (; !want_err && done < nr; done++) {
		struct physwin_op *op = &want_res[done];

		want_err = done == tail_at ? E2BIG : model_op_check(v, op);
		if (want_err)
			break;
		if (op->op != PHYSWIN_OP_WRITE)
			op->result = model_load(op->addr, op->width);
		if (op->op == PHYSWIN_OP_WRITE)
			model_store(op->addr, op->width, op->value);
		if (op->op == PHYSWIN_OP_RMW)
			model_store(op->addr, op->width,
				    (op->result & ~op->mask) |
				    (op->value & op->mask));
	}
	errno = 0;
	got = ioctl(v->fd, PHYSWIN_IOC_BATCH, &b);
	err = errno;
	expect("PHYSWIN_IOC_BATCH", got, err, want_err ? -want_err : 0);
	if (whole ? b.nr_done || b.error :
		    b.nr_done != done || b.error != -want_err)
		die("PHYSWIN_IOC_BATCH: nr_done %u error %d, model says %u and %d",
		    b.nr_done, b.error, whole ? 0 : done, whole ? 0 : -want_err);
	for (i = 0; i < done; i++) {
		uint64_t res;

		memcpy(&res, raw + i * stride + offsetof(struct physwin_op, result),
		       sizeof(res));
		if (ops[i].op != PHYSWIN_OP_WRITE && res != want_res[i].result)
			die("PHYSWIN_IOC_BATCH op %u: result 0x%llx, model says 0x%llx",
			    i, (unsigned long long)res,
			    (unsigned long long)want_res[i].result);
	}
	counts[11]++;
}

static void check_all(void)
{
	struct view *v = &views[0];

	for (int i = 0; i < 2; i++) {
		const struct window *w = &windows[i];

		opno++;
		note("final read-back of %s", w->name);
		errno = 0;
		expect("final pread", pread(v->fd, buf, w->size, (off_t)w->base),
		       errno, (long)w->size);
		check_bytes("final read-back", w->base, buf, w->size);
	}
}

static void open_view(struct view *v, const char *path, int mode,
		      unsigned int first, unsigned int count)
{
	v->path = path;
	v->fd = open(path, mode | O_CLOEXEC);
	if (v->fd < 0) {
		printf("not ok - confine: open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	v->first = first;
	v->count = count;
	v->pos = 0;
	v->can_read = mode != O_WRONLY;
	v->can_write = mode != O_RDONLY;
}

int main(int argc, char **argv)
{
	char *end1 = NULL, *end2 = NULL;
	uint64_t ops;

	if (argc == 3) {
		seed = strtoull(argv[1], &end1, 0);
		ops = strtoull(argv[2], &end2, 0);
	}
	if (argc != 3 || *end1 || *end2) {
		fprintf(stderr, "usage: confine SEED OPS\n");
		return 2;
	}
	rng_state = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);

	bar = env_addr("PW_IVSHMEM");
	windows[0] = (struct window){ "rnd", bar + IVR_OFF, IVR_SIZE, false,
				      physwin_fact("max_width") };
	windows[1] = (struct window){ "rro", bar + IVRO_OFF, IVRO_SIZE, true,
				      windows[0].width };
	narrow_offsets = physwin_narrow_offsets();
	for (uint64_t i = 0; i < IVR_SIZE; i++)
		shadow[i] = ivshmem_prefill(IVR_OFF + i);
	/* the read-write views (0, 1) twice as often as the others */
	open_view(&views[0], "/dev/physwin", O_RDWR, 0, 2);
	open_view(&views[1], "/dev/physwin-rnd", O_RDWR, 0, 1);
	open_view(&views[2], "/dev/physwin", O_RDONLY, 0, 2);
	open_view(&views[3], "/dev/physwin", O_WRONLY, 0, 2);
	open_view(&views[4], "/dev/physwin-rnd", O_RDONLY, 0, 1);
	open_view(&views[5], "/dev/physwin-rnd", O_WRONLY, 0, 1);
	guard = mmap(NULL, MAX_LEN + 2 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard == MAP_FAILED) {
		printf("not ok - confine: mmap: %s\n", strerror(errno));
		return 1;
	}
	guard += MAX_LEN;
	if (mprotect(guard, PAGE, PROT_NONE)) {
		printf("not ok - confine: mprotect: %s\n", strerror(errno));
		return 1;
	}

	for (opno = 0; opno < ops; opno++) {
		unsigned int vi = (unsigned int)below(NR_VIEWS + 2);
		struct view *v = &views[vi < NR_VIEWS ? vi : vi - NR_VIEWS];

		switch (below(20)) {
		case 0: case 1: case 2: op_pread(v, false); break;
		case 3: case 4: case 5: op_pread(v, true); break;
		case 6: case 7: op_lseek(v); break;
		case 8: op_rw_at_pos(v, false); break;
		case 9: op_rw_at_pos(v, true); break;
		case 10: op_vector(v, false, below(2), 1 + (int)below(4)); break;
		case 11: op_vector(v, true, below(2), 1 + (int)below(4)); break;
		case 12: op_mmap(v); break;
		case 13: case 14:
			for (int i = 1 + (int)below(8); i > 0; i--)
				op_map_access();
			break;
		case 15: op_map_change(); break;
		case 16: op_ioctl_info(v); break;
		case 17: op_ioctl_window(v); break;
		default: op_ioctl_batch(v); break;
		}
	}
	check_all();

	for (uint64_t off = 0; off < IVR_SIZE; off += 32) {
		printf("PHYSWIN-SHADOW %llx ", IVR_OFF + off);
		for (int i = 0; i < 32; i++)
			printf("%02x", shadow[off + i]);
		printf("\n");
	}
	printf("# confine: %" PRIu64 " pread, %" PRIu64 " pwrite, %" PRIu64
	       " lseek, %" PRIu64 " read(v), %" PRIu64 " write(v), %" PRIu64
	       " mmap, %" PRIu64 " loads and %" PRIu64 " stores through mappings, %"
	       PRIu64 " mprotect/mremap/munmap, %" PRIu64 " INFO, %" PRIu64
	       " WINDOW, %" PRIu64 " BATCH\n", counts[0], counts[1], counts[2],
	       counts[3], counts[4], counts[5], counts[6], counts[7], counts[8],
	       counts[9], counts[10], counts[11]);
	printf("ok - confine: seed %" PRIu64 ", %" PRIu64
	       " operations, every result and byte as the model says\n", seed, ops);
	return 0;
}
