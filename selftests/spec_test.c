// SPDX-License-Identifier: GPL-2.0
/*
 * spec_test: window attributes from window= specs, in the test VM.
 * guest/specs.sh loads physwin with:
 *
 *   0  win0  base=PW_RESV size=0x1000         a base=/size= window first
 *   1  edu   pci:<edu>/0:width=4:exact        the whole edu BAR, from PCI
 *   2  rom   PW_IVSHMEM+IVW 4K:ro             host-checked: writes must fail
 *   3  fast  PW_RESV+1M 1M:wb                 cached reserved memory
 *   4  wcw   PW_RESV+2M 1M:wc                 write-combining
 *   5  nc    PW_IVSHMEM+IVC 4K:ro:noclaim     no /proc/iomem claim
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/physwin.h>

#include "ivshmem_plan.h"
#include "kselftest_harness.h"
#include "test_env.h"

#define EDU_ID_VALUE	0x010000edU
#define MIB		0x100000ULL



FIXTURE(spec) {
	int fd;
	long page;
	uint64_t edu, rom, fast, wcw, nc, odd;
	unsigned int maxw;
};

FIXTURE_SETUP(spec)
{
	self->fd = open("/dev/physwin", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	self->page = sysconf(_SC_PAGESIZE);
	self->edu = env_addr("PW_EDU");
	self->rom = env_addr("PW_IVSHMEM") + IVW_OFF;
	self->nc = env_addr("PW_IVSHMEM") + IVC_OFF;
	self->fast = env_addr("PW_RESV") + MIB;
	self->wcw = env_addr("PW_RESV") + 2 * MIB;
	self->odd = env_addr("PW_RESV") + 0x380000;
	self->maxw = physwin_fact("max_width");
}

FIXTURE_TEARDOWN(spec)
{
	close(self->fd);
}

static void window_info(int fd, unsigned int i, struct physwin_window_info *wi)
{
	memset(wi, 0, sizeof(*wi));
	wi->size = sizeof(*wi);
	wi->index = i;
	if (ioctl(fd, PHYSWIN_IOC_WINDOW, wi))
		memset(wi, 0, sizeof(*wi));
}

TEST_F(spec, attributes_reported)
{
	/* width 0: the default, this kernel's widest access */
	static const struct {
		const char *name;
		uint32_t flags;
		uint8_t cache, width;
	} want[] = {
		{ "win0", PHYSWIN_WIN_MAPPABLE | PHYSWIN_WIN_CLAIMED, PHYSWIN_CACHE_UC, 0 },
		{ "edu", PHYSWIN_WIN_MAPPABLE | PHYSWIN_WIN_CLAIMED | PHYSWIN_WIN_EXACT,
		  PHYSWIN_CACHE_UC, 4 },
		{ "rom", PHYSWIN_WIN_MAPPABLE | PHYSWIN_WIN_CLAIMED | PHYSWIN_WIN_RO,
		  PHYSWIN_CACHE_UC, 0 },
		{ "fast", PHYSWIN_WIN_MAPPABLE | PHYSWIN_WIN_CLAIMED, PHYSWIN_CACHE_WB, 0 },
		{ "wcw", PHYSWIN_WIN_MAPPABLE | PHYSWIN_WIN_CLAIMED, PHYSWIN_CACHE_WC, 0 },
		{ "nc", PHYSWIN_WIN_MAPPABLE | PHYSWIN_WIN_RO, PHYSWIN_CACHE_UC, 0 },
		{ "odd", PHYSWIN_WIN_CLAIMED, PHYSWIN_CACHE_UC, 0 },
	};
	unsigned int maxw = physwin_fact("max_width");
	struct physwin_window_info wi;
	unsigned int i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		window_info(self->fd, i, &wi);
		ASSERT_STREQ(want[i].name, wi.name);
		ASSERT_EQ(want[i].flags, wi.flags);
		ASSERT_EQ(want[i].cache, wi.cache);
		ASSERT_EQ(want[i].width ?: maxw, wi.width);
	}
}

/* The PCI window is the BAR that sysfs reports for the edu device. */
TEST_F(spec, pci_bar_resolved)
{
	struct physwin_window_info wi;

	window_info(self->fd, 1, &wi);
	ASSERT_EQ(self->edu, wi.base);
	ASSERT_EQ(MIB, wi.length);
}

