// SPDX-License-Identifier: GPL-2.0
/*
 * revoke_test: a window whose PCI device goes away is dead.
 *
 * guest/revoke.sh loads physwin with two windows: "edu", the edu device's
 * BAR 0 named by its PCI address, and "ivw" on the ivshmem BAR (IVW, which
 * holds ivshmem_written() for the host's check).  The tests run in order
 * and build on each other: the first sees both windows live; the second
 * removes the edu device through sysfs while mappings of it are live and
 * checks every entry point; the third rescans the bus, so that the device
 * (and its BAR) is back, and checks that the window stays dead.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/physwin.h>

#include "ivshmem_plan.h"
#include "kselftest_harness.h"
#include "test_env.h"

#define EDU_ID_VALUE	0x010000edU

FIXTURE(rv) {
	int fd;
	uint64_t edu, ivw;
	long page;
	char dev[128];
};

FIXTURE_SETUP(rv)
{
	const char *bdf = getenv("PW_EDU_BDF");

	ASSERT_NE(NULL, bdf);
	snprintf(self->dev, sizeof(self->dev), "/sys/bus/pci/devices/%s", bdf);
	self->fd = open("/dev/physwin", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open /dev/physwin: %s", strerror(errno));
	self->edu = env_addr("PW_EDU");
	self->ivw = env_addr("PW_IVSHMEM") + IVW_OFF;
	self->page = sysconf(_SC_PAGESIZE);
}

FIXTURE_TEARDOWN(rv)
{
	close(self->fd);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* The first line of a sysfs file, without its newline. */
static const char *sysfs_line(const char *path)
{
	static char buf[64];
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

static int window_flags(int fd, unsigned int index, uint32_t *flags)
{
	struct physwin_window_info wi = { .size = sizeof(wi), .index = index };
	int ret = ioctl(fd, PHYSWIN_IOC_WINDOW, &wi);

	*flags = wi.flags;
	return ret;
}

/* A child touches @p: how it ended, as a signal number or 0. */
static int touch_in_child(volatile uint32_t *p)
{
	pid_t pid = fork();
	int st;

	if (!pid) {
		(void)*p;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

/*
 * A child that uses the edu window in a loop until it goes away: by
 * pread(), by the batch ioctl, or by loads through a mapping.  It writes a
 * byte to @ready once it has succeeded, and exits 0 when the window is
 * gone the way it should be (ENODEV; a mapping dies of SIGBUS), 1 on any
 * other outcome.
 */
enum { BY_PREAD, BY_BATCH, BY_MAPPING };

static pid_t hammer(int fd, uint64_t edu, int how, int ready)
{
	pid_t pid = fork();
	volatile uint32_t *p = NULL;
	bool told = false;

	if (pid)
		return pid;
	if (how == BY_MAPPING) {
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, edu);
		if (p == MAP_FAILED)
			_exit(1);
	}
	for (;;) {
		struct physwin_op op = {
			.addr = edu, .op = PHYSWIN_OP_READ, .width = 4,
		};
		struct physwin_batch_req b;
		uint32_t v = 0;
		int ret;

		if (how == BY_MAPPING) {
			v = p[0];		/* SIGBUS once it is gone */
			ret = 0;
		} else if (how == BY_PREAD) {
			ret = pread(fd, &v, 4, edu) == 4 ? 0 : -1;
		} else {
			ret = run_batch(fd, &op, 1, &b);
			v = op.result;
		}
		if (ret)
			_exit(errno == ENODEV && told ? 0 : 1);
		if (v != EDU_ID_VALUE)
			_exit(1);
		if (!told)
			told = write(ready, "", 1) == 1;
	}
}

/* Whether /proc/iomem has a physwin claim starting at @addr. */
static int claimed(uint64_t addr)
{
	char line[256], want[32];
	FILE *f = fopen("/proc/iomem", "re");
	int found = 0;

	snprintf(want, sizeof(want), "%llx-", (unsigned long long)addr);
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, want) && strstr(line, ": physwin"))
			found = 1;
	if (f)
		fclose(f);
	return found;
}

