// SPDX-License-Identifier: GPL-2.0
/*
 * escape_test: one test per way out of a window that a program might try.
 *
 * guest/escape.sh loads physwin with two ivshmem windows (ivshmem_plan.h)
 * and one on the carve-out:
 *
 *   esc   IVW,  read-write (what the guest leaves there is
 *         ivshmem_written(), so the host's byte check still knows what it
 *         must hold; a test that writes something else restores it)
 *   esro  IVRO, read-only (must keep ivshmem_prefill(): the host checks)
 *   esx   8 KiB at 3 MiB into the carve-out, width=4:exact
 *
 * Every attempt must fail with the exact errno (or signal) written here, or
 * succeed only inside the window; the host's byte check after the run
 * proves that nothing else in the BAR changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/physwin.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ivshmem_plan.h"
#include "kselftest_harness.h"
#include "test_env.h"

#define PAGE	4096UL

FIXTURE(esc) {
	int fd;
	uint64_t bar, rw, ro, x;
};

FIXTURE_SETUP(esc)
{
	self->fd = open("/dev/physwin", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/physwin: %s", strerror(errno));
	self->bar = env_addr("PW_IVSHMEM");
	self->rw = self->bar + IVW_OFF;
	self->ro = self->bar + IVRO_OFF;
	self->x = env_addr("PW_RESV") + 0x300000;
}

FIXTURE_TEARDOWN(esc)
{
	close(self->fd);
}

/* The byte the host expects at BAR offset @off of the esc window. */
static uint8_t rw_byte(uint64_t off)
{
	return ivshmem_written(off);
}

static void *map(int fd, uint64_t addr, size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)addr);
}

/*
 * A one-page mapping of @addr with nothing mapped after it, so that the
 * byte past its end is a hole, whatever the address space looks like.
 */
static uint8_t *map_then_hole(int fd, uint64_t addr, int prot)
{
	uint8_t *p = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	if (p == MAP_FAILED)
		return p;
	if (mmap(p, PAGE, prot, MAP_SHARED | MAP_FIXED, fd, (off_t)addr) != p ||
	    munmap(p + PAGE, PAGE)) {
		munmap(p, 2 * PAGE);
		return MAP_FAILED;
	}
	return p;
}

/* The window's byte at @addr, read with pread(). */
static int byte_at(int fd, uint64_t addr)
{
	uint8_t b;

	return pread(fd, &b, 1, (off_t)addr) == 1 ? b : -1;
}

/* Child status: killed by @sig. */
static int killed_by(pid_t pid, int sig)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return 0;
	return WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

static int exited_ok(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* The top page this program can map is outside every window. */
TEST_F(esc, mmap_top_page)
{
	off_t top = (off_t)mmap_top_page();

	ASSERT_ERRNO(EPERM, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, self->fd, top));
}

/* Offset + length past the top (2^64): the page numbers would wrap. */
TEST_F(esc, mmap_pgoff_overflow)
{
	off_t top = (off_t)mmap_top_page();

	ASSERT_ERRNO(mmap_past_top_errno(),
		     mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, self->fd, top));
	ASSERT_ERRNO(mmap_past_top_errno(),
		     mmap(NULL, 16 * PAGE, PROT_READ, MAP_SHARED, self->fd,
			  top - 8 * PAGE));
}

/* A length that wraps the address space, or none at all. */
TEST_F(esc, mmap_length_wraps)
{
	ASSERT_ERRNO(ENOMEM, mmap(NULL, ~(size_t)0 - PAGE + 2, PROT_READ,
				  MAP_SHARED, self->fd, self->rw));
	ASSERT_ERRNO(ENOMEM, mmap(NULL, ~(size_t)0 & ~(PAGE - 1), PROT_READ,
				  MAP_SHARED, self->fd, self->rw));
	ASSERT_ERRNO(EINVAL, mmap(NULL, 0, PROT_READ, MAP_SHARED, self->fd,
				  self->rw));
}

/* A mapping that starts inside the window and ends past it. */
TEST_F(esc, mmap_past_window)
{
	ASSERT_ERRNO(EPERM, map(self->fd, self->rw, 2 * PAGE, PROT_READ));
	ASSERT_ERRNO(EPERM, map(self->fd, self->rw - PAGE, 2 * PAGE, PROT_READ));
}

