// SPDX-License-Identifier: GPL-2.0
/*
 * physwin_test: /dev/physwin against real targets in the test VM.
 *
 * guest/main.sh loads physwin with six windows (guest/lib.sh) whose
 * bases come in the environment (see guest/env.sh):
 *
 *   0  PW_EDU            0x1000    edu registers, width=4:exact
 *   1  PW_IVSHMEM+IVW    0x1000    ivshmem, page-aligned (host-checked)
 *   2  PW_RESV           16 MiB    the reserved carve-out
 *   3  PW_IVSHMEM+IVU    0x1ff0    ivshmem, not page-aligned
 *   4  PW_IVSHMEM+IVC    0x1000    ivshmem, for the CLI tests (cli.sh)
 *   5  PW_EDU2           0x1000    the second edu, width=MAX:exact
 *
 * edu's registers below 0x80 take 4-byte accesses only, and its DMA
 * registers at 0x80 4- or 8-byte ones, which makes access widths
 * observable: a 4-byte write to the 64-bit register at 0x80 sets its low
 * half only, and 0x84 ignores writes and reads as all ones.  Narrower
 * accesses are an abort on ARM, so window 0 is exact.  MAX is the widest
 * access of this kernel (sysfs max_width: 8, or 4 on 32-bit kernels).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/physwin.h>

#include "ivshmem_plan.h"
#include "kselftest_harness.h"
#include "test_env.h"

#define EDU_ID		0x00
#define EDU_LIVENESS	0x04
#define EDU_DMA_SRC	0x80
#define EDU_ID_VALUE	0x010000edU

#define NR_WINDOWS	6


static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* One pread()/pwrite() of exactly @w bytes; the value is little-endian. */
static int rd(int fd, uint64_t addr, unsigned int w, uint64_t *val)
{
	uint64_t v = 0;

	if (pread(fd, &v, w, (off_t)addr) != (ssize_t)w)
		return -1;
	*val = v;
	return 0;
}

static int wr(int fd, uint64_t addr, unsigned int w, uint64_t val)
{
	return pwrite(fd, &val, w, (off_t)addr) == (ssize_t)w ? 0 : -1;
}

static void *map(int fd, uint64_t addr, size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)addr);
}


FIXTURE(dev) {
	int fd;
	uint64_t edu, edu2, ivw, resv, resv_size, ivu, ivshmem, ram;
	unsigned int maxw;
};

