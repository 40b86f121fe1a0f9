/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels physwin builds against, all in one place:
 * versions (Debian's 6.1 and 6.12) and architectures (x86_64, arm64, 32-bit
 * ARM with LPAE).  Each shim tests for the feature itself: a macro or
 * config option the kernel defines, or a PHYSWIN_HAVE_* define that Kbuild
 * sets after probing the kernel tree's headers.
 */
#ifndef PHYSWIN_COMPAT_H
#define PHYSWIN_COMPAT_H

#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#ifdef CONFIG_ARM64
#include <asm/cpufeature.h>
#endif

/**
 * physwin_phys_addr_max() - the highest physical address the CPU can reach
 *
 * On x86 the kernel cuts iomem_resource to the CPU's physical address bits
 * at boot.  arm64 leaves it at all-ones: the limit is the CPU's PARange
 * (ID_AA64MMFR0_EL1), and no more than the kernel's own PHYS_MASK.  32-bit
 * ARM reaches 40 bits with LPAE, 32 without.
 */
static inline u64 physwin_phys_addr_max(void)
{
	u64 max = iomem_resource.end;
#if defined(CONFIG_ARM64)
	u64 mmfr0 = read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1);
	int parange = cpuid_feature_extract_unsigned_field(mmfr0,
					ID_AA64MMFR0_EL1_PARANGE_SHIFT);

	max = min_t(u64, max, PHYS_MASK);
	max = min_t(u64, max,
		    BIT_ULL(id_aa64mmfr0_parange_to_phys_shift(parange)) - 1);
#elif defined(CONFIG_ARM)
	max = min_t(u64, max, IS_ENABLED(CONFIG_ARM_LPAE) ? BIT_ULL(40) - 1 :
							   U32_MAX);
#endif
	return max;
}

/*
 * Whether ptrace and /proc/<pid>/mem reach a mapping through its
 * vm_ops->access: the core's __access_remote_vm() calls it only where the
 * architecture has ioremap_prot() (not on 32-bit ARM).
 */
#define PHYSWIN_HAVE_PTRACE_ACCESS	IS_ENABLED(CONFIG_HAVE_IOREMAP_PROT)

/*
 * 2 MiB page table entries in a VM_PFNMAP mapping, made by the mapping's
 * huge_fault(vmf, order) with vmf_insert_pfn_pmd(): 6.12 on x86_64 and
 * arm64 select this.  6.1 maps such a mapping 4 KiB at a time (its THP
 * check refuses VM_PFNMAP).
 */
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
#define PHYSWIN_HAVE_PMD_PFNMAP		1
#else
#define PHYSWIN_HAVE_PMD_PFNMAP		0
#endif

/*
 * A fault's 4 KiB entries for the rest of its 2 MiB block written straight
 * into the faulting page's page table, each like the entry that
 * vmf_insert_pfn() made for that page, instead of one vmf_insert_pfn() per
 * page: x86 without 2 MiB VM_PFNMAP entries, where each of those looks up
 * the PAT type that every page of a window shares, and where an entry
 * needs nothing more once written (update_mmu_cache() is empty).  Only
 * where pte_offset_map_lock() is all inline: from 6.5 on it calls
 * __pte_offset_map_lock(), which modules cannot (6.12 maps these blocks
 * with one 2 MiB entry anyway).
 */
#if defined(CONFIG_X86) && !PHYSWIN_HAVE_PMD_PFNMAP && \
	!defined(PHYSWIN_HAVE_PTE_MAP_LOCK_OUT_OF_LINE)
#define PHYSWIN_FILL_PTES	1
#else
#define PHYSWIN_FILL_PTES	0
#endif

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
