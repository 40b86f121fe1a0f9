// SPDX-License-Identifier: GPL-2.0
/*
 * physwin mmap(): map part of one window into user space.
 *
 * Checks run in the order of drivers/char/mem.c: the offset is a
 * representable physical address and the range does not wrap, then it is
 * allowed (inside one window, which must be mappable), then the page
 * protection is chosen from the window's cache mode.
 *
 * Pages are mapped when first touched, by the fault handler, never at
 * mmap() time: a window can be revoked (its PCI device removed) while
 * mapped, and only a fault handler that checks for that can guarantee that
 * no page table entry is made after the revocation zapped the others.
 * A fault maps the whole 2 MiB block around the address at once, where
 * the kernel can with one 2 MiB entry (6.12: the mapping is then placed at
 * a user address congruent to the physical one), else 4 KiB entries for
 * the part of that block inside the mapping, so that touching a large
 * window costs one fault per 2 MiB rather than one per page.
 * Every open file of physwin shares one address_space, as every open
 * /dev/mem shares the iomem one, so the revocation finds all mappings of
 * a window whichever node and file they came through.
 */

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/huge_mm.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/pfn_t.h>
#include <linux/pseudo_fs.h>
#include <linux/sizes.h>

#include "compat.h"
#include "physwin.h"

#define PHYSWIN_FS_MAGIC	0x70687977	/* "phyw" */

/*
 * An internal filesystem for the one inode whose address_space the open
 * files share.  No owner: the module holds the mount from load to unload,
 * and kern_unmount() at unload tears it down before the module goes.
 */
static int physwin_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, PHYSWIN_FS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type physwin_fs_type = {
	.name = KBUILD_MODNAME,
	.init_fs_context = physwin_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

static struct vfsmount *physwin_mnt;

/**
 * physwin_mapping_init() - make the address_space that files will share
 * @pw: device
 *
 * Return: 0 or a negative errno.
 */
int physwin_mapping_init(struct physwin *pw)
{
	struct inode *inode;

	physwin_mnt = kern_mount(&physwin_fs_type);
	if (IS_ERR(physwin_mnt))
		return PTR_ERR(physwin_mnt);
	inode = alloc_anon_inode(physwin_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		kern_unmount(physwin_mnt);
		return PTR_ERR(inode);
	}
	pw->inode = inode;
	return 0;
}

/**
 * physwin_mapping_exit() - undo physwin_mapping_init()
 * @pw: device, with no file open
 */
void physwin_mapping_exit(struct physwin *pw)
{
	iput(pw->inode);
	pw->inode = NULL;
	kern_unmount(physwin_mnt);
}

/**
 * physwin_mapping_zap() - remove every user page of a window
 * @pw: device
 * @win: the window, already marked gone so that no fault maps it again
 */
void physwin_mapping_zap(struct physwin *pw, struct physwin_window *win)
{
	/* only page-aligned windows were ever mapped */
	if (physwin_window_mappable(win))
		unmap_mapping_pages(pw->inode->i_mapping, PHYS_PFN(win->base),
				    PHYS_PFN(win->size), true);
}

/* The physical address of @addr in @vma: vm_pgoff is the page number. */
static u64 physwin_vma_phys(struct vm_area_struct *vma, unsigned long addr)
{
	return ((u64)vma->vm_pgoff << PAGE_SHIFT) + (addr - vma->vm_start);
}

/* The physical page of @addr in @vma. */
static unsigned long physwin_vma_pfn(struct vm_area_struct *vma,
				     unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

#if PHYSWIN_FILL_PTES
/*
 * The pages of [@start, @end), which lie in the faulting page's page
 * table, mapped where they are not yet, with what vmf_insert_pfn() just
 * gave the faulting page: a special entry with the mapping's protection
 * and the PAT type that page got.  vmf_insert_pfn() per page would look
 * that type up for every page (a tree walk under a lock), which is most of
 * the time of touching a large window 4 KiB at a time; a window is one
 * reservation of one type, except that x86 reports write-back below 1 MiB
 * whatever was reserved, so a block reaching below 1 MiB is not filled.
 * The table is locked as vmf_insert_pfn() locks it; if the faulting
 * page's entry is not there any more, the others are left to their own
 * faults.
 */
static void physwin_fill_block(struct vm_fault *vmf, unsigned long start,
			       unsigned long end)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr, pfn = physwin_vma_pfn(vma, start);
	spinlock_t *ptl;	/* the page table's lock */
	pgprot_t prot;
	pte_t *table, *pte, e;

	if (physwin_vma_phys(vma, start) < SZ_1M)
		return;
	/* vmf_insert_pfn() made sure of the table: all inline, never fails */
	table = pte_offset_map_lock(vma->vm_mm, vmf->pmd, start, &ptl);
	e = ptep_get(table + ((vmf->address - start) >> PAGE_SHIFT));
	if (pte_present(e) && pte_special(e) && pte_pfn(e) == vmf->pgoff) {
		/* its cache type, not its dirty or write bits */
		prot = __pgprot((pgprot_val(vma->vm_page_prot) & ~_PAGE_CACHE_MASK) |
				(pte_val(e) & _PAGE_CACHE_MASK));
		arch_enter_lazy_mmu_mode();
		for (addr = start, pte = table; addr < end;
		     addr += PAGE_SIZE, pte++, pfn++) {
			if (!pte_none(ptep_get(pte)))
				continue;
			set_pte_at(vma->vm_mm, addr, pte,
				   pte_mkspecial(pfn_pte(pfn, prot)));
			update_mmu_cache(vma, addr, pte);
		}
		arch_leave_lazy_mmu_mode();
	}
	pte_unmap_unlock(table, ptl);
}
#endif

/*
 * Map the page that faulted, then the rest of its 2 MiB block that the
 * mapping covers (never past the block: its page table is the one the
 * fault made sure of).  Pages already mapped are left as they are.
 */
static vm_fault_t physwin_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct physwin_window *win = vma->vm_private_data;
	unsigned long block = ALIGN_DOWN(vmf->address, PMD_SIZE);
	unsigned long start = max(block, vma->vm_start);
	unsigned long end = min(block + PMD_SIZE, vma->vm_end);
	vm_fault_t ret = VM_FAULT_SIGBUS;
	int idx = physwin_io_begin();

	if (physwin_gone(win))
		goto out;
	/* vmf->pgoff is the page number of the faulting address */
	ret = vmf_insert_pfn(vma, vmf->address, vmf->pgoff);
	if (ret != VM_FAULT_NOPAGE)
		goto out;
#if PHYSWIN_FILL_PTES
	physwin_fill_block(vmf, start, end);
#else
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		if (addr != (vmf->address & PAGE_MASK) &&
		    vmf_insert_pfn(vma, addr, physwin_vma_pfn(vma, addr)) !=
		    VM_FAULT_NOPAGE)
			break;	/* the faulting page is mapped: enough */
	}