/* mremap cannot grow a window's mapping, moved or in place, nor re-grow it. */
TEST_F(esc, mremap_growth)
{
	uint8_t *p = map(self->fd, self->rw, PAGE, PROT_READ);
	void *q;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_ERRNO(EFAULT, (long)mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
	ASSERT_ERRNO(EFAULT, (long)mremap(p, PAGE, 2 * PAGE, 0));
	q = mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, q);
	ASSERT_ERRNO(EFAULT, (long)mremap(p, PAGE, 3 * PAGE,
					  MREMAP_MAYMOVE | MREMAP_FIXED, q));
	ASSERT_EQ(p[0], byte_at(self->fd, self->rw));
	ASSERT_EQ(0, munmap(q, 4 * PAGE));
	ASSERT_EQ(0, munmap(p, PAGE));
}

TEST_F(esc, map_private)
{
	ASSERT_ERRNO(EINVAL, mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, self->fd,
				  self->rw));
}

/* A private writable copy would detach the mapping from the device. */
TEST_F(esc, map_private_write)
{
	ASSERT_ERRNO(EINVAL, mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE, self->fd, self->ro));
	ASSERT_ERRNO(EINVAL, mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE, self->fd, self->rw));
}

TEST_F(esc, mprotect_upgrade_read_only)
{
	uint8_t *p = map(self->fd, self->ro, PAGE, PROT_READ);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_ERRNO(EACCES, mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	ASSERT_ERRNO(EACCES, mprotect(p, PAGE, PROT_WRITE));
	ASSERT_ERRNO(EACCES, map(self->fd, self->ro, PAGE, PROT_READ | PROT_WRITE));
	ASSERT_EQ(p[0], ivshmem_prefill(IVRO_OFF));
	ASSERT_EQ(0, munmap(p, PAGE));
}

/*
 * The child of fork() inherits the read-only mapping: it can neither make
 * it writable nor store through it (SIGSEGV), and the byte stays.
 */
TEST_F(esc, fork_write_read_only_mapping)
{
	volatile uint8_t *p = map(self->fd, self->ro, PAGE, PROT_READ);
	pid_t pid;

	ASSERT_NE(MAP_FAILED, p);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE) != -1 ||
		    errno != EACCES)
			_exit(3);
		p[0x10] = ~p[0x10];
		_exit(4);
	}
	ASSERT_TRUE(killed_by(pid, SIGSEGV));
	ASSERT_EQ(p[0x10], ivshmem_prefill(IVRO_OFF + 0x10));
	ASSERT_EQ(0, munmap((void *)p, PAGE));
}

/* A child's copy of a writable mapping reaches the same window, no more. */
TEST_F(esc, fork_child_mapping_stays_in_window)
{
	volatile uint8_t *p = map_then_hole(self->fd, self->rw,
					    PROT_READ | PROT_WRITE);
	pid_t pid;

	ASSERT_NE(MAP_FAILED, p);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* a value that is not there yet, so the store shows */
		p[0x20] = (uint8_t)~rw_byte(IVW_OFF + 0x20);
		/* one byte past the mapping: not mapped, so SIGSEGV */
		p[PAGE] = 0;
		_exit(4);
	}
	ASSERT_TRUE(killed_by(pid, SIGSEGV));
	ASSERT_EQ((uint8_t)~rw_byte(IVW_OFF + 0x20), p[0x20]);
	ASSERT_EQ((uint8_t)~rw_byte(IVW_OFF + 0x20), byte_at(self->fd, self->rw + 0x20));
	p[0x20] = rw_byte(IVW_OFF + 0x20);	/* what the host expects */
	ASSERT_EQ(0, munmap((void *)p, PAGE));
}

/*
 * Where the kernel gives ptrace and /proc/PID/mem no way into a mapping
 * (sysfs ptrace 0: 32-bit ARM), they reach nothing at all.
 */
static bool no_ptrace_way(struct __test_metadata *_metadata, int mem,
			  const void *p)
{
	uint32_t v = 0;

	if (physwin_fact("ptrace"))
		return false;
	ASSERT_ERRNO(EIO, pread(mem, &v, 4, (off_t)(uintptr_t)p));
	ASSERT_ERRNO(EIO, pwrite(mem, &v, 4, (off_t)(uintptr_t)p));
	return true;
}

