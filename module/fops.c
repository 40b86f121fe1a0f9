// SPDX-License-Identifier: GPL-2.0
/*
 * physwin file operations: open, lseek, and the table that hands read,
 * write, mmap and ioctl to their own files.
 */

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/security.h>

#include "compat.h"
#include "physwin.h"

static int physwin_open_view(struct file *file, struct physwin_view *view)
{
	int ret;

	/* A locked-down kernel closes /dev/mem; the same policy holds here. */
	ret = security_locked_down(LOCKDOWN_DEV_MEM);
	if (ret)
		return ret;
	/*
	 * Nothing opens until module init can no longer fail: a file open
	 * when a failed init frees the module would outlive its code.
	 */
	if (!smp_load_acquire(&view->pw->ready))
		return -ENODEV;
	/* a revoked window's node opens no more */
	if (view->only && physwin_gone(view->only))
		return -ENODEV;

	physwin_set_unsigned_offsets(file);
	/* one address_space for every file, so revocation finds all maps */
	file->f_mapping = view->pw->inode->i_mapping;
	file->private_data = view;
	return 0;
}

/*
 * /dev/physwin is a misc device: misc_open() hands over the miscdevice in
 * private_data.  /dev/physwin-<name> are physwin's own character devices,
 * one cdev per window, and reach that window only.
 */
static int physwin_open(struct inode *inode, struct file *file)
{
	struct physwin_window *win;
	struct physwin *pw;

	if (imajor(inode) == MISC_MAJOR) {
		pw = container_of(file->private_data, struct physwin, misc);
		return physwin_open_view(file, &pw->view);
	}
	win = container_of(inode->i_cdev, struct physwin_window, cdev);
	return physwin_open_view(file, &win->view);
}

/*
 * The position is a physical address: SEEK_SET and SEEK_CUR only, and all
 * 64 bits are usable by 64-bit programs.  Positions that would read back
 * as an errno are refused, as /dev/mem does.
 */
static loff_t physwin_llseek(struct file *file, loff_t offset, int whence)
{
	u64 pos;

	switch (whence) {
	case SEEK_CUR:
		pos = (u64)file->f_pos + (u64)offset;
		break;
	case SEEK_SET:
		pos = (u64)offset;
		break;
	default:
		return -EINVAL;
	}
	if (pos >= (u64)-MAX_ERRNO)
		return -EOVERFLOW;
	/*
	 * A 32-bit program's _llseek (and any lseek on a 32-bit kernel)
	 * returns the position as a signed loff_t: one at or above 2^63
	 * would read back as an error.  Such programs reach those addresses
	 * not at all, rather than by accident.
	 */
	if (pos > LLONG_MAX && (in_compat_syscall() || BITS_PER_LONG == 32))
		return -EOVERFLOW;

	file->f_pos = (loff_t)pos;
	force_successful_syscall_return();
	return file->f_pos;
}

const struct file_operations physwin_fops = {
	.owner		= THIS_MODULE,
	PHYSWIN_FOPS_UNSIGNED_OFFSET
	.open		= physwin_open,
	.llseek		= physwin_llseek,
	.read		= physwin_read,
	.write		= physwin_write,
	.mmap		= physwin_mmap,
#if PHYSWIN_HAVE_PMD_PFNMAP
	.get_unmapped_area = physwin_get_unmapped_area,
#endif
	.unlocked_ioctl	= physwin_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