FIXTURE_SETUP(dev)
{
	self->fd = open("/dev/physwin", O_RDWR | O_SYNC | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/physwin: %s", strerror(errno));
	self->edu = env_addr("PW_EDU");
	self->edu2 = env_addr("PW_EDU2");
	self->maxw = physwin_fact("max_width");
	self->ivshmem = env_addr("PW_IVSHMEM");
	self->ivw = self->ivshmem + IVW_OFF;
	self->ivu = self->ivshmem + IVU_OFF;
	self->resv = env_addr("PW_RESV");
	self->resv_size = env_addr("PW_RESV_SIZE");
	self->ram = env_addr("PW_RAM");
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

/* ---- edu: the registers through read() and through mmap() ---- */

TEST_F(dev, edu_id_read)
{
	uint64_t v;

	ASSERT_EQ(0, rd(self->fd, self->edu + EDU_ID, 4, &v));
	ASSERT_EQ(EDU_ID_VALUE, v);
}

TEST_F(dev, edu_id_mmap)
{
	volatile uint32_t *regs = map(self->fd, self->edu, page_size(),
				      PROT_READ);

	ASSERT_NE(MAP_FAILED, (void *)regs) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(EDU_ID_VALUE, regs[EDU_ID / 4]);
	ASSERT_EQ(0, munmap((void *)regs, page_size()));
}

TEST_F(dev, edu_liveness_read_write)
{
	static const uint32_t vals[] = { 0x12345678, 0, 0xffffffff, 0xa5a55a5a };
	uint64_t v;
	unsigned int i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		ASSERT_EQ(0, wr(self->fd, self->edu + EDU_LIVENESS, 4, vals[i]));
		ASSERT_EQ(0, rd(self->fd, self->edu + EDU_LIVENESS, 4, &v));
		ASSERT_EQ((uint32_t)~vals[i], v);
	}
}

TEST_F(dev, edu_liveness_mmap)
{
	volatile uint32_t *regs = map(self->fd, self->edu, page_size(),
				      PROT_READ | PROT_WRITE);

	ASSERT_NE(MAP_FAILED, (void *)regs);
	regs[EDU_LIVENESS / 4] = 0xc0ffee00;
	ASSERT_EQ(~0xc0ffee00U, regs[EDU_LIVENESS / 4]);
	/* and the two paths see the same register */
	ASSERT_EQ(0, wr(self->fd, self->edu + EDU_LIVENESS, 4, 0x0badf00d));
	ASSERT_EQ(~0x0badf00dU, regs[EDU_LIVENESS / 4]);
	ASSERT_EQ(0, munmap((void *)regs, page_size()));
}

/*
 * The exact window takes 4-byte accesses and nothing else: physwin never
 * makes the 1-, 2- or 8-byte access edu would reject (on ARM: abort).
 */
TEST_F(dev, width_exact_window)
{
	uint64_t v;
	uint8_t three[3];

	ASSERT_EQ(0, rd(self->fd, self->edu + EDU_ID, 4, &v));
	ASSERT_EQ(EDU_ID_VALUE, v);
	ASSERT_ERRNO(EINVAL, pread(self->fd, &v, 1, self->edu + EDU_ID));
	ASSERT_ERRNO(EINVAL, pread(self->fd, &v, 2, self->edu + EDU_ID));
	ASSERT_ERRNO(EINVAL, pread(self->fd, &v, 4, self->edu + EDU_ID + 2));
	ASSERT_ERRNO(EINVAL, pread(self->fd, three, 3, self->edu + EDU_ID));
	ASSERT_ERRNO(EINVAL, pwrite(self->fd, &v, 2, self->edu + EDU_LIVENESS));
}

/*
 * What edu's 64-bit register at 0x80 holds after @val was stored there as
 * accesses of @w bytes, read back with accesses of @r bytes.
 */
static uint64_t edu_dma_src(uint64_t val, unsigned int w, unsigned int r)
{
	uint64_t src = w == 8 ? val : (uint32_t)val;

	return r == 8 ? src : (uint32_t)src | 0xffffffff00000000ULL;
}

/*
 * One 8-byte pwrite and pread of the 64-bit register round-trip the whole
 * value only if each is one access: the window allows 8 where the kernel
 * makes 8-byte accesses, and splits into 4-byte ones where it does not.
 * A store through the mapping is the program's own: one 8-byte store in
 * a 64-bit program; a 32-bit one stores the two halves (written out here:
 * a compiler may or may not pair them into one ARM strd).
 */
TEST_F(dev, width_64bit_register)
{
	const uint64_t val = 0x0123456789abcdefULL;
	unsigned int store = sizeof(long) == 8 ? 8 : 4;
	volatile uint64_t *reg;
	uint64_t v;

	ASSERT_EQ(0, wr(self->fd, self->edu2 + EDU_DMA_SRC, 8, val));
	ASSERT_EQ(0, rd(self->fd, self->edu2 + EDU_DMA_SRC, 8, &v));
	ASSERT_EQ(edu_dma_src(val, self->maxw, self->maxw), v);

	reg = map(self->fd, self->edu2, page_size(), PROT_READ | PROT_WRITE);
	ASSERT_NE(MAP_FAILED, (void *)reg);
	if (store == 8) {
		reg[EDU_DMA_SRC / 8] = ~val;
	} else {
		volatile uint32_t *half = (volatile uint32_t *)reg;

		half[EDU_DMA_SRC / 4] = (uint32_t)~val;
		half[EDU_DMA_SRC / 4 + 1] = (uint32_t)(~val >> 32);
	}
	ASSERT_EQ(0, rd(self->fd, self->edu2 + EDU_DMA_SRC, 8, &v));
	ASSERT_EQ(edu_dma_src(~val, store, self->maxw), v);
	ASSERT_EQ(0, munmap((void *)reg, page_size()));
}

/*
 * Longer transfers are naturally aligned accesses: 8 bytes at 0x04 is a
 * 4-byte access to the liveness register and a 4-byte access to 0x08.
 */
TEST_F(dev, width_long_transfer_split)
{
	uint32_t buf[2];

	ASSERT_EQ(0, wr(self->fd, self->edu + EDU_LIVENESS, 4, 0x11223344));
	ASSERT_EQ(8, pread(self->fd, buf, 8, self->edu + EDU_LIVENESS));
	ASSERT_EQ(~0x11223344U, buf[0]);
}

/* ---- ivshmem: every width and alignment, checked again by the host ---- */

static void fill_written(uint8_t *buf, uint64_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = ivshmem_written(off + i);
}

/*
 * The first half of IVW through pwrite(): transfer lengths cycle through
 * 1..9 and 16 so that every width starts at every alignment.
 */
TEST_F(dev, ivshmem_pwrite_every_width_and_alignment)
{
	static const unsigned int lens[] = { 1, 2, 4, 8, 3, 5, 7, 16, 6, 9 };
	uint64_t off = IVW_OFF, end = IVW_OFF + IVW_SIZE / 2;
	uint8_t buf[16], back[IVW_SIZE / 2];
	unsigned int i = 0;

	/* what the host wrote is what the guest reads */
	ASSERT_EQ(1, pread(self->fd, buf, 1, self->ivw));
	ASSERT_EQ(ivshmem_prefill(IVW_OFF), buf[0]);

	while (off < end) {
		size_t len = lens[i++ % (sizeof(lens) / sizeof(lens[0]))];

		if (len > end - off)
			len = end - off;
		fill_written(buf, off, len);
		ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len,
					       self->ivshmem + off));
		off += len;
	}
	ASSERT_EQ(sizeof(back), pread(self->fd, back, sizeof(back), self->ivw));
	for (off = 0; off < sizeof(back); off++)
		ASSERT_EQ(ivshmem_written(IVW_OFF + off), back[off]);
}