/* /proc/self/mem reads a read-only mapping but cannot write it. */
TEST_F(esc, proc_self_mem_read_only)
{
	uint8_t *p = map_then_hole(self->fd, self->ro, PROT_READ);
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	uint8_t b = 0;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_LE(0, mem);
	if (no_ptrace_way(_metadata, mem, p))
		return;
	ASSERT_EQ(1, pread(mem, &b, 1, (off_t)(uintptr_t)p + 3));
	ASSERT_EQ(ivshmem_prefill(IVRO_OFF + 3), b);
	b = ~b;
	ASSERT_ERRNO(EIO, pwrite(mem, &b, 1, (off_t)(uintptr_t)p + 3));
	ASSERT_EQ(p[3], ivshmem_prefill(IVRO_OFF + 3));
	/* past the mapping's end: nothing there */
	ASSERT_ERRNO(EIO, pread(mem, &b, 1, (off_t)(uintptr_t)p + PAGE));
	close(mem);
	ASSERT_EQ(0, munmap(p, PAGE));
}

/* process_vm_readv/writev pin pages: a PFN mapping has none to pin. */
TEST_F(esc, process_vm_rw)
{
	uint8_t *p = map(self->fd, self->rw, PAGE, PROT_READ | PROT_WRITE);
	uint8_t b = ~rw_byte(IVW_OFF);		/* would show if it landed */
	struct iovec local = { &b, 1 }, remote;

	ASSERT_NE(MAP_FAILED, p);
	remote.iov_base = p;
	remote.iov_len = 1;
	ASSERT_ERRNO(EFAULT, process_vm_writev(getpid(), &local, 1, &remote, 1, 0));
	ASSERT_EQ(rw_byte(IVW_OFF), byte_at(self->fd, self->rw));
	ASSERT_ERRNO(EFAULT, process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
	ASSERT_EQ((uint8_t)~rw_byte(IVW_OFF), b);
	ASSERT_EQ(0, munmap(p, PAGE));
}

/* splice, sendfile and copy_file_range: physwin has no splice paths. */
TEST_F(esc, splice_from_device)
{
	int pfd[2];
	loff_t off = (loff_t)self->rw;

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_ERRNO(EINVAL, splice(self->fd, &off, pfd[1], NULL, 16, 0));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F(esc, splice_to_device)
{
	uint8_t b[16];
	int pfd[2];
	loff_t off = (loff_t)self->ro;

	ASSERT_EQ(0, pipe(pfd));
	memset(b, 0x5a, sizeof(b));
	ASSERT_EQ(16, write(pfd[1], b, sizeof(b)));
	ASSERT_ERRNO(EINVAL, splice(pfd[0], NULL, self->fd, &off, 16, 0));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F(esc, sendfile_from_and_to_device)
{
	char path[] = "/tmp/escape.XXXXXX";
	int tmp = mkstemp(path);
	off_t off = (off_t)self->rw;

	ASSERT_LE(0, tmp);
	ASSERT_EQ(16, write(tmp, "0123456789abcdef", 16));
	ASSERT_ERRNO(EINVAL, sendfile(tmp, self->fd, &off, 16));
	off = 0;
	ASSERT_EQ((off_t)self->ro, lseek(self->fd, (off_t)self->ro, SEEK_SET));
	ASSERT_ERRNO(EINVAL, sendfile(self->fd, tmp, &off, 16));
	close(tmp);
	unlink(path);
}

TEST_F(esc, copy_file_range_from_and_to_device)
{
	char path[] = "/tmp/escape.XXXXXX";
	int tmp = mkstemp(path);
	loff_t in = (loff_t)self->rw, out = 0;

	ASSERT_LE(0, tmp);
	ASSERT_ERRNO(EINVAL, copy_file_range(self->fd, &in, tmp, &out, 16, 0));
	in = 0;
	out = (loff_t)self->ro;
	ASSERT_ERRNO(EINVAL, copy_file_range(tmp, &in, self->fd, &out, 16, 0));
	close(tmp);
	unlink(path);
}

/* O_DIRECT is refused at open and by fcntl; the failed open leaks nothing. */
TEST_F(esc, o_direct)
{
	ASSERT_ERRNO(EINVAL, open("/dev/physwin", O_RDWR | O_DIRECT));
	ASSERT_ERRNO(EINVAL, open("/dev/physwin-esc", O_RDWR | O_DIRECT));
	ASSERT_ERRNO(EINVAL, fcntl(self->fd, F_SETFL, O_DIRECT));
}

/* O_APPEND, O_TRUNC, O_NONBLOCK, O_SYNC change nothing about where bytes go. */
TEST_F(esc, other_open_flags)
{
	int fd = open("/dev/physwin", O_RDWR | O_APPEND | O_TRUNC | O_NONBLOCK |
		      O_SYNC | O_CLOEXEC);
	uint8_t keep = rw_byte(IVW_OFF + 0x40), b = ~keep, got = 0;

	ASSERT_LE(0, fd);
	ASSERT_EQ(1, pwrite(fd, &b, 1, (off_t)self->rw + 0x40));
	ASSERT_EQ(1, pread(fd, &got, 1, (off_t)self->rw + 0x40));
	ASSERT_EQ(b, got);
	ASSERT_EQ(b, byte_at(self->fd, self->rw + 0x40));
	ASSERT_EQ(1, pwrite(fd, &keep, 1, (off_t)self->rw + 0x40));
	ASSERT_ERRNO(EACCES, pwrite(fd, &b, 1, (off_t)self->ro));
	close(fd);
}

/* lseek to the edges of the 64-bit space never reaches a window. */
TEST_F(esc, lseek_negative_and_huge)
{
	static uint8_t big[4096];
	uint8_t b = 0;

	ASSERT_ERRNO(EOVERFLOW, lseek(self->fd, -1, SEEK_SET));
	ASSERT_ERRNO(EOVERFLOW, lseek(self->fd, -4095, SEEK_SET));
	ASSERT_EQ((off_t)self->rw, lseek(self->fd, (off_t)self->rw, SEEK_SET));
	ASSERT_ERRNO(EOVERFLOW, lseek(self->fd, -(off_t)self->rw - 1, SEEK_CUR));
	/* the position did not move */
	ASSERT_EQ((off_t)self->rw, lseek(self->fd, 0, SEEK_CUR));
	if (physwin_narrow_offsets()) {
		/* a 32-bit lseek cannot return 2^64 - 4096 */
		ASSERT_ERRNO(EOVERFLOW, lseek(self->fd, -4096, SEEK_SET));
	} else {
		ASSERT_EQ(-4096, lseek(self->fd, -4096, SEEK_SET));
		ASSERT_ERRNO(EOVERFLOW, read(self->fd, big, sizeof(big)));
		ASSERT_ERRNO(EPERM, read(self->fd, &b, 1));
		ASSERT_ERRNO(EPERM, write(self->fd, &b, 1));
	}
	ASSERT_ERRNO(EINVAL, lseek(self->fd, 0, SEEK_END));
	ASSERT_ERRNO(EINVAL, lseek(self->fd, 0, SEEK_HOLE));
	ASSERT_ERRNO(EINVAL, pread(self->fd, &b, 1, -4096));
}

/* A transfer to or from an unmapped user buffer: EFAULT, no kernel fault. */
TEST_F(esc, unmapped_user_buffer)
{
	uint8_t *bad = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
	int before = byte_at(self->fd, self->rw);

	ASSERT_LE(0, before);
	ASSERT_NE(MAP_FAILED, bad);
	ASSERT_ERRNO(EFAULT, pread(self->fd, bad, 16, (off_t)self->rw));
	ASSERT_ERRNO(EFAULT, pwrite(self->fd, bad, 16, (off_t)self->rw));
	/* through volatile pointers, so the compiler does not object */
	void *volatile low = (void *)8, *volatile top = (void *)~0UL;

	ASSERT_ERRNO(EFAULT, pread(self->fd, low, 16, (off_t)self->rw));
	ASSERT_ERRNO(EFAULT, pread(self->fd, top, 16, (off_t)self->ro));
	ASSERT_EQ(0, munmap(bad, PAGE));
	ASSERT_EQ(before, byte_at(self->fd, self->rw));
}

/* A plain user cannot open the devices (mode 0600, owned by root). */
TEST_F(esc, unprivileged_open)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		if (setgid(1000) || setuid(1000))
			_exit(2);
		if (open("/dev/physwin", O_RDWR) != -1 || errno != EACCES)
			_exit(3);
		if (open("/dev/physwin", O_RDONLY) != -1 || errno != EACCES)
			_exit(4);
		if (open("/dev/physwin-esc", O_RDWR) != -1 || errno != EACCES)
			_exit(5);
		if (open("/dev/physwin-esro", O_RDONLY) != -1 || errno != EACCES)
			_exit(6);
		_exit(0);
	}
	ASSERT_TRUE(exited_ok(pid));
}

/* A file opened before dropping privileges stays usable (as with /dev/mem). */
TEST_F(esc, descriptor_passed_to_unprivileged)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		uint8_t b = 0;

		if (setgid(1000) || setuid(1000))
			_exit(2);
		if (pread(self->fd, &b, 1, (off_t)self->ro + 5) != 1 ||
		    b != ivshmem_prefill(IVRO_OFF + 5))
			_exit(3);
		if (pwrite(self->fd, &b, 1, (off_t)self->ro + 5) != -1 ||
		    errno != EACCES)
			_exit(4);
		_exit(0);
	}
	ASSERT_TRUE(exited_ok(pid));
}