/* The other window keeps working: write a new value, read it, restore. */
static void ivw_works(struct __test_metadata *_metadata, int fd, uint64_t ivw)
{
	uint8_t want = ivshmem_written(IVW_OFF + 0x40), b = ~want, got = 0;
	volatile uint8_t *p;

	ASSERT_EQ(1, pwrite(fd, &b, 1, ivw + 0x40));
	ASSERT_EQ(1, pread(fd, &got, 1, ivw + 0x40));
	ASSERT_EQ(b, got);
	ASSERT_EQ(1, pwrite(fd, &want, 1, ivw + 0x40));
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, ivw);
	ASSERT_NE(MAP_FAILED, (void *)p);
	ASSERT_EQ(want, p[0x40]);
	munmap((void *)p, 4096);
}

TEST_F(rv, live_before_removal)
{
	uint32_t v = 0, flags;
	int nfd = open("/dev/physwin-edu", O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, nfd);
	ASSERT_EQ(4, pread(self->fd, &v, 4, self->edu));
	ASSERT_EQ(EDU_ID_VALUE, v);
	ASSERT_EQ(4, pread(nfd, &v, 4, self->edu));
	ASSERT_EQ(0, window_flags(self->fd, 0, &flags));
	ASSERT_EQ(0, flags & PHYSWIN_WIN_GONE);
	ASSERT_STREQ("live", sysfs_line("/sys/class/misc/physwin/windows/edu/state"));
	ASSERT_TRUE(claimed(self->edu));
	close(nfd);
}