#endif
out:
	physwin_io_end(idx);
	return ret;
}

#if PHYSWIN_HAVE_PMD_PFNMAP
/*
 * One 2 MiB entry where the block around the fault lies in the mapping
 * and its physical address is 2 MiB aligned, else the 4 KiB fault.  No
 * 1 GiB entries: the core splits only 2 MiB ones when a mapping is split,
 * and their benefit over 2 MiB ones is small next to that risk.
 */
static vm_fault_t physwin_vm_huge_fault(struct vm_fault *vmf,
					unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long block = ALIGN_DOWN(vmf->address, PMD_SIZE);
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long pfn;
	int idx;

	if (!order)
		return physwin_vm_fault(vmf);
	if (order != PMD_ORDER || block < vma->vm_start ||
	    block + PMD_SIZE > vma->vm_end)
		return VM_FAULT_FALLBACK;
	pfn = physwin_vma_pfn(vma, block);
	if (!IS_ALIGNED(pfn, 1UL << PMD_ORDER))
		return VM_FAULT_FALLBACK;

	idx = physwin_io_begin();
	if (!physwin_gone(vma->vm_private_data))
		ret = vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV),
					 vmf->flags & FAULT_FLAG_WRITE);
	physwin_io_end(idx);
	return ret;
}

/**
 * physwin_get_unmapped_area() - place a mapping for 2 MiB entries
 * @file: open device
 * @addr: the caller's hint, or its address for MAP_FIXED
 * @len: length
 * @pgoff: the physical page number
 * @flags: mmap flags
 *
 * A 2 MiB entry needs the user address and the physical address to agree
 * modulo 2 MiB; the core's THP placement arranges that where it can.
 *
 * Return: the address, or a negative errno.
 */
unsigned long physwin_get_unmapped_area(struct file *file, unsigned long addr,
					unsigned long len, unsigned long pgoff,
					unsigned long flags)
{
	return thp_get_unmapped_area(file, addr, len, pgoff, flags);
}
#endif

/*
 * ptrace and /proc/<pid>/mem: the pages cannot be pinned, so the core
 * hands the access here, with all that is left of the request -- which may
 * run past this mapping.  One page at a time, never past the mapping's
 * end (the core comes back for the rest, through whatever mapping is
 * there), on the same path as read() and write() (widths, exact,
 * read-only, revocation), and honouring the mapping's own protection, so
 * a mapping made read-only is not written through /proc/self/mem either.
 */
static int physwin_vm_access(struct vm_area_struct *vma, unsigned long addr,
			     void *buf, int len, int write)
{
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -EACCES;
	if (addr < vma->vm_start || addr >= vma->vm_end || len <= 0)
		return -EINVAL;
	/* a page ends at or before the mapping's end: both are aligned */
	len = min_t(unsigned long, len, PAGE_SIZE - offset_in_page(addr));
	return physwin_kaccess(vma->vm_private_data,
			       physwin_vma_phys(vma, addr), buf, len, write);
}

static const struct vm_operations_struct physwin_vm_ops = {
	.fault = physwin_vm_fault,
#if PHYSWIN_HAVE_PMD_PFNMAP
	.huge_fault = physwin_vm_huge_fault,
#endif
	/* called by the core only where PHYSWIN_HAVE_PTRACE_ACCESS */
	.access = physwin_vm_access,
};

/**
 * physwin_mmap() - mmap() on /dev/physwin
 * @file: open device
 * @vma: the new mapping; vm_pgoff is the physical page number
 *
 * The page protection follows the window's cache mode, matching the kernel
 * mapping made at load (x86 PAT refuses a mismatch).  A read-only window
 * refuses PROT_WRITE and loses VM_MAYWRITE, so mprotect() cannot upgrade
 * the mapping later.  The VFS has already required FMODE_READ, and
 * FMODE_WRITE for a shared writable mapping.
 *
 * Return: 0; -EINVAL for a private mapping, an offset or length that does
 * not fit a physical address, or a window that is not page-aligned;
 * -EPERM when the range is not entirely inside one window; -EACCES for a
 * writable mapping of a read-only window; -ENODEV for a revoked window.
 */
int physwin_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct physwin *pw = physwin_from_file(file);
	struct physwin_window *win;
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
	if (physwin_gone(win))
		return -ENODEV;
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
	vma->vm_private_data = win;
	atomic64_inc(&win->maps);
	return 0;
}