/* ---- the open mode: the batch ioctl does what read() and write() may ---- */

static struct physwin_op op1(uint32_t op, uint64_t addr, uint64_t value,
			     uint64_t mask)
{
	struct physwin_op o = {
		.addr = addr, .value = value, .mask = mask, .op = op,
		.width = 1, .timeout_us = 0,
	};

	return o;
}

/*
 * A read-only descriptor writes nothing through a batch, alone or behind
 * a read, and the read before it does not run either (EBADF, nr_done 0).
 */
TEST_F(esc, batch_read_only_descriptor_cannot_write)
{
	uint64_t a = self->rw + 0x60;
	uint8_t keep = rw_byte(IVW_OFF + 0x60), other = ~keep;
	struct physwin_op ops[2];
	struct physwin_batch_req b;
	const char *paths[] = { "/dev/physwin", "/dev/physwin-esc" };
	unsigned int i;

	ASSERT_EQ(1, pwrite(self->fd, &keep, 1, a));
	for (i = 0; i < 2; i++) {
		int ro = open(paths[i], O_RDONLY | O_CLOEXEC);

		ASSERT_LE(0, ro);
		ops[0] = op1(PHYSWIN_OP_WRITE, a, other, 0);
		ASSERT_ERRNO(EBADF, run_batch(ro, ops, 1, &b));
		ASSERT_EQ(0, b.nr_done);
		ASSERT_EQ(-EBADF, b.error);
		ops[0] = op1(PHYSWIN_OP_RMW, a, other, 0xff);
		ASSERT_ERRNO(EBADF, run_batch(ro, ops, 1, &b));
		ops[0] = op1(PHYSWIN_OP_READ, a, 0, 0);
		ops[0].result = 0x55;
		ops[1] = op1(PHYSWIN_OP_WRITE, a, other, 0);
		ASSERT_ERRNO(EBADF, run_batch(ro, ops, 2, &b));
		ASSERT_EQ(0, b.nr_done);
		ASSERT_EQ(0x55, ops[0].result);		/* the read never ran */
		ASSERT_EQ(keep, byte_at(self->fd, a));
		/* what it may do, it does */
		ops[0] = op1(PHYSWIN_OP_READ, a, 0, 0);
		ASSERT_EQ(0, run_batch(ro, ops, 1, &b));
		ASSERT_EQ(keep, ops[0].result);
		close(ro);
	}
}

