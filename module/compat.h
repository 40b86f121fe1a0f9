/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, all in one place.  Each shim is keyed on the
 * feature where the feature can be tested for, on the version otherwise.
 */
#ifndef PHYSWIN_COMPAT_H
#define PHYSWIN_COMPAT_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/version.h>

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12. */
#if __has_include(<linux/unaligned.h>)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * Unsigned file offsets (physical addresses at and above 2^63): a
 * file_operations flag since 6.12, a per-file f_mode bit before.
 */
#ifdef FOP_UNSIGNED_OFFSET
#define PHYSWIN_FOPS_UNSIGNED_OFFSET	.fop_flags = FOP_UNSIGNED_OFFSET,
static inline void physwin_set_unsigned_offsets(struct file *file)
{
}
#else
#define PHYSWIN_FOPS_UNSIGNED_OFFSET
static inline void physwin_set_unsigned_offsets(struct file *file)
{
	file->f_mode |= FMODE_UNSIGNED_OFFSET;
}
#endif

/*
 * vma->vm_flags became read-only behind vm_flags_set() in 6.3.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void physwin_vm_flags_set(struct vm_area_struct *vma,
					unsigned long flags)
{
	vma->vm_flags |= flags;
}
#else
static inline void physwin_vm_flags_set(struct vm_area_struct *vma,
					vm_flags_t flags)
{
	vm_flags_set(vma, flags);
}
#endif

#endif /* PHYSWIN_COMPAT_H */