TEST_F(spec, readonly_refuses_every_write)
{
	uint8_t before[64], after[64], buf[8] = { 0 };
	volatile uint8_t *p;
	int mem;

	ASSERT_EQ(64, pread(self->fd, before, 64, self->rom));
	ASSERT_ERRNO(EACCES, pwrite(self->fd, buf, 8, self->rom));
	ASSERT_ERRNO(EACCES, pwrite(self->fd, buf, 1, self->rom + 63));
	ASSERT_ERRNO(EACCES, (long)mmap(NULL, self->page, PROT_READ | PROT_WRITE,
					MAP_SHARED, self->fd, self->rom));

	p = mmap(NULL, self->page, PROT_READ, MAP_SHARED, self->fd, self->rom);
	ASSERT_NE(MAP_FAILED, (void *)p);
	ASSERT_EQ(before[5], p[5]);
	/* no later upgrade: mprotect, or ptrace through /proc/self/mem (which
	 * fails too where the kernel has no ptrace access to mappings) */
	ASSERT_ERRNO(EACCES, mprotect((void *)p, self->page, PROT_READ | PROT_WRITE));
	mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mem);
	ASSERT_EQ(-1, pwrite(mem, buf, 8, (off_t)(uintptr_t)p));
	close(mem);
	ASSERT_EQ(0, munmap((void *)p, self->page));

	ASSERT_EQ(64, pread(self->fd, after, 64, self->rom));
	ASSERT_EQ(0, memcmp(before, after, 64));
	/* what the main suite wrote there, which the host checks again */
	ASSERT_EQ(ivshmem_written(IVW_OFF), after[0]);
}

/* exact width=4: the edu registers below 0x80 answer only 4-byte reads */
TEST_F(spec, exact_width)
{
	uint32_t regs[4], v = 0x11110000;
	uint8_t b[8] = { 0 };

	ASSERT_EQ(4, pread(self->fd, regs, 4, self->edu));
	ASSERT_EQ(EDU_ID_VALUE, regs[0]);
	/* 16 bytes are four 4-byte accesses: every register answers */
	ASSERT_EQ(4, pwrite(self->fd, &v, 4, self->edu + 4));
	ASSERT_EQ(16, pread(self->fd, regs, 16, self->edu));
	ASSERT_EQ(EDU_ID_VALUE, regs[0]);
	ASSERT_EQ(~0x11110000U, regs[1]);
	ASSERT_ERRNO(EINVAL, pread(self->fd, b, 1, self->edu));
	ASSERT_ERRNO(EINVAL, pread(self->fd, b, 2, self->edu));
	ASSERT_ERRNO(EINVAL, pread(self->fd, b, 6, self->edu));
	ASSERT_ERRNO(EINVAL, pread(self->fd, b, 4, self->edu + 2));
	ASSERT_ERRNO(EINVAL, pwrite(self->fd, b, 3, self->edu + 4));
	ASSERT_ERRNO(EINVAL, pwrite(self->fd, b, 4, self->edu + 1));
}