/* A write-only descriptor reads nothing through a batch: read, poll, rmw. */
TEST_F(esc, batch_write_only_descriptor_cannot_read)
{
	uint64_t a = self->rw + 0x61;
	uint8_t keep = rw_byte(IVW_OFF + 0x61);
	struct physwin_op op;
	struct physwin_batch_req b;
	const char *paths[] = { "/dev/physwin", "/dev/physwin-esc" };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		int wo = open(paths[i], O_WRONLY | O_CLOEXEC);

		ASSERT_LE(0, wo);
		op = op1(PHYSWIN_OP_READ, a, 0, 0);
		ASSERT_ERRNO(EBADF, run_batch(wo, &op, 1, &b));
		ASSERT_EQ(0, op.result);
		op = op1(PHYSWIN_OP_POLL, a, keep, 0xff);
		ASSERT_ERRNO(EBADF, run_batch(wo, &op, 1, &b));
		ASSERT_EQ(0, op.result);
		op = op1(PHYSWIN_OP_RMW, a, keep, 0xff);
		ASSERT_ERRNO(EBADF, run_batch(wo, &op, 1, &b));
		ASSERT_EQ(0, op.result);
		/* what it may do, it does: a new value lands, then the old */
		op = op1(PHYSWIN_OP_WRITE, a, (uint8_t)~keep, 0);
		ASSERT_EQ(0, run_batch(wo, &op, 1, &b));
		ASSERT_EQ(1, b.nr_done);
		ASSERT_EQ((uint8_t)~keep, byte_at(self->fd, a));
		op = op1(PHYSWIN_OP_WRITE, a, keep, 0);
		ASSERT_EQ(0, run_batch(wo, &op, 1, &b));
		close(wo);
	}
	ASSERT_EQ(keep, byte_at(self->fd, a));
}