/* The second half of IVW through mmap() with 1-, 2-, 4- and 8-byte stores. */
TEST_F(dev, ivshmem_mmap_every_width)
{
	uint64_t off = IVW_OFF + IVW_SIZE / 2, end = IVW_OFF + IVW_SIZE;
	volatile uint8_t *p = map(self->fd, self->ivw, IVW_SIZE,
				  PROT_READ | PROT_WRITE);
	unsigned int i = 0;
	uint8_t back[IVW_SIZE / 2];

	ASSERT_NE(MAP_FAILED, (void *)p);
	while (off < end) {
		volatile uint8_t *q = p + (off - IVW_OFF);
		unsigned int w = 8 >> (i++ % 4);
		uint8_t v[8];

		while (off % w || off + w > end)
			w >>= 1;
		fill_written(v, off, w);
		switch (w) {
		case 8:
			*(volatile uint64_t *)q = *(uint64_t *)v;
			break;
		case 4:
			*(volatile uint32_t *)q = *(uint32_t *)v;
			break;
		case 2:
			*(volatile uint16_t *)q = *(uint16_t *)v;
			break;
		default:
			*q = v[0];
		}
		off += w;
	}
	ASSERT_EQ(sizeof(back), pread(self->fd, back, sizeof(back),
				      self->ivw + IVW_SIZE / 2));
	for (off = 0; off < sizeof(back); off++)
		ASSERT_EQ(ivshmem_written(IVW_OFF + IVW_SIZE / 2 + off), back[off]);
	for (off = 0; off < IVW_SIZE; off += 8)
		ASSERT_EQ(ivshmem_written(IVW_OFF + off), p[off]);
	ASSERT_EQ(0, munmap((void *)p, IVW_SIZE));
}

/* A transfer that runs past the end of its window is short. */
TEST_F(dev, short_transfer_at_window_end)
{
	uint64_t off = IVW_OFF + IVW_SIZE - 8;
	uint8_t buf[16];

	fill_written(buf, off, sizeof(buf));
	ASSERT_EQ(8, pwrite(self->fd, buf, sizeof(buf), self->ivshmem + off));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(8, pread(self->fd, buf, sizeof(buf), self->ivshmem + off));
	ASSERT_EQ(ivshmem_written(off + 7), buf[7]);
	ASSERT_ERRNO(EPERM, pread(self->fd, buf, 1, self->ivw + IVW_SIZE));
}

/*
 * IVU is not page-aligned: read/write reach exactly its bytes, mmap is
 * refused (EINVAL inside it, EPERM for the page it starts in).
 */
TEST_F(dev, unaligned_window_byte_exact)
{
	uint8_t buf[IVU_SIZE + 16] = { 0 };

	ASSERT_ERRNO(EPERM, pwrite(self->fd, buf, 8, self->ivu - 8));
	ASSERT_ERRNO(EPERM, pwrite(self->fd, buf, 1, self->ivu - 1));
	fill_written(buf, IVU_OFF, sizeof(buf));
	ASSERT_EQ(IVU_SIZE, pwrite(self->fd, buf, sizeof(buf), self->ivu));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(IVU_SIZE, pread(self->fd, buf, sizeof(buf), self->ivu));
	ASSERT_EQ(ivshmem_written(IVU_OFF), buf[0]);
	ASSERT_EQ(ivshmem_written(IVU_OFF + IVU_SIZE - 1), buf[IVU_SIZE - 1]);
	ASSERT_ERRNO(EPERM, pread(self->fd, buf, 1, self->ivu + IVU_SIZE));
}

TEST_F(dev, unaligned_window_mmap_refused)
{
	uint64_t inside = (self->ivu + page_size()) & ~(uint64_t)(page_size() - 1);

	ASSERT_ERRNO(EINVAL, map(self->fd, inside, page_size(), PROT_READ));
	ASSERT_ERRNO(EPERM, map(self->fd, inside - page_size(), page_size(),
				PROT_READ));
}

/* ---- the reserved-RAM carve-out ---- */

TEST_F(dev, resv_carveout_read_write_mmap)
{
	const size_t len = 1 << 20;
	uint8_t *buf = malloc(len), *p;
	size_t i;

	ASSERT_NE(NULL, buf);
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 13 + (i >> 12));
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len, self->resv));

	p = map(self->fd, self->resv, len, PROT_READ | PROT_WRITE);
	ASSERT_NE(MAP_FAILED, (void *)p);
	ASSERT_EQ(0, memcmp(p, buf, len));
	for (i = 0; i < len; i += 4096)
		((volatile uint8_t *)p)[i] ^= 0xff;

	memset(buf, 0, len);
	ASSERT_EQ((ssize_t)len, pread(self->fd, buf, len, self->resv));
	for (i = 0; i < len; i++)
		ASSERT_EQ((uint8_t)((i * 13 + (i >> 12)) ^ (i % 4096 ? 0 : 0xff)),
			  buf[i]);
	ASSERT_EQ(0, munmap(p, len));
	free(buf);
}

