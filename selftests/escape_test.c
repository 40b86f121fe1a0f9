// SPDX-License-Identifier: GPL-2.0
/*
 * escape_test: one test per way out of a window that a program might try.
 *
 * guest/escape.sh loads physwin with two ivshmem windows (ivshmem_plan.h):
 *
 *   esc   IVW,  read-write (the guest writes ivshmem_written() only, so
 *         the host's byte check still knows what it must hold)
 *   esro  IVRO, read-only (must keep ivshmem_prefill(): the host checks)
 *
 * Every attempt must fail with the exact errno (or signal) written here, or
 * succeed only inside the window; the host's byte check after the run
 * proves that nothing else in the BAR changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
	uint64_t bar, rw, ro;
};

FIXTURE_SETUP(esc)
{
	self->fd = open("/dev/physwin", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/physwin: %s", strerror(errno));
	self->bar = env_addr("PW_IVSHMEM");
	self->rw = self->bar + IVW_OFF;
	self->ro = self->bar + IVRO_OFF;
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

/* The top page of the 64-bit space is outside every window. */
TEST_F(esc, mmap_top_page)
{
	off_t top = (off_t)(~0ULL & ~(PAGE - 1));

	ASSERT_ERRNO(EPERM, mmap(NULL, PAGE, PROT_READ, MAP_SHARED, self->fd, top));
}

/* Offset + length past 2^64: the page numbers would wrap. */
TEST_F(esc, mmap_pgoff_overflow)
{
	off_t top = (off_t)(~0ULL & ~(PAGE - 1));

	ASSERT_ERRNO(EOVERFLOW, mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED,
				     self->fd, top));
	ASSERT_ERRNO(EOVERFLOW, mmap(NULL, 16 * PAGE, PROT_READ, MAP_SHARED,
				     self->fd, top - 8 * PAGE));
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
		p[0x20] = rw_byte(IVW_OFF + 0x20);
		/* one byte past the mapping: not mapped, so SIGSEGV */
		p[PAGE] = 0;
		_exit(4);
	}
	ASSERT_TRUE(killed_by(pid, SIGSEGV));
	ASSERT_EQ(p[0x20], rw_byte(IVW_OFF + 0x20));
	ASSERT_EQ(0, munmap((void *)p, PAGE));
}

/* /proc/self/mem reads a read-only mapping but cannot write it. */
TEST_F(esc, proc_self_mem_read_only)
{
	uint8_t *p = map_then_hole(self->fd, self->ro, PROT_READ);
	int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	uint8_t b = 0;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_LE(0, mem);
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
	uint8_t b = rw_byte(IVW_OFF);
	struct iovec local = { &b, 1 }, remote;

	ASSERT_NE(MAP_FAILED, p);
	remote.iov_base = p;
	remote.iov_len = 1;
	ASSERT_ERRNO(EFAULT, process_vm_writev(getpid(), &local, 1, &remote, 1, 0));
	ASSERT_ERRNO(EFAULT, process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
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
	uint8_t b = rw_byte(IVW_OFF + 0x40), got = 0;

	ASSERT_LE(0, fd);
	ASSERT_EQ(1, pwrite(fd, &b, 1, (off_t)self->rw + 0x40));
	ASSERT_EQ(1, pread(fd, &got, 1, (off_t)self->rw + 0x40));
	ASSERT_EQ(b, got);
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
	ASSERT_EQ(-4096, lseek(self->fd, -4096, SEEK_SET));
	ASSERT_ERRNO(EOVERFLOW, read(self->fd, big, sizeof(big)));
	ASSERT_ERRNO(EPERM, read(self->fd, &b, 1));
	ASSERT_ERRNO(EPERM, write(self->fd, &b, 1));
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

TEST_HARNESS_MAIN