/*
 * Opened for neither (O_ACCMODE 3, "ioctl only"): the description ioctls
 * work, no operation does.
 */
TEST_F(esc, batch_ioctl_only_descriptor)
{
	struct physwin_info info = { .size = sizeof(info) };
	struct physwin_op op = op1(PHYSWIN_OP_READ, self->rw, 0, 0);
	struct physwin_batch_req b;
	int fd = open("/dev/physwin", O_ACCMODE | O_CLOEXEC);
	uint8_t v;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, PHYSWIN_IOC_INFO, &info));
	ASSERT_EQ(3, info.nr_windows);
	ASSERT_ERRNO(EBADF, run_batch(fd, &op, 1, &b));
	ASSERT_ERRNO(EBADF, pread(fd, &v, 1, self->rw));
	ASSERT_ERRNO(EACCES, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd,
				  (off_t)self->rw));
	close(fd);
}

/* ---- sizes the caller chooses are capped at a page ---- */

TEST_F(esc, oversized_structures)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = 64UL << 20;
	uint8_t *zero = mmap(NULL, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct physwin_info *info = (void *)zero;
	struct physwin_batch_req b;
	struct physwin_op *op;

	ASSERT_NE(MAP_FAILED, zero);
	/* a whole page is still fine; a byte more is E2BIG */
	info->size = page;
	ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_INFO, info));
	info->size = page + 1;
	ASSERT_ERRNO(E2BIG, ioctl(self->fd, PHYSWIN_IOC_INFO, info));
	info->size = len;
	ASSERT_ERRNO(E2BIG, ioctl(self->fd, PHYSWIN_IOC_INFO, info));
	info->size = ~0U;
	ASSERT_ERRNO(E2BIG, ioctl(self->fd, PHYSWIN_IOC_WINDOW, info));

	/* op_size: a page per operation at most */
	op = (void *)(zero + page);
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.nr_ops = PHYSWIN_BATCH_MAX;
	b.ops = (uintptr_t)op;
	b.op_size = page + 8;
	ASSERT_ERRNO(E2BIG, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	b.op_size = ~0U;
	ASSERT_ERRNO(E2BIG, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	b.op_size = page;
	b.nr_ops = 1;
	*op = op1(PHYSWIN_OP_READ, self->rw, 0, 0);
	ASSERT_EQ(0, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	ASSERT_EQ(rw_byte(IVW_OFF), op->result);
	ASSERT_EQ(0, munmap(zero, len));
}

/* ---- a write whose source faults part-way is not written narrower ---- */

/*
 * A buffer whose first @good bytes end a mapped page and whose rest lies
 * in an unmapped one.
 */
static uint8_t *straddling(size_t good)
{
	uint8_t *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p + PAGE, PAGE))
		return NULL;
	return p + PAGE - good;
}