/*
 * Writes whose source is not plain memory of the process: another physwin
 * mapping (its pages cannot be pinned, so they are copied in), untouched
 * anonymous memory (zeros), and a buffer not aligned like the address
 * (the bounce buffer's path).  Each writes all of it.
 */
TEST_F(dev, write_from_unusual_buffers)
{
	const size_t len = 3 * page_size();
	uint64_t dst = self->resv + (2 << 20);
	uint8_t *src, *fresh, *buf = malloc(len + 1), *got = malloc(len);
	size_t i;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, got);
	for (i = 0; i <= len; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len, self->resv + (1 << 20)));

	src = map(self->fd, self->resv + (1 << 20), len, PROT_READ);
	ASSERT_NE(MAP_FAILED, (void *)src);
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, src, len, dst));
	ASSERT_EQ((ssize_t)len, pread(self->fd, got, len, dst));
	ASSERT_EQ(0, memcmp(got, buf, len));
	ASSERT_EQ(0, munmap(src, len));

	fresh = mmap(NULL, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)fresh);
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, fresh, len, dst));
	ASSERT_EQ((ssize_t)len, pread(self->fd, got, len, dst));
	for (i = 0; i < len; i++)
		ASSERT_EQ(0, got[i]);
	ASSERT_EQ(0, munmap(fresh, len));

	ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf + 1, len, dst));
	ASSERT_EQ((ssize_t)len, pread(self->fd, got, len, dst));
	ASSERT_EQ(0, memcmp(got, buf + 1, len));
	free(buf);
	free(got);
}

/*
 * A long write whose source has a hole: it stops exactly at the physical
 * page whose bytes could not all be had, and writes none of that page,
 * however the transfer is cut internally (here 0x10 into a page, longer
 * than the spans physwin pins or copies at a time).
 */
TEST_F(dev, write_faulting_long_stops_at_a_page)
{
	const size_t pg = page_size(), len = 5 * pg;
	uint64_t dst = self->resv + (3 << 20);
	uint8_t *src, *before = malloc(len + pg), *after = malloc(len + pg);
	size_t i;

	ASSERT_NE(NULL, before);
	ASSERT_NE(NULL, after);
	for (i = 0; i < len + pg; i++)
		before[i] = (uint8_t)(i * 11 + 5);
	ASSERT_EQ((ssize_t)(len + pg), pwrite(self->fd, before, len + pg, dst));

	/* the source's page 4 is a hole: physical dst + 4 pages + 0x10 on */
	src = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)src);
	memset(src, 0xee, len);
	ASSERT_EQ(0, munmap(src + 4 * pg, pg));
	ASSERT_EQ((ssize_t)(4 * pg - 0x10), pwrite(self->fd, src, len, dst + 0x10));
	ASSERT_EQ((ssize_t)(len + pg), pread(self->fd, after, len + pg, dst));
	for (i = 0; i < len + pg; i++) {
		uint8_t want = i >= 0x10 && i < 4 * pg ? 0xee : before[i];

		ASSERT_EQ(want, after[i]) TH_LOG("byte %#zx", i);
	}
	ASSERT_EQ(0, munmap(src, 4 * pg));
	free(before);
	free(after);
}

/* Page faults of this process so far. */
static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/*
 * A 4 MiB mapping of the carve-out: one fault maps a whole 2 MiB block (one
 * 2 MiB entry where sysfs map_pmd says so, and then the mapping is placed
 * congruent to the physical address), and what the mapping shows stays
 * right when it is split by munmap() and mprotect() of single pages and
 * when a child inherits it.
 */
TEST_F(dev, mmap_large_blocks)
{
	const size_t len = 4 << 20;
	size_t blk = 2 << 20;
	uint64_t *buf = malloc(len);
	volatile uint64_t *p;
	size_t i, n = len / 8, pg = page_size() / 8;
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
			"re");
	long faults;
	int status;
	pid_t pid;

	/* a 2 MiB block is what one page table covers: PMD_SIZE */
	if (f) {
		ASSERT_EQ(1, fscanf(f, "%zu", &blk));
		fclose(f);
	}
	ASSERT_NE(NULL, buf);
	if (blk > len / 2)
		SKIP(return, "a block of %zu bytes does not fit twice in 4 MiB", blk);
	ASSERT_EQ(0, self->resv % blk) TH_LOG("the carve-out is block aligned");
	for (i = 0; i < n; i++)
		buf[i] = 0x5a00000000000000ULL | i;
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len, self->resv));

	p = map(self->fd, self->resv, len, PROT_READ | PROT_WRITE);
	ASSERT_NE(MAP_FAILED, (void *)p);
	/* the kernel places 32-bit programs' mappings without THP alignment */
	if (physwin_fact("map_pmd") && sizeof(void *) == 8)
		ASSERT_EQ(0, (uintptr_t)p % blk) TH_LOG("mapping at %p", p);
	/* a fault per 2 MiB block (3 blocks if not aligned), not per page */
	faults = minor_faults();
	for (i = 0; i < n; i += pg)
		ASSERT_EQ(0x5a00000000000000ULL | i, p[i]);
	faults = minor_faults() - faults;
	ASSERT_GE(3 + 2, faults) TH_LOG("%ld faults for %zu pages", faults, n / pg);

	/* split: a hole in the first block, a read-only page in the second */
	ASSERT_EQ(0, munmap((void *)(p + n / 4), page_size()));
	ASSERT_EQ(0, mprotect((void *)(p + 3 * n / 4), page_size(), PROT_READ));
	for (i = 0; i < n; i += 7) {
		if (i / pg == n / 4 / pg)
			continue;
		ASSERT_EQ(0x5a00000000000000ULL | i, p[i]) TH_LOG("word %zu", i);
	}
	/* still writable next to the read-only page, and it reaches memory */
	p[3 * n / 4 + pg] = 0xa5a5;
	ASSERT_EQ(8, pread(self->fd, buf, 8, self->resv + (3 * n / 4 + pg) * 8));
	ASSERT_EQ(0xa5a5, buf[0]);

	/* a child faults the mapping in again, and sees the same */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < n; i += pg + 1)
			if (i / pg != n / 4 / pg && i != 3 * n / 4 + pg &&
			    p[i] != (0x5a00000000000000ULL | i))
				_exit(1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	ASSERT_EQ(0, munmap((void *)p, n / 4 * 8));
	ASSERT_EQ(0, munmap((void *)(p + n / 4 + pg), len - (n / 4 + pg) * 8));
	free(buf);
}

