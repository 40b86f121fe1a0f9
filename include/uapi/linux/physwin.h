/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * physwin: user-space ABI of /dev/physwin
 *
 * /dev/physwin gives access to an allowlist of physical address windows.
 * The file offset is the physical address, exactly as with /dev/mem, so
 * read, write, pread, pwrite, lseek and mmap work as they do there.  The
 * ioctls below describe the windows.
 *
 * Every ioctl argument starts with a __u32 "size" that the caller sets to
 * sizeof() of the structure as it was compiled.  The kernel accepts older,
 * shorter structures, and newer, longer ones as long as the bytes it does
 * not know are zero (E2BIG otherwise).  Fields named "reserved" must be
 * zero (EINVAL otherwise); they will carry meaning in later versions.
 *
 * Errors: EFAULT bad pointer, EINVAL bad size or non-zero reserved field,
 * E2BIG unknown non-zero trailing bytes, ENOENT no window at that index,
 * ENOTTY unknown command.
 */
#ifndef _UAPI_LINUX_PHYSWIN_H
#define _UAPI_LINUX_PHYSWIN_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped when the meaning of an existing field changes; never for additions. */
#define PHYSWIN_ABI_VERSION	1

#define PHYSWIN_NAME_MAX	32	/* including the terminating NUL */

/* Window flags (struct physwin_window_info.flags) */
#define PHYSWIN_WIN_RO		(1U << 0)	/* writes and PROT_WRITE refused */
#define PHYSWIN_WIN_MAPPABLE	(1U << 1)	/* page-aligned: mmap allowed */
#define PHYSWIN_WIN_CLAIMED	(1U << 2)	/* holds a "physwin" iomem claim */
#define PHYSWIN_WIN_EXACT	(1U << 3)	/* every access must be .width */

/* Cache modes (struct physwin_window_info.cache) */
#define PHYSWIN_CACHE_UC	0	/* uncached device memory */
#define PHYSWIN_CACHE_WC	1	/* write-combining */
#define PHYSWIN_CACHE_WB	2	/* cached; reserved memory only */

/**
 * struct physwin_info - PHYSWIN_IOC_INFO
 * @size: sizeof(struct physwin_info)
 * @abi_version: out: PHYSWIN_ABI_VERSION of the running module
 * @nr_windows: out: number of windows, indexed 0 .. nr_windows - 1
 * @max_windows: out: most windows the module can hold
 * @reserved: must be zero
 */
struct physwin_info {
	__u32 size;
	__u32 abi_version;
	__u32 nr_windows;
	__u32 max_windows;
	__u64 reserved[4];
};

/**
 * struct physwin_window_info - PHYSWIN_IOC_WINDOW
 * @size: sizeof(struct physwin_window_info)
 * @index: in: window index, 0 .. nr_windows - 1, in the order given at load
 * @base: out: first physical address of the window
 * @length: out: length of the window in bytes
 * @flags: out: PHYSWIN_WIN_*
 * @cache: out: PHYSWIN_CACHE_*
 * @width: out: widest single access in bytes (1, 2, 4 or 8)
 * @reserved0: must be zero
 * @name: out: NUL-terminated window name
 * @reserved: must be zero
 */
struct physwin_window_info {
	__u32 size;
	__u32 index;
	__u64 base;
	__u64 length;
	__u32 flags;
	__u8 cache;
	__u8 width;
	__u16 reserved0;
	char name[PHYSWIN_NAME_MAX];
	__u64 reserved[4];
};

/*
 * ioctl numbers.  0xBA is not assigned in the kernel's ioctl-number table;
 * commands are private to /dev/physwin, so a clash would only confuse
 * strace.  0x02 is kept for the register batch call.
 */
#define PHYSWIN_IOC_TYPE	0xBA
#define PHYSWIN_IOC_INFO	_IO(PHYSWIN_IOC_TYPE, 0x00)
#define PHYSWIN_IOC_WINDOW	_IO(PHYSWIN_IOC_TYPE, 0x01)

#endif /* _UAPI_LINUX_PHYSWIN_H */