TEST_F(esc, write_faulting_part_way_writes_nothing)
{
	uint8_t *src = straddling(2);
	uint32_t before, after;

	ASSERT_NE(NULL, src);
	/* width 8 window: a 4-byte write would otherwise become 2 bytes */
	ASSERT_EQ(4, pread(self->fd, &before, 4, (off_t)self->rw + 0x100));
	src[0] = ~((uint8_t *)&before)[0];
	src[1] = ~((uint8_t *)&before)[1];
	ASSERT_ERRNO(EFAULT, pwrite(self->fd, src, 4, (off_t)self->rw + 0x100));
	ASSERT_EQ(4, pread(self->fd, &after, 4, (off_t)self->rw + 0x100));
	ASSERT_EQ(before, after);

	/* the exact window: no 2-byte access, ever */
	before = 0xa1b2c3d4;
	ASSERT_EQ(4, pwrite(self->fd, &before, 4, (off_t)self->x));
	src[0] = 0x77;
	src[1] = 0x77;
	ASSERT_ERRNO(EFAULT, pwrite(self->fd, src, 4, (off_t)self->x));
	ASSERT_EQ(4, pread(self->fd, &after, 4, (off_t)self->x));
	ASSERT_EQ(0xa1b2c3d4, after);
	ASSERT_EQ(0, munmap(src + 2 - PAGE, PAGE));
}

/* The other way: what reached the buffer before the fault counts. */
TEST_F(esc, read_faulting_part_way_returns_what_arrived)
{
	uint8_t *dst = straddling(2);
	uint32_t v = 0x0badcafe;

	ASSERT_NE(NULL, dst);
	ASSERT_EQ(4, pwrite(self->fd, &v, 4, (off_t)self->x + 4));
	/* exactly the two bytes before the fault, on every architecture */
	ASSERT_EQ(2, pread(self->fd, dst, 4, (off_t)self->x + 4));
	ASSERT_EQ(0xfe, dst[0]);
	ASSERT_EQ(0xca, dst[1]);
	ASSERT_EQ(0, munmap(dst + 2 - PAGE, PAGE));
}

/*
 * The same with a buffer aligned like the address: each access arrives
 * whole or not at all, and the count is exact.
 */
TEST_F(esc, read_faulting_part_way_direct)
{
	uint8_t *dst = straddling(4), *wide = straddling(8);
	uint32_t v[2] = { 0x0badcafe, 0x12345678 };
	unsigned int i;

	ASSERT_NE(NULL, dst);
	ASSERT_NE(NULL, wide);
	ASSERT_EQ(8, pwrite(self->fd, v, 8, (off_t)self->x + 8));
	ASSERT_EQ(4, pread(self->fd, dst, 8, (off_t)self->x + 8));
	ASSERT_EQ(0, memcmp(dst, v, 4));
	/* the window of the widest accesses: one of them, then the hole */
	ASSERT_EQ(8, pread(self->fd, wide, 16, (off_t)self->rw + 0x100));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(rw_byte(IVW_OFF + 0x100 + i), wide[i]);
	ASSERT_EQ(0, munmap(dst + 4 - PAGE, PAGE));
	ASSERT_EQ(0, munmap(wide + 8 - PAGE, PAGE));
}

/* ---- ptrace and /proc/pid/mem follow the window's rules ---- */

TEST_F(esc, proc_self_mem_exact_window)
{
	uint32_t *p = map(self->fd, self->x, PAGE, PROT_READ | PROT_WRITE);
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	uint32_t v = 0x12345678, got = 0;
	uint8_t b;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_LE(0, mem);
	if (no_ptrace_way(_metadata, mem, p + 2))
		return;
	ASSERT_EQ(4, pwrite(mem, &v, 4, (off_t)(uintptr_t)p + 8));
	ASSERT_EQ(4, pread(mem, &got, 4, (off_t)(uintptr_t)p + 8));
	ASSERT_EQ(v, got);
	ASSERT_EQ(v, p[2]);
	/* narrower or unaligned than the window allows: refused */
	ASSERT_ERRNO(EIO, pread(mem, &b, 1, (off_t)(uintptr_t)p + 8));
	ASSERT_ERRNO(EIO, pwrite(mem, &b, 1, (off_t)(uintptr_t)p + 8));
	ASSERT_ERRNO(EIO, pread(mem, &got, 4, (off_t)(uintptr_t)p + 10));
	ASSERT_EQ(v, p[2]);
	close(mem);
	ASSERT_EQ(0, munmap(p, PAGE));
}