/* ---- refusals: one each, with the exact errno ---- */

TEST_F(dev, read_outside_every_window)
{
	uint32_t v;

	ASSERT_ERRNO(EPERM, pread(self->fd, &v, 4, self->edu + 0x1000));
	ASSERT_ERRNO(EPERM, pread(self->fd, &v, 4, 0));
}

TEST_F(dev, write_outside_every_window)
{
	uint32_t v = 0;

	ASSERT_ERRNO(EPERM, pwrite(self->fd, &v, 4, self->edu + 0x1000));
}

TEST_F(dev, transfer_starting_before_window)
{
	uint8_t buf[16] = { 0 };

	ASSERT_ERRNO(EPERM, pread(self->fd, buf, 16, self->ivw - 8));
	ASSERT_ERRNO(EPERM, pwrite(self->fd, buf, 16, self->ivw - 8));
}

TEST_F(dev, system_ram_refused)
{
	uint32_t v = 0;

	ASSERT_ERRNO(EPERM, pread(self->fd, &v, 4, self->ram));
	ASSERT_ERRNO(EPERM, pwrite(self->fd, &v, 4, self->ram));
	ASSERT_ERRNO(EPERM, map(self->fd, self->ram, page_size(), PROT_READ));
}

TEST_F(dev, zero_length_transfer)
{
	uint8_t b;

	ASSERT_EQ(0, pread(self->fd, &b, 0, self->edu));
	ASSERT_EQ(0, pwrite(self->fd, &b, 0, self->edu));
}

TEST_F(dev, mmap_private_refused)
{
	ASSERT_ERRNO(EINVAL, mmap(NULL, page_size(), PROT_READ, MAP_PRIVATE,
				  self->fd, self->edu));
	ASSERT_ERRNO(EINVAL, mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
				  MAP_PRIVATE, self->fd, self->edu));
}

TEST_F(dev, mmap_outside_every_window)
{
	ASSERT_ERRNO(EPERM, map(self->fd, self->edu + 0x1000, page_size(),
				PROT_READ));
}

TEST_F(dev, mmap_past_window_end)
{
	ASSERT_ERRNO(EPERM, map(self->fd, self->edu, 2 * page_size(),
				PROT_READ));
	ASSERT_ERRNO(EPERM, map(self->fd, self->ivw - page_size(),
				2 * page_size(), PROT_READ));
}

/*
 * With unsigned offsets the mm core passes the top page through and
 * physwin refuses it; a length that wraps is caught by the core.
 */
TEST_F(dev, mmap_offset_overflow)
{
	off_t top = (off_t)mmap_top_page();

	ASSERT_ERRNO(EPERM, mmap(NULL, page_size(), PROT_READ, MAP_SHARED,
				 self->fd, top));
	ASSERT_ERRNO(mmap_past_top_errno(),
		     mmap(NULL, 2 * page_size(), PROT_READ, MAP_SHARED,
			  self->fd, top));
}

TEST_F(dev, mmap_flags_and_no_growth)
{
	char line[256], want[32];
	bool found = false, flags = false;
	void *p = map(self->fd, self->edu, page_size(), PROT_READ);
	FILE *f;

	ASSERT_NE(MAP_FAILED, p);
	snprintf(want, sizeof(want), "%lx-", (unsigned long)p);
	f = fopen("/proc/self/smaps", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, want, strlen(want)))
			found = true;
		else if (found && !strncmp(line, "VmFlags:", 8)) {
			flags = strstr(line, " io") && strstr(line, " pf") &&
				strstr(line, " de") && strstr(line, " dd");
			TH_LOG("%s", line);
			break;
		}
	}
	fclose(f);
	ASSERT_TRUE(found);
	ASSERT_TRUE(flags);
	/* VM_DONTEXPAND: mremap cannot grow it past its window */
	ASSERT_ERRNO(EFAULT, (long)mremap(p, page_size(), 2 * page_size(),
					  MREMAP_MAYMOVE));
	ASSERT_EQ(0, munmap(p, page_size()));
}