/* the batch ioctl keeps the window's rules */
TEST_F(spec, batch_follows_the_attributes)
{
	struct physwin_op op = { .addr = self->rom, .op = PHYSWIN_OP_WRITE,
				 .width = 4, .value = 1 };
	struct physwin_batch_req b = { .size = sizeof(b), .op_size = sizeof(op),
				   .nr_ops = 1, .ops = (uintptr_t)&op };

	ASSERT_ERRNO(EACCES, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	op.op = PHYSWIN_OP_RMW;
	op.mask = 1;
	ASSERT_ERRNO(EACCES, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	op.op = PHYSWIN_OP_READ;
	ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	/* exact width=4: only 4-byte operations */
	op.addr = self->edu;
	op.width = 8;
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	op.width = 2;
	ASSERT_ERRNO(EINVAL, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	op.width = 4;
	ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	ASSERT_EQ(EDU_ID_VALUE, op.result);
}

/* a batch of @n operations; its errno (0 when all ran) and nr_done */
static int batch_of(int fd, struct physwin_op *ops, uint32_t n, uint32_t *done)
{
	struct physwin_batch_req b = { .size = sizeof(b), .op_size = sizeof(*ops),
				       .nr_ops = n, .ops = (uintptr_t)ops };
	int ret = ioctl(fd, PHYSWIN_IOC_BATCH, &b);

	*done = b.nr_done;
	return ret ? errno : 0;
}

#define OP(kind, a, w, v)	((struct physwin_op){ .op = PHYSWIN_OP_##kind, \
				  .addr = (a), .width = (w), .value = (v) })

/*
 * Within a batch an operation is first checked against the window of the
 * one before: that check keeps every rule too.  "odd" ends 2 bytes past
 * an 8-byte boundary; rom is read-only; edu is exact at 4 bytes.
 */
TEST_F(spec, batch_checks_each_op_against_its_window)
{
	uint64_t end = self->odd + 0xffe, w = self->maxw;
	struct physwin_op ops[4];
	uint32_t done;

	/* across the end of "odd", alone and after a good read */
	ops[0] = OP(READ, end - 2, 4, 0);
	ASSERT_EQ(EPERM, batch_of(self->fd, ops, 1, &done));
	ASSERT_EQ(0, done);
	ops[0] = OP(READ, self->odd, 4, 0);
	ops[1] = OP(READ, end - 2, 4, 0);
	ASSERT_EQ(EPERM, batch_of(self->fd, ops, 2, &done));
	ASSERT_EQ(1, done);
	ops[1] = OP(READ, end - 2, 2, 0);
	ASSERT_EQ(0, batch_of(self->fd, ops, 2, &done));
	ASSERT_EQ(2, done);
	ops[0] = OP(READ, self->odd, w, 0);
	ops[1] = OP(READ, (end - 1) & ~(w - 1), w, 0);	/* aligned, 2 bytes past */
	ASSERT_EQ(EPERM, batch_of(self->fd, ops, 2, &done));
	ASSERT_EQ(1, done);

	/* a write or read-modify-write after a read of a read-only window */
	ops[0] = OP(READ, self->rom, 4, 0);
	ops[1] = OP(WRITE, self->rom + 4, 4, 1);
	ASSERT_EQ(EACCES, batch_of(self->fd, ops, 2, &done));
	ASSERT_EQ(1, done);
	ops[1] = OP(RMW, self->rom, 4, 1);
	ops[1].mask = 1;
	ASSERT_EQ(EACCES, batch_of(self->fd, ops, 2, &done));
	ASSERT_EQ(1, done);

	/* back and forth between windows of different rules */
	ops[0] = OP(READ, self->edu, 4, 0);
	ops[1] = OP(READ, self->fast, w, 0);
	ops[2] = OP(READ, self->edu, 4, 0);
	ops[3] = OP(READ, self->edu, 2, 0);		/* exact: refused */
	ASSERT_EQ(EINVAL, batch_of(self->fd, ops, 4, &done));
	ASSERT_EQ(3, done);
	ops[0] = OP(READ, self->fast, w, 0);
	ops[1] = OP(READ, self->rom, 4, 0);
	ops[2] = OP(WRITE, self->fast, 4, 0x5a5a5a5a);
	ops[3] = OP(WRITE, self->rom, 4, 1);		/* read-only: refused */
	ASSERT_EQ(EACCES, batch_of(self->fd, ops, 4, &done));
	ASSERT_EQ(3, done);
}

static void cache_mode_round_trip(struct __test_metadata *_metadata, int fd,
				  uint64_t base, long page)
{
	const size_t len = 4 * (size_t)page;
	uint8_t *buf = malloc(len), *back = malloc(len);
	volatile uint64_t *p;
	size_t i;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, back);
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 3 + (base >> 20));
	ASSERT_EQ((ssize_t)len, pwrite(fd, buf, len, base));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, base);
	ASSERT_NE(MAP_FAILED, (void *)p);
	ASSERT_EQ(0, memcmp((void *)p, buf, len));
	for (i = 0; i < len / 8; i += 7)
		p[i] = ~p[i];
	__sync_synchronize();
	ASSERT_EQ((ssize_t)len, pread(fd, back, len, base));
	ASSERT_EQ(0, memcmp((void *)p, back, len));
	ASSERT_NE(0, memcmp(buf, back, len));
	ASSERT_EQ(0, munmap((void *)p, len));
	free(buf);
	free(back);
}

TEST_F(spec, writeback_window)
{
	cache_mode_round_trip(_metadata, self->fd, self->fast, self->page);
}

TEST_F(spec, write_combining_window)
{
	cache_mode_round_trip(_metadata, self->fd, self->wcw, self->page);
}

TEST_F(spec, noclaim_window_works)
{
	uint8_t b[16];
	unsigned int i;

	ASSERT_EQ(16, pread(self->fd, b, 16, self->nc));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(ivshmem_written(IVC_OFF + i), b[i]);
}

TEST_HARNESS_MAIN
