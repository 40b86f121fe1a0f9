// SPDX-License-Identifier: GPL-2.0
/*
 * physwin ioctls: size-versioned structures as in
 * Documentation/process/botching-up-ioctls.rst.
 */

#include <linux/compiler.h>
#include <linux/mm.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "physwin.h"

/*
 * Copy an ioctl argument whose first member is its __u32 size.  Shorter
 * (older) structures are zero-extended, longer (newer) ones must have zero
 * in every byte this module does not know.  No structure is ever larger
 * than a page, so nothing larger is scanned (E2BIG, as clone3() and
 * openat2() refuse).  *@usize returns the caller's size, to copy back no
 * more than that.
 */
int physwin_get_arg(void *karg, size_t ksize, size_t minsize,
		    const void __user *uarg, u32 *usize)
{
	u32 size;
	int ret;

	if (get_user(size, (const u32 __user *)uarg))
		return -EFAULT;
	if (size < minsize)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(karg, ksize, uarg, size);
	if (ret)
		return ret;
	*usize = size;
	return 0;
}

int physwin_put_arg(void __user *uarg, const void *karg, size_t ksize,
		    u32 usize)
{
	if (copy_to_user(uarg, karg, min_t(size_t, ksize, usize)))
		return -EFAULT;
	return 0;
}

static long physwin_ioctl_info(struct physwin_view *view, void __user *uarg)
{
	struct physwin_info info;
	u32 usize;
	int ret;

	ret = physwin_get_arg(&info, sizeof(info),
			      offsetofend(struct physwin_info, reserved),
			      uarg, &usize);
	if (ret)
		return ret;
	if (memchr_inv(info.reserved, 0, sizeof(info.reserved)))
		return -EINVAL;

	info.abi_version = PHYSWIN_ABI_VERSION;
	info.nr_windows = physwin_view_count(view);
	info.max_windows = ARRAY_SIZE(view->pw->win);
	return physwin_put_arg(uarg, &info, sizeof(info), usize);
}

static long physwin_ioctl_window(struct physwin_view *view, void __user *uarg)
{
	const struct physwin_window *win;
	struct physwin_window_info wi;
	u32 usize;
	int ret;

	ret = physwin_get_arg(&wi, sizeof(wi),
			      offsetofend(struct physwin_window_info, reserved),
			      uarg, &usize);
	if (ret)
		return ret;
	if (wi.reserved0 || memchr_inv(wi.reserved, 0, sizeof(wi.reserved)))
		return -EINVAL;
	win = physwin_view_window(view, wi.index);
	if (!win)
		return -ENOENT;

	wi.base = win->base;
	wi.length = win->size;
	wi.flags = win->flags;
	/* a revoked window holds no claim any more */
	if (physwin_gone(win))
		wi.flags = (wi.flags & ~PHYSWIN_WIN_CLAIMED) | PHYSWIN_WIN_GONE;
	wi.cache = win->cache;
	wi.width = win->width;
	strscpy_pad(wi.name, win->name, sizeof(wi.name));
	return physwin_put_arg(uarg, &wi, sizeof(wi), usize);
}

/**
 * physwin_ioctl() - ioctl() on /dev/physwin and the per-window nodes
 * @file: open device; a per-window node describes its one window as index 0
 * @cmd: PHYSWIN_IOC_*
 * @arg: user pointer to the command's structure
 *
 * PHYSWIN_IOC_INFO and PHYSWIN_IOC_WINDOW work with any open mode; each
 * batch operation needs the mode of the read() or write() it stands for.
 *
 * Return: 0 or a negative errno; -ENOTTY for an unknown @cmd, -ENODEV for
 * every command on the node of a revoked window.
 */
long physwin_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct physwin_view *view = physwin_view(file);
	void __user *uarg = (void __user *)arg;

	if (view->only && physwin_gone(view->only))
		return -ENODEV;

	switch (cmd) {
	case PHYSWIN_IOC_INFO:
		return physwin_ioctl_info(view, uarg);
	case PHYSWIN_IOC_WINDOW:
		return physwin_ioctl_window(view, uarg);
	case PHYSWIN_IOC_BATCH:
		return physwin_ioctl_batch(file, uarg);
	default:
		return -ENOTTY;
	}
}