/*
 * ptrace and /proc/<pid>/mem reach the mapping, through physwin's own
 * access path; where the kernel does not call it (sysfs ptrace 0: 32-bit
 * ARM), they fail and reach nothing.
 */
TEST_F(dev, proc_mem_access)
{
	void *p = map(self->fd, self->edu, page_size(), PROT_READ | PROT_WRITE);
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	uint32_t v = 0x5a5a0000;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_LE(0, mem);
	if (!physwin_fact("ptrace")) {
		ASSERT_ERRNO(EIO, pread(mem, &v, 4, (off_t)(uintptr_t)p + EDU_ID));
		ASSERT_ERRNO(EIO, pwrite(mem, &v, 4,
					 (off_t)(uintptr_t)p + EDU_LIVENESS));
		close(mem);
		ASSERT_EQ(0, munmap(p, page_size()));
		return;
	}
	ASSERT_EQ(4, pread(mem, &v, 4, (off_t)(uintptr_t)p + EDU_ID));
	ASSERT_EQ(EDU_ID_VALUE, v);
	v = 0x5a5a0000;
	ASSERT_EQ(4, pwrite(mem, &v, 4, (off_t)(uintptr_t)p + EDU_LIVENESS));
	ASSERT_EQ(4, pread(mem, &v, 4, (off_t)(uintptr_t)p + EDU_LIVENESS));
	ASSERT_EQ(~0x5a5a0000U, v);
	close(mem);
	ASSERT_EQ(0, munmap(p, page_size()));
}

TEST_F(dev, bad_user_buffer)
{
	void *bad = mmap(NULL, page_size(), PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *two;

	ASSERT_NE(MAP_FAILED, bad);
	ASSERT_ERRNO(EFAULT, pread(self->fd, bad, 4, self->edu));
	ASSERT_ERRNO(EFAULT, pwrite(self->fd, bad, 4, self->ivw));

	/* a buffer whose second page is gone: the first page's bytes count */
	two = mmap(NULL, 2 * page_size(), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)two);
	ASSERT_EQ(0, munmap(two + page_size(), page_size()));
	ASSERT_EQ(page_size(), pread(self->fd, two, 2 * page_size(), self->resv));
	ASSERT_EQ(page_size(), pwrite(self->fd, two, 2 * page_size(), self->resv));
	ASSERT_EQ(0, munmap(two, page_size()));
	ASSERT_EQ(0, munmap(bad, page_size()));
}

TEST_F(dev, lseek_positions)
{
	const uint64_t high = 0x8000000000001000ULL;
	uint32_t v;

	ASSERT_EQ((off_t)self->edu, lseek(self->fd, self->edu, SEEK_SET));
	ASSERT_EQ(4, read(self->fd, &v, 4));
	ASSERT_EQ(EDU_ID_VALUE, v);
	ASSERT_EQ((off_t)self->edu + 4, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ((off_t)self->edu, lseek(self->fd, -4, SEEK_CUR));

	if (physwin_narrow_offsets()) {
		/* a 32-bit lseek cannot return them: refused, not garbage */
		ASSERT_ERRNO(EOVERFLOW, lseek(self->fd, (off_t)high, SEEK_SET));
		ASSERT_EQ((off_t)self->edu, lseek(self->fd, 0, SEEK_CUR));
	} else {
		/* addresses at and above 2^63 are positions like any other */
		errno = 0;
		ASSERT_EQ(high, (uint64_t)lseek(self->fd, (off_t)high, SEEK_SET));
		ASSERT_EQ(0, errno);
		ASSERT_ERRNO(EPERM, read(self->fd, &v, 4));
	}

	ASSERT_ERRNO(EINVAL, lseek(self->fd, 0, SEEK_END));
	ASSERT_ERRNO(EINVAL, lseek(self->fd, 0, SEEK_DATA));
	/* positions that would read back as an errno */
	ASSERT_ERRNO(EOVERFLOW, lseek(self->fd, -1, SEEK_SET));
	ASSERT_ERRNO(EOVERFLOW, lseek(self->fd, -4095, SEEK_SET));
	/* pread() with a negative offset is refused by the VFS itself */
	ASSERT_ERRNO(EINVAL, pread(self->fd, &v, 4, (off_t)high));
}

/* ---- ioctls ---- */

TEST_F(dev, ioctl_info)
{
	struct physwin_info info = { .size = sizeof(info) };

	ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_INFO, &info));
	ASSERT_EQ(PHYSWIN_ABI_VERSION, info.abi_version);
	ASSERT_EQ(NR_WINDOWS, info.nr_windows);
	ASSERT_EQ(16, info.max_windows);
}

