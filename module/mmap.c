// SPDX-License-Identifier: GPL-2.0
/*
 * physwin mmap(): map part of one window into user space.
 *
 * Checks run in the order of drivers/char/mem.c: the offset is a
 * representable physical address and the range does not wrap, then it is
 * allowed (inside one window, which must be mappable), then the page
 * protection is chosen from the window's cache mode.
 */

#include <linux/mm.h>

#include "compat.h"
#include "physwin.h"

static const struct vm_operations_struct physwin_vm_ops = {
#ifdef CONFIG_HAVE_IOREMAP_PROT
	/* ptrace and /proc/<pid>/mem reach the mapping */
	.access = generic_access_phys,
#endif
};

/**
 * physwin_mmap() - mmap() on /dev/physwin
 * @file: open device
 * @vma: the new mapping; vm_pgoff is the physical page number
 *
 * The page protection follows the window's cache mode, matching the kernel
 * mapping made at load (x86 PAT refuses a mismatch).  A read-only window
 * refuses PROT_WRITE and loses VM_MAYWRITE, so mprotect() cannot upgrade
 * the mapping later.
 *
 * Return: 0; -EINVAL for a private mapping, an offset or length that does
 * not fit a physical address, or a window that is not page-aligned;
 * -EPERM when the range is not entirely inside one window; -EACCES for a
 * writable mapping of a read-only window.
 */
int physwin_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct physwin *pw = physwin_from_file(file);
	struct physwin_window *win;
	int ret;
	u64 size = vma->vm_end - vma->vm_start;
	u64 addr, last;

	/*
	 * VM_MAYSHARE, not VM_SHARED: a MAP_SHARED mapping of a read-only
	 * file descriptor loses VM_SHARED but is still shared.
	 */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;

	if (vma->vm_pgoff > (PHYS_ADDR_MAX >> PAGE_SHIFT))
		return -EINVAL;
	addr = (u64)vma->vm_pgoff << PAGE_SHIFT;
	if (check_add_overflow(addr, size - 1, &last))
		return -EINVAL;

	win = physwin_view_find(physwin_view(file), addr);
	if (!win)
		return physwin_deny(pw, NULL, "mmap", addr, -EPERM);
	if (!physwin_window_mappable(win))
		return physwin_deny(pw, win, "mmap", addr, -EINVAL);
	if (last > win->last)
		return physwin_deny(pw, win, "mmap", addr, -EPERM);

	if (win->flags & PHYSWIN_WIN_RO) {
		if (vma->vm_flags & VM_WRITE)
			return physwin_deny(pw, win, "mmap", addr, -EACCES);
		physwin_vm_flags_clear(vma, VM_MAYWRITE);
	}

	switch (win->cache) {
	case PHYSWIN_CACHE_WB:
		break;		/* vm_page_prot is already cached */
	case PHYSWIN_CACHE_WC:
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
		break;
	default:
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
		break;
	}
	physwin_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND |
			     VM_DONTDUMP);
	vma->vm_ops = &physwin_vm_ops;

	ret = io_remap_pfn_range(vma, vma->vm_start, vma->vm_pgoff, size,
				 vma->vm_page_prot);
	if (!ret)
		atomic64_inc(&win->maps);
	return ret;
}
