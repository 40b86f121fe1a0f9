/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels physwin builds against, all in one place.
 * Each shim tests for the feature itself: a macro the kernel defines, or a
 * PHYSWIN_HAVE_* define that Kbuild sets after probing the kernel tree's
 * headers.  Known to matter today: Debian's 6.1 and 6.12.
 */
#ifndef PHYSWIN_COMPAT_H
#define PHYSWIN_COMPAT_H

#include <linux/fs.h>
#include <linux/mm.h>

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12. */
#ifdef PHYSWIN_HAVE_LINUX_UNALIGNED_H
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

/* vma->vm_flags became read-only behind vm_flags_set() in 6.3. */
#ifdef PHYSWIN_HAVE_VM_FLAGS_SET
static inline void physwin_vm_flags_set(struct vm_area_struct *vma,
					vm_flags_t flags)
{
	vm_flags_set(vma, flags);
}

static inline void physwin_vm_flags_clear(struct vm_area_struct *vma,
					  vm_flags_t flags)
{
	vm_flags_clear(vma, flags);
}
#else
static inline void physwin_vm_flags_set(struct vm_area_struct *vma,
					unsigned long flags)
{
	vma->vm_flags |= flags;
}

static inline void physwin_vm_flags_clear(struct vm_area_struct *vma,
					  unsigned long flags)
{
	vma->vm_flags &= ~flags;
}
#endif

/* device_type's devnode callback takes a const device since 6.2. */
#ifdef PHYSWIN_HAVE_DEVNODE_CONST
#define PHYSWIN_DEVNODE_CONST	const
#else
#define PHYSWIN_DEVNODE_CONST
#endif

/* Tracepoints: __assign_str() takes only the field since 6.10. */
#ifdef PHYSWIN_HAVE_ASSIGN_STR_ONE_ARG
#define physwin_assign_str(dst, src)	__assign_str(dst)
#else
#define physwin_assign_str(dst, src)	__assign_str(dst, src)
#endif

#endif /* PHYSWIN_COMPAT_H */
