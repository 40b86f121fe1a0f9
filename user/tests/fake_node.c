// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LD_PRELOAD helper of cli_test.sh: a regular file named physwin-NAME
 * answers physwin's ioctls as the per-window node of window NAME would,
 * with the window given by the environment:
 *
 *	PHYSWIN_FAKE_NAME=BASE+SIZE	e.g. PHYSWIN_FAKE_fpga=0x1000+0x1000
 *
 * INFO gives one window, WINDOW describes it as index 0, BATCH runs reads
 * and writes with pread()/pwrite() and refuses (EPERM) an access outside
 * the window, as the kernel does.  Every other descriptor and command goes
 * to the kernel.  The file's offsets are the physical addresses.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/physwin.h>

/* The window of a fake node open as @fd; 0 if @fd is none. */
static int fake_window(int fd, char *name, __u64 *base, __u64 *size)
{
	char link[64], path[PATH_MAX], var[64 + PHYSWIN_NAME_MAX];
	const char *val, *file;
	struct stat st;
	char *end;
	ssize_t n;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return 0;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	file = strrchr(path, '/');
	file = file ? file + 1 : path;
	if (strncmp(file, "physwin-", 8) || strlen(file + 8) >= PHYSWIN_NAME_MAX)
		return 0;
	snprintf(var, sizeof(var), "PHYSWIN_FAKE_%s", file + 8);
	val = getenv(var);
	if (!val)
		return 0;
	*base = strtoull(val, &end, 0);
	if (*end != '+')
		return 0;
	*size = strtoull(end + 1, NULL, 0);
	snprintf(name, PHYSWIN_NAME_MAX, "%s", file + 8);
	return 1;
}

static int fake_batch(int fd, struct physwin_batch_req *req, __u64 base,
		      __u64 size)
{
	struct physwin_op *ops = (struct physwin_op *)(unsigned long)req->ops;
	__u32 i;

	for (i = 0; i < req->nr_ops; i++) {
		struct physwin_op *o = &ops[i];
		__u64 v = o->value;
		ssize_t n;

		req->nr_done = i;
		if (o->addr < base || o->addr - base > size - o->width) {
			req->error = -EPERM;
			errno = EPERM;
			return -1;
		}
		if (o->op == PHYSWIN_OP_WRITE) {
			n = pwrite(fd, &v, o->width, (off_t)o->addr);
		} else if (o->op == PHYSWIN_OP_READ) {
			v = 0;
			n = pread(fd, &v, o->width, (off_t)o->addr);
			o->result = v;
		} else {
			errno = EINVAL;
			return -1;
		}
		if (n != (ssize_t)o->width) {
			errno = EIO;
			return -1;
		}
	}
	req->nr_done = req->nr_ops;
	req->error = 0;
	return 0;
}

int ioctl(int fd, unsigned long cmd, ...)
{
	char name[PHYSWIN_NAME_MAX];
	__u64 base, size;
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if ((cmd == PHYSWIN_IOC_INFO || cmd == PHYSWIN_IOC_WINDOW ||
	     cmd == PHYSWIN_IOC_BATCH) && fake_window(fd, name, &base, &size)) {
		if (cmd == PHYSWIN_IOC_INFO) {
			struct physwin_info *info = arg;

			info->abi_version = PHYSWIN_ABI_VERSION;
			info->nr_windows = 1;
			info->max_windows = 16;
			return 0;
		}
		if (cmd == PHYSWIN_IOC_WINDOW) {
			struct physwin_window_info *wi = arg;

			if (wi->index) {
				errno = ENOENT;
				return -1;
			}
			wi->base = base;
			wi->length = size;
			wi->flags = 0;
			wi->cache = PHYSWIN_CACHE_UC;
			wi->width = 8;
			memcpy(wi->name, name, sizeof(wi->name));
			return 0;
		}
		return fake_batch(fd, arg, base, size);
	}
	return (int)syscall(SYS_ioctl, fd, cmd, arg);
}