TEST_F(rv, removal_revokes_the_window)
{
	struct physwin_op op = {
		.addr = self->edu, .op = PHYSWIN_OP_READ, .width = 4,
	};
	struct physwin_batch_req b = {
		.size = sizeof(b), .op_size = sizeof(op), .nr_ops = 1,
		.ops = (uintptr_t)&op,
	};
	struct physwin_info info = { .size = sizeof(info) };
	volatile uint32_t *p, *q, *r;
	struct rusage ru0, ru1;
	void *area;
	char path[160], c;
	uint32_t v = 0, flags;
	int nfd, ro, mem, i, st, ready[2];
	pid_t kids[3];

	nfd = open("/dev/physwin-edu", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, nfd);
	ro = open("/dev/physwin-edu", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ro);
	/* p is touched, so its page is mapped; q is not */
	p = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED,
		 self->fd, self->edu);
	ASSERT_NE(MAP_FAILED, (void *)p);
	q = mmap(NULL, self->page, PROT_READ, MAP_SHARED, ro,
		 self->edu + self->page);
	ASSERT_NE(MAP_FAILED, (void *)q);
	ASSERT_EQ(EDU_ID_VALUE, p[0]);
	ASSERT_EQ(0, touch_in_child(p));
	/*
	 * r's first fault maps its other pages too, those in the same 2 MiB
	 * block of user addresses: r is placed at the start of one.  The
	 * zap must find them.
	 */
	area = mmap(NULL, 4 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	r = mmap((void *)(((uintptr_t)area + (2 << 20) - 1) & ~(uintptr_t)((2 << 20) - 1)),
		 64 * self->page, PROT_READ, MAP_SHARED | MAP_FIXED, self->fd,
		 self->edu);
	ASSERT_NE(MAP_FAILED, (void *)r);
	ASSERT_EQ(EDU_ID_VALUE, r[0]);
	/* the stack under both first: a fault there would count too */
	memset(&ru1, 0, sizeof(ru1));
	memset(&ru0, 0, sizeof(ru0));
	getrusage(RUSAGE_SELF, &ru0);
	v = r[63 * self->page / 4];
	getrusage(RUSAGE_SELF, &ru1);
	ASSERT_EQ(ru0.ru_minflt, ru1.ru_minflt) TH_LOG("the last page faulted");

	/* three users hard at work on the window while it goes away */
	ASSERT_EQ(0, pipe(ready));
	for (i = 0; i < 3; i++)
		kids[i] = hammer(self->fd, self->edu, i, ready[1]);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(1, read(ready[0], &c, 1));

	snprintf(path, sizeof(path), "%s/remove", self->dev);
	ASSERT_EQ(0, write_str(path, "1")) TH_LOG("remove: %s", strerror(errno));
	ASSERT_NE(0, access(self->dev, F_OK));

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &st, 0));
		if (i == BY_MAPPING) {
			ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS);
		} else {
			ASSERT_TRUE(WIFEXITED(st) && !WEXITSTATUS(st))
				TH_LOG("user %d: status %#x", i, st);
		}
	}
	close(ready[0]);
	close(ready[1]);

	/* the mappings are gone: a touch is SIGBUS, mapped before or not */
	ASSERT_EQ(SIGBUS, touch_in_child(p));
	ASSERT_EQ(SIGBUS, touch_in_child(q));
	ASSERT_EQ(SIGBUS, touch_in_child(r + 63 * self->page / 4));
	mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, mem);
	ASSERT_ERRNO(EIO, pread(mem, &v, 4, (off_t)(uintptr_t)p));
	close(mem);

	/* read, write, batch, mmap, and the window's own node */
	ASSERT_ERRNO(ENODEV, pread(self->fd, &v, 4, self->edu));
	ASSERT_ERRNO(ENODEV, pwrite(self->fd, &v, 4, self->edu + 4));
	ASSERT_ERRNO(ENODEV, pread(nfd, &v, 4, self->edu));
	ASSERT_ERRNO(ENODEV, ioctl(self->fd, PHYSWIN_IOC_BATCH, &b));
	ASSERT_EQ(0, b.nr_done);
	ASSERT_EQ(-ENODEV, b.error);
	ASSERT_ERRNO(ENODEV, (long)mmap(NULL, self->page, PROT_READ, MAP_SHARED,
					self->fd, self->edu));
	ASSERT_ERRNO(ENODEV, ioctl(nfd, PHYSWIN_IOC_INFO, &info));
	ASSERT_ERRNO(ENODEV, open("/dev/physwin-edu", O_RDWR | O_CLOEXEC));

	/* described as gone, in the ioctl and in sysfs; no claim left */
	ASSERT_EQ(0, window_flags(self->fd, 0, &flags));
	ASSERT_EQ(PHYSWIN_WIN_GONE, flags & PHYSWIN_WIN_GONE);
	ASSERT_EQ(0, window_flags(self->fd, 1, &flags));
	ASSERT_EQ(0, flags & PHYSWIN_WIN_GONE);
	ASSERT_STREQ("gone", sysfs_line("/sys/class/misc/physwin/windows/edu/state"));
	ASSERT_STREQ("live", sysfs_line("/sys/class/misc/physwin/windows/ivw/state"));
	ASSERT_FALSE(claimed(self->edu));

	ivw_works(_metadata, self->fd, self->ivw);
	munmap((void *)p, self->page);
	munmap((void *)q, self->page);
	munmap(area, 4 << 20);	/* r with it */
	close(nfd);
	close(ro);
}

TEST_F(rv, rescan_keeps_the_window_dead)
{
	uint32_t v = 0;

	ASSERT_EQ(0, write_str("/sys/bus/pci/rescan", "1"));
	ASSERT_EQ(0, access(self->dev, F_OK)) TH_LOG("edu did not come back");
	/* the BAR is back, perhaps at the same address: still not ours */
	ASSERT_ERRNO(ENODEV, pread(self->fd, &v, 4, self->edu));
	ASSERT_ERRNO(ENODEV, open("/dev/physwin-edu", O_RDWR | O_CLOEXEC));
	ASSERT_STREQ("gone", sysfs_line("/sys/class/misc/physwin/windows/edu/state"));
	ASSERT_FALSE(claimed(self->edu));
	ivw_works(_metadata, self->fd, self->ivw);
}

TEST_HARNESS_MAIN