TEST_F(dev, ioctl_window)
{
	const uint64_t base[NR_WINDOWS] = {
		self->edu, self->ivw, self->resv, self->ivu,
		self->ivshmem + IVC_OFF, self->edu2 };
	const uint64_t len[NR_WINDOWS] = {
		0x1000, IVW_SIZE, self->resv_size, IVU_SIZE, IVC_SIZE, 0x1000 };
	const unsigned int width[NR_WINDOWS] = {
		4, self->maxw, self->maxw, self->maxw, self->maxw, self->maxw };
	struct physwin_window_info wi;
	char name[8];
	unsigned int i;

	for (i = 0; i < NR_WINDOWS; i++) {
		memset(&wi, 0, sizeof(wi));
		wi.size = sizeof(wi);
		wi.index = i;
		ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_WINDOW, &wi));
		snprintf(name, sizeof(name), "win%u", i);
		ASSERT_STREQ(name, wi.name);
		ASSERT_EQ(base[i], wi.base);
		ASSERT_EQ(len[i], wi.length);
		ASSERT_EQ(PHYSWIN_CACHE_UC, wi.cache);
		ASSERT_EQ(width[i], wi.width);
		ASSERT_EQ(PHYSWIN_WIN_CLAIMED | (i == 3 ? 0 : PHYSWIN_WIN_MAPPABLE) |
			  (i == 0 || i == 5 ? PHYSWIN_WIN_EXACT : 0), wi.flags);
	}
}

TEST_F(dev, ioctl_window_index_out_of_range)
{
	struct physwin_window_info wi = { .size = sizeof(wi), .index = NR_WINDOWS };

	ASSERT_ERRNO(ENOENT, ioctl(self->fd, PHYSWIN_IOC_WINDOW, &wi));
	wi.index = ~0U;
	ASSERT_ERRNO(ENOENT, ioctl(self->fd, PHYSWIN_IOC_WINDOW, &wi));
}

TEST_F(dev, ioctl_unknown_command)
{
	struct physwin_info info = { .size = sizeof(info) };

	ASSERT_ERRNO(ENOTTY, ioctl(self->fd, _IO(PHYSWIN_IOC_TYPE, 0x7f), &info));
	ASSERT_ERRNO(ENOTTY, ioctl(self->fd, _IO(PHYSWIN_IOC_TYPE, 0x03), &info));
	ASSERT_ERRNO(ENOTTY, ioctl(self->fd, _IOR('T', 0x01, int), &info));
}

TEST_F(dev, ioctl_reserved_must_be_zero)
{
	struct physwin_info info = { .size = sizeof(info) };
	struct physwin_window_info wi = { .size = sizeof(wi) };

	info.reserved[3] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, PHYSWIN_IOC_INFO, &info));
	wi.reserved0 = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, PHYSWIN_IOC_WINDOW, &wi));
	wi.reserved0 = 0;
	wi.reserved[0] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, PHYSWIN_IOC_WINDOW, &wi));
}

TEST_F(dev, ioctl_struct_size)
{
	struct {
		struct physwin_info info;
		uint64_t future[2];
	} big;

	memset(&big, 0, sizeof(big));
	big.info.size = 0;
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, PHYSWIN_IOC_INFO, &big));
	big.info.size = sizeof(big.info) - 8;
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, PHYSWIN_IOC_INFO, &big));
	/* a newer, longer structure is fine while its new bytes are zero */
	big.info.size = sizeof(big);
	ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_INFO, &big));
	ASSERT_EQ(NR_WINDOWS, big.info.nr_windows);
	big.future[1] = 1;
	ASSERT_ERRNO(E2BIG, ioctl(self->fd, PHYSWIN_IOC_INFO, &big));
}

TEST_F(dev, ioctl_bad_pointer)
{
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, PHYSWIN_IOC_INFO, NULL));
	ASSERT_ERRNO(EFAULT, ioctl(self->fd, PHYSWIN_IOC_WINDOW, (void *)8));
}

/* ---- long transfers and signals ---- */

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	alarms++;
}

/*
 * A long transfer stops at a pending signal and returns what it did, never
 * EINTR after progress and never a torn page.
 */
TEST_F_TIMEOUT(dev, long_transfer_stops_on_signal, 600)
{
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	size_t len = self->resv_size, i;
	unsigned int round, shorts = 0;
	uint8_t *buf = malloc(len);
	ssize_t n;

	ASSERT_NE(NULL, buf);
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i ^ (i >> 8) ^ (i >> 16));
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len, self->resv));

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));	/* no SA_RESTART */
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	for (round = 0; round < 100 && shorts < 3; round++) {
		memset(buf, 0, len);
		n = pread(self->fd, buf, len, self->resv);
		ASSERT_LT(0, n) TH_LOG("round %u: %s", round, strerror(errno));
		ASSERT_EQ(0, n % page_size());
		if ((size_t)n < len)
			shorts++;
		for (i = 0; i < (size_t)n; i += 997)
			ASSERT_EQ((uint8_t)(i ^ (i >> 8) ^ (i >> 16)), buf[i]);
		n = pwrite(self->fd, buf, (size_t)n, self->resv);
		ASSERT_LT(0, n);
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	TH_LOG("%u rounds, %u short reads, %d signals", round, shorts,
	       (int)alarms);
	ASSERT_LE(1, shorts);
	free(buf);
}