/*
 * /proc/self/mem hands physwin whatever is left of a request: an access
 * across a mapping's end reaches the mapping's part only, and the next
 * mapping's protection holds for its part.
 */
TEST_F(esc, proc_self_mem_stops_at_the_mapping_end)
{
	volatile uint32_t *p = map(self->fd, self->x, 2 * PAGE,
				   PROT_READ | PROT_WRITE);
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	uint32_t v[2] = { 0x11111111, 0x22222222 }, got[4];
	uint8_t *q;

	ASSERT_NE(MAP_FAILED, (void *)p);
	ASSERT_LE(0, mem);
	if (no_ptrace_way(_metadata, mem, (void *)p))
		return;
	p[PAGE / 4 - 1] = 0xaaaaaaaa;
	p[PAGE / 4] = 0xbbbbbbbb;
	ASSERT_EQ(0, mprotect((void *)(p + PAGE / 4), PAGE, PROT_READ));
	/* the writable page takes its 4 bytes; the read-only one keeps its */
	ASSERT_EQ(4, pwrite(mem, v, 8, (off_t)(uintptr_t)(p + PAGE / 4 - 1)));
	ASSERT_EQ(0x11111111, p[PAGE / 4 - 1]);
	ASSERT_EQ(0xbbbbbbbb, p[PAGE / 4]);
	/* both are readable: a read across them is whole */
	ASSERT_EQ(8, pread(mem, got, 8, (off_t)(uintptr_t)(p + PAGE / 4 - 1)));
	ASSERT_EQ(0x11111111, got[0]);
	ASSERT_EQ(0xbbbbbbbb, got[1]);
	ASSERT_EQ(0, munmap((void *)p, 2 * PAGE));

	/* the window's last page with nothing after it: up to its end */
	q = map_then_hole(self->fd, self->x + PAGE, PROT_READ);
	ASSERT_NE(MAP_FAILED, q);
	ASSERT_EQ(8, pread(mem, got, 16, (off_t)(uintptr_t)(q + PAGE - 8)));
	ASSERT_EQ(0, munmap(q, PAGE));
	close(mem);
}

/* A mapping made read-only is not written through /proc/self/mem. */
TEST_F(esc, proc_self_mem_keeps_the_mapping_protection)
{
	uint8_t *p = map(self->fd, self->rw, PAGE, PROT_READ);
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	uint8_t b = ~rw_byte(IVW_OFF + 0x30);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_LE(0, mem);
	ASSERT_ERRNO(EIO, pwrite(mem, &b, 1, (off_t)(uintptr_t)p + 0x30));
	ASSERT_EQ(rw_byte(IVW_OFF + 0x30), p[0x30]);
	close(mem);
	ASSERT_EQ(0, munmap(p, PAGE));
}

/* ---- a poll sleeps interruptibly: S, never D ---- */

static char task_state(pid_t pid)
{
	char path[64], buf[512], *s;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	s = fgets(buf, sizeof(buf), f);
	fclose(f);
	s = s ? strrchr(buf, ')') : NULL;
	return s && s[1] == ' ' ? s[2] : 0;
}

static void on_usr1(int sig)
{
}

TEST_F(esc, poll_sleeps_interruptibly)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	unsigned int i, sleeping = 0, disk = 0;
	int st;
	pid_t pid;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* never true: bit 7 of the byte is set to what it is not */
		uint8_t v = byte_at(self->fd, self->rw);
		struct physwin_op op = op1(PHYSWIN_OP_POLL, self->rw,
					   ~v & 0x80, 0x80);
		struct physwin_batch_req b;

		op.timeout_us = 20000000;
		_exit(run_batch(self->fd, &op, 1, &b) == -1 && errno == EINTR ?
		      0 : 3);
	}
	for (i = 0; i < 200; i++) {
		char c = task_state(pid);

		sleeping += c == 'S';
		disk += c == 'D';
		usleep(5000);
	}
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ASSERT_EQ(0, disk) TH_LOG("%u of 200 looks in D state", disk);
	ASSERT_LT(100, sleeping);
}

TEST_HARNESS_MAIN
