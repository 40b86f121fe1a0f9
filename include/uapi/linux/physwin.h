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
 * shorter structures, and newer, longer ones up to a page as long as the
 * bytes it does not know are zero (E2BIG otherwise).  Fields named
 * "reserved" must be zero (EINVAL otherwise); they will carry meaning in
 * later versions.
 *
 * PHYSWIN_IOC_INFO and PHYSWIN_IOC_WINDOW work on a descriptor of any open
 * mode; a batch needs the mode of what its operations do (see
 * struct physwin_batch_req).
 *
 * Errors: EFAULT bad pointer, EINVAL bad size or non-zero reserved field,
 * E2BIG a structure larger than a page or with unknown non-zero trailing
 * bytes, ENOENT no window at that index, ENOTTY unknown command, ENODEV
 * any command on the node of a window whose device went away; for a batch
 * also EBADF and each operation's own errno (EPERM, EACCES, EINVAL,
 * ENODEV, ETIMEDOUT, EINTR), see struct physwin_batch_req.
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
#define PHYSWIN_WIN_GONE	(1U << 4)	/* its device went away: ENODEV */

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

/* Batch operations (struct physwin_op.op) */
#define PHYSWIN_OP_READ		1	/* result = *addr */
#define PHYSWIN_OP_WRITE	2	/* *addr = value */
/*
 * RMW: result = *addr; *addr = (result & ~mask) | (value & mask).  The bits
 * under mask become value's (set or cleared), the others keep result's;
 * the write is made even when nothing changes.
 */
#define PHYSWIN_OP_RMW		3
#define PHYSWIN_OP_POLL		4	/* read until (result & mask) == value, or timeout_us */

#define PHYSWIN_BATCH_MAX	1024	/* most operations in one batch */

/**
 * struct physwin_op - one register operation of a batch
 * @addr: physical address, aligned to @width, inside a window the file
 *	reaches
 * @value: the value to write (WRITE), the new value of the bits under
 *	@mask (RMW: they are set or cleared to match it), or the value to
 *	wait for (POLL, under @mask); must fit @width
 * @mask: RMW: the bits to change; POLL: the bits to compare
 * @result: out: the value read (READ), the value before (RMW), the last
 *	value read (POLL)
 * @op: PHYSWIN_OP_*
 * @width: access width in bytes: 1, 2, 4 or 8, at most the window's
 * @timeout_us: POLL: give up after this many microseconds (ETIMEDOUT)
 * @reserved: must be zero
 *
 * Every access is one access of @width bytes.  An RMW holds the window's
 * lock, so it is atomic against RMWs of other physwin users of the same
 * window (not against plain writes or mmap users).
 */
struct physwin_op {
	__u64 addr;
	__u64 value;
	__u64 mask;
	__u64 result;
	__u32 op;
	__u32 width;
	__u32 timeout_us;
	__u32 reserved;
};

/**
 * struct physwin_batch_req - PHYSWIN_IOC_BATCH
 * @size: sizeof(struct physwin_batch_req)
 * @op_size: sizeof(struct physwin_op), at most a page
 * @nr_ops: number of operations at @ops, 1 .. PHYSWIN_BATCH_MAX
 * @nr_done: out: operations completed; those have their @result written
 * @ops: user pointer to the array of operations
 * @error: out: 0, or the negative errno of operation @nr_done, where the
 *	batch stopped; the ioctl then fails with that errno too
 * @reserved0: must be zero
 * @reserved: must be zero
 *
 * Operations run in order and the batch stops at the first failure.  A poll
 * waits interruptibly: a signal stops it with EINTR, and a fatal signal
 * ends the batch between operations.  Each operation is read from @ops
 * once, before it runs; on a descriptor open for reading and writing, a
 * few at a time as the batch goes, so changing the array meanwhile (from
 * another thread) changes the operations not yet read.
 *
 * Open mode: READ and POLL need a descriptor opened for reading, WRITE one
 * opened for writing, RMW both, as read() and write() do.  A batch with an
 * operation the descriptor may not do fails as a whole with EBADF
 * (nr_done 0) before any operation runs.
 */
struct physwin_batch_req {
	__u32 size;
	__u32 op_size;
	__u32 nr_ops;
	__u32 nr_done;
	__u64 ops;
	__s32 error;
	__u32 reserved0;
	__u64 reserved[3];
};

/*
 * ioctl numbers.  0xBA is not assigned in the kernel's ioctl-number table;
 * commands are private to /dev/physwin, so a clash would only confuse
 * strace.
 */
#define PHYSWIN_IOC_TYPE	0xBA
#define PHYSWIN_IOC_INFO	_IO(PHYSWIN_IOC_TYPE, 0x00)
#define PHYSWIN_IOC_WINDOW	_IO(PHYSWIN_IOC_TYPE, 0x01)
#define PHYSWIN_IOC_BATCH	_IO(PHYSWIN_IOC_TYPE, 0x02)

#endif /* _UAPI_LINUX_PHYSWIN_H */