/* ---- concurrency ---- */

#define STRESS_THREADS	4
#define STRESS_OPS	1500
#define STRESS_REGION	(64 * 1024)

struct stress {
	int fd;
	uint64_t base;		/* this thread's region in the carve-out */
	uint64_t edu;
	unsigned int seed;
	unsigned long ops, errors;
	uint8_t shadow[STRESS_REGION];
};

static void *stress_thread(void *arg)
{
	struct stress *s = arg;
	uint8_t buf[8192];
	unsigned int i;

	memset(s->shadow, 0x11 * (s->seed & 0xf), STRESS_REGION);
	if (pwrite(s->fd, s->shadow, STRESS_REGION, s->base) != STRESS_REGION)
		s->errors++;
	for (i = 0; i < STRESS_OPS; i++, s->ops++) {
		unsigned int op = rand_r(&s->seed) % 4;
		size_t off = rand_r(&s->seed) % STRESS_REGION;
		size_t len = 1 + rand_r(&s->seed) % sizeof(buf);
		size_t k;

		if (len > STRESS_REGION - off)
			len = STRESS_REGION - off;
		switch (op) {
		case 0:
			for (k = 0; k < len; k++)
				buf[k] = (uint8_t)rand_r(&s->seed);
			if (pwrite(s->fd, buf, len, s->base + off) != (ssize_t)len)
				s->errors++;
			memcpy(s->shadow + off, buf, len);
			break;
		case 1:
			if (pread(s->fd, buf, len, s->base + off) != (ssize_t)len ||
			    memcmp(buf, s->shadow + off, len))
				s->errors++;
			break;
		case 2: {
			volatile uint8_t *p = mmap(NULL, STRESS_REGION,
						   PROT_READ | PROT_WRITE,
						   MAP_SHARED, s->fd, s->base);

			if (p == MAP_FAILED) {
				s->errors++;
				break;
			}
			if (p[off] != s->shadow[off])
				s->errors++;
			p[off] = s->shadow[off] = (uint8_t)rand_r(&s->seed);
			munmap((void *)p, STRESS_REGION);
			break;
		}
		default: {
			struct physwin_info info = { .size = sizeof(info) };
			uint32_t id = 0;

			if (ioctl(s->fd, PHYSWIN_IOC_INFO, &info) ||
			    info.nr_windows != NR_WINDOWS)
				s->errors++;
			if (pread(s->fd, &id, 4, s->edu) != 4 || id != EDU_ID_VALUE)
				s->errors++;
		}
		}
	}
	if (pread(s->fd, buf, 1, s->base) != 1)
		s->errors++;
	for (i = 0; i < STRESS_REGION; i += sizeof(buf)) {
		if (pread(s->fd, buf, sizeof(buf), s->base + i) != sizeof(buf) ||
		    memcmp(buf, s->shadow + i, sizeof(buf)))
			s->errors++;
	}
	return NULL;
}

static volatile bool stress_done;

/* opens and closes the device, mapping edu each time, all along */
static void *stress_opener(void *arg)
{
	struct stress *s = arg;

	while (!stress_done) {
		int fd = open("/dev/physwin", O_RDWR | O_CLOEXEC);
		volatile uint32_t *p;

		if (fd < 0) {
			s->errors++;
			continue;
		}
		p = mmap(NULL, page_size(), PROT_READ, MAP_SHARED, fd, s->edu);
		close(fd);
		if (p == MAP_FAILED || p[0] != EDU_ID_VALUE)
			s->errors++;
		else
			munmap((void *)p, page_size());
		s->ops++;
	}
	return NULL;
}

/* slow kernels (KASAN under TCG) need more than the default 30 s */
TEST_F_TIMEOUT(dev, concurrent_read_write_mmap, 600)
{
	static struct stress st[STRESS_THREADS + 1];
	pthread_t tid[STRESS_THREADS + 1];
	unsigned long ops = 0, errors = 0;
	unsigned int i;

	for (i = 0; i <= STRESS_THREADS; i++) {
		st[i].fd = self->fd;
		st[i].base = self->resv + 0x200000 + i * STRESS_REGION;
		st[i].edu = self->edu;
		st[i].seed = 0x5eed0 + i;
		st[i].ops = st[i].errors = 0;
	}
	stress_done = false;
	ASSERT_EQ(0, pthread_create(&tid[STRESS_THREADS], NULL, stress_opener,
				    &st[STRESS_THREADS]));
	for (i = 0; i < STRESS_THREADS; i++)
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, stress_thread, &st[i]));
	for (i = 0; i < STRESS_THREADS; i++)
		pthread_join(tid[i], NULL);
	stress_done = true;
	pthread_join(tid[STRESS_THREADS], NULL);
	for (i = 0; i <= STRESS_THREADS; i++) {
		ops += st[i].ops;
		errors += st[i].errors;
	}
	TH_LOG("%lu operations, %lu errors", ops, errors);
	ASSERT_EQ(0, errors);
}

TEST_HARNESS_MAIN
