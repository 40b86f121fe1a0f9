// SPDX-License-Identifier: GPL-2.0
/*
 * physwin read() and write(): the access paths with the width guarantee.
 *
 * A transfer is cut into naturally aligned accesses, each the widest that
 * the address alignment, the bytes left and the window's width allow.  So a
 * 1-, 2-, 4- or 8-byte transfer at an address aligned to its size is exactly
 * one readb/w/l/q (or writeb/w/l/q), and nothing is ever merged or split
 * behind the caller's back.  Data goes through a kernel bounce buffer:
 * user memory is never copied to or from I/O memory directly.
 *
 * A window's width caps the accesses; with "exact" every access must be
 * exactly that width, so a transfer must be aligned to it and a multiple
 * of it.  wb windows are memory, reached with single loads and stores.
 *
 * Bytes keep their physical-address order in the file, as with /dev/mem
 * and mmap: readl() gives the CPU-order value of little-endian device
 * memory, and put_unaligned_le32() stores it back in the device's order.
 */

#include <linux/io.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "physwin.h"
#include "trace.h"

/* Register-sized transfers use the stack instead of allocating a page. */
#define PHYSWIN_SMALL_XFER	64

static unsigned int physwin_access_width(u64 addr, size_t len,
					 unsigned int max_width)
{
	unsigned int width = max_width;

	while (width > 1 && (!IS_ALIGNED(addr, width) || width > len))
		width >>= 1;
	return width;
}

/* Trace one access: the value is the bytes, little-endian. */
static void physwin_trace(const struct physwin_window *win, u64 addr,
			  const u8 *buf, unsigned int width, bool write)
{
	u64 v = 0;
	int i;

	if (!trace_physwin_read_enabled() && !trace_physwin_write_enabled())
		return;
	for (i = width - 1; i >= 0; i--)
		v = v << 8 | buf[i];
	if (write)
		trace_physwin_write(win->name, addr, width, v);
	else
		trace_physwin_read(win->name, addr, width, v);
}

/* One I/O access of @width bytes; @buf holds the bytes in device order. */
static void physwin_io_one(void __iomem *io, u8 *buf, unsigned int width,
			   bool write)
{
	switch (width) {
#ifdef CONFIG_64BIT
	case 8:
		if (write)
			writeq(get_unaligned_le64(buf), io);
		else
			put_unaligned_le64(readq(io), buf);
		break;
#endif
	case 4:
		if (write)
			writel(get_unaligned_le32(buf), io);
		else
			put_unaligned_le32(readl(io), buf);
		break;
	case 2:
		if (write)
			writew(get_unaligned_le16(buf), io);
		else
			put_unaligned_le16(readw(io), buf);
		break;
	default:
		if (write)
			writeb(*buf, io);
		else
			*buf = readb(io);
		break;
	}
}

/* wb windows: one load or store of @width bytes, no byte swapping */
static void physwin_mem_one(u8 *mem, u8 *buf, unsigned int width, bool write)
{
	switch (width) {
#ifdef CONFIG_64BIT
	case 8:
		if (write)
			WRITE_ONCE(*(u64 *)mem, get_unaligned((u64 *)buf));
		else
			put_unaligned(READ_ONCE(*(u64 *)mem), (u64 *)buf);
		break;
#endif
	case 4:
		if (write)
			WRITE_ONCE(*(u32 *)mem, get_unaligned((u32 *)buf));
		else
			put_unaligned(READ_ONCE(*(u32 *)mem), (u32 *)buf);
		break;
	case 2:
		if (write)
			WRITE_ONCE(*(u16 *)mem, get_unaligned((u16 *)buf));
		else
			put_unaligned(READ_ONCE(*(u16 *)mem), (u16 *)buf);
		break;
	default:
		if (write)
			WRITE_ONCE(*mem, *buf);
		else
			*buf = READ_ONCE(*mem);
		break;
	}
}

/*
 * Move @len bytes between the window at @addr and @buf as a sequence of
 * naturally aligned accesses, each the widest allowed.
 */
static void physwin_copy(const struct physwin_window *win, u64 addr,
			 u8 *buf, size_t len, bool write)
{
	u64 off = addr - win->base;

	while (len) {
		unsigned int width = physwin_access_width(addr, len, win->width);

		if (win->mem)
			physwin_mem_one(win->mem + off, buf, width, write);
		else
			physwin_io_one(win->virt + off, buf, width, write);
		physwin_trace(win, addr, buf, width, write);
		addr += width;
		off += width;
		buf += width;
		len -= width;
	}
}

/**
 * physwin_reg_read() - one access of @width bytes, as a register value
 * @win: window containing [@addr, @addr + @width)
 * @addr: physical address aligned to @width
 * @width: 1, 2, 4 or 8, at most the window's width
 *
 * Return: the value, little-endian as readb/w/l/q see it.
 */
u64 physwin_reg_read(const struct physwin_window *win, u64 addr,
		     unsigned int width)
{
	u8 buf[8] = { 0 };

	physwin_copy(win, addr, buf, width, false);
	return get_unaligned_le64(buf);
}

/**
 * physwin_reg_write() - one access of @width bytes
 * @win: window containing [@addr, @addr + @width)
 * @addr: physical address aligned to @width
 * @width: 1, 2, 4 or 8, at most the window's width
 * @value: the value, which fits @width
 */
void physwin_reg_write(const struct physwin_window *win, u64 addr,
		       unsigned int width, u64 value)
{
	u8 buf[8];

	put_unaligned_le64(value, buf);
	physwin_copy(win, addr, buf, width, true);
}

/*
 * Chunks end on page boundaries of the physical address, which are aligned
 * for every width, so the access pattern does not depend on chunking.
 */
static size_t physwin_chunk(u64 addr, size_t left)
{
	return min_t(size_t, left, PAGE_SIZE - offset_in_page(addr));
}

/* Between chunks of a long transfer: yield, and stop early on a signal. */
static bool physwin_should_stop(void)
{
	cond_resched();
	return signal_pending(current);
}

/*
 * Move @len bytes between @win at @addr and the kernel buffer @buf, unless
 * the window was revoked (-ENODEV).
 */
static int physwin_io(const struct physwin_window *win, u64 addr, u8 *buf,
		      size_t len, bool write)
{
	int idx = physwin_io_begin();
	int ret = -ENODEV;

	if (!physwin_gone(win)) {
		physwin_copy(win, addr, buf, len, write);
		ret = 0;
	}
	physwin_io_end(idx);
	return ret;
}

/*
 * Whether a transfer of @count bytes at @addr may go to @win: -EACCES for
 * a write to a read-only window, -EINVAL for what an exact window does not
 * allow (such windows are aligned and sized in their width, so a transfer
 * clamped to the window stays whole).
 */
static int physwin_rw_allowed(const struct physwin_window *win, u64 addr,
			      size_t count, bool write)
{
	if (write && (win->flags & PHYSWIN_WIN_RO))
		return -EACCES;
	if ((win->flags & PHYSWIN_WIN_EXACT) &&
	    (!IS_ALIGNED(addr, win->width) || !IS_ALIGNED(count, win->width)))
		return -EINVAL;
	return 0;
}

/*
 * copy_to_user() that reports exactly how much of @buf reached @ubuf.  The
 * architectures may under-report when the destination faults part-way
 * (32-bit ARM stores eight words at a time and counts none of a block that
 * crossed into an unmapped page); the bytes before the fault are then
 * copied one at a time, so a read returns the same count everywhere.  The
 * device is not read again: the data is in @buf.
 */
static size_t physwin_copy_out(char __user *ubuf, const u8 *buf, size_t len)
{
	size_t left = copy_to_user(ubuf, buf, len);
	size_t done = len - left;

	while (left && !copy_to_user(ubuf + done, buf + done, 1)) {
		done++;
		left--;
	}
	return left;
}

/*
 * The transfer loop of read() and write(): a page-bounded chunk at a time
 * through the bounce buffer, stopping at a fault, a revoked window or a
 * pending signal.  A chunk whose copy from user space faulted is not
 * written at all: writing the part that arrived would take narrower
 * accesses than the caller asked for, which "exact" windows and the width
 * guarantee forbid.
 */
static ssize_t physwin_rw(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos, bool write)
{
	struct physwin *pw = physwin_from_file(file);
	const char *op = write ? "write" : "read";
	struct physwin_window *win;
	u8 small[PHYSWIN_SMALL_XFER];
	u64 addr = (u64)*ppos;
	size_t done = 0;
	int err = 0;
	u8 *bounce;

	if (!count)
		return 0;
	win = physwin_view_find(physwin_view(file), addr);
	if (!win)
		return physwin_deny(pw, NULL, op, addr, -EPERM);
	/* last - addr + 1 cannot overflow: a window never spans all 2^64 */
	count = min_t(u64, count, win->last - addr + 1);
	err = physwin_rw_allowed(win, addr, count, write);
	if (err)
		return physwin_deny(pw, win, op, addr, err);
	bounce = count <= sizeof(small) ? small : kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	while (done < count) {
		size_t chunk = physwin_chunk(addr, count - done);

		if (write) {
			if (copy_from_user(bounce, ubuf + done, chunk)) {
				err = -EFAULT;
				break;
			}
			err = physwin_io(win, addr, bounce, chunk, true);
			if (err)
				break;
		} else {
			size_t left;

			err = physwin_io(win, addr, bounce, chunk, false);
			if (err)
				break;
			left = physwin_copy_out(ubuf + done, bounce, chunk);
			if (left) {
				/* what reached the buffer counts */
				done += chunk - left;
				addr += chunk - left;
				err = -EFAULT;
				break;
			}
		}
		done += chunk;
		addr += chunk;
		if (done < count && physwin_should_stop())
			break;
	}
	if (bounce != small)
		kfree(bounce);

	if (!done)
		return err ?: -EFAULT;
	atomic64_inc(write ? &win->writes : &win->reads);
	*ppos = (loff_t)addr;
	return done;
}

/**
 * physwin_kaccess() - access a window from a kernel buffer
 * @win: the window, which must hold [@addr, @addr + @len)
 * @addr: physical address
 * @buf: kernel buffer
 * @len: bytes
 * @write: write @buf to the window, else read into it
 *
 * For ptrace and /proc/<pid>/mem on a mapping of @win: the same accesses
 * and rules as write() and read().
 *
 * Return: @len, or -EACCES, -EINVAL or -ENODEV as for physwin_write(),
 * -EPERM for a range that is not all inside @win.
 */
int physwin_kaccess(struct physwin_window *win, u64 addr, void *buf,
		    size_t len, bool write)
{
	int err;

	/* never past the window, whatever the caller computed */
	if (addr < win->base || addr > win->last || !len ||
	    len - 1 > win->last - addr)
		return -EPERM;
	err = physwin_rw_allowed(win, addr, len, write);
	if (err)
		return physwin_deny(win->view.pw, win, write ? "write" : "read",
				    addr, err);
	err = physwin_io(win, addr, buf, len, write);
	if (err)
		return err;
	atomic64_inc(write ? &win->writes : &win->reads);
	return len;
}

/**
 * physwin_read() - read() and pread() on /dev/physwin
 * @file: open device
 * @ubuf: user buffer
 * @count: bytes wanted
 * @ppos: file position, the physical address
 *
 * Return: bytes read, short when the window ends before @count bytes, a
 * signal arrived part-way, the window was revoked part-way or @ubuf
 * faulted part-way; -EPERM when *@ppos is outside every window, -EINVAL
 * for an access that an exact window does not allow (not aligned to its
 * width or not a multiple of it), -ENODEV when the window was revoked,
 * -EFAULT when nothing could be copied to @ubuf.
 */
ssize_t physwin_read(struct file *file, char __user *ubuf, size_t count,
		     loff_t *ppos)
{
	return physwin_rw(file, ubuf, count, ppos, false);
}

/**
 * physwin_write() - write() and pwrite() on /dev/physwin
 * @file: open device
 * @ubuf: user buffer
 * @count: bytes to write
 * @ppos: file position, the physical address
 *
 * A page-bounded chunk whose bytes could not all be copied from @ubuf is
 * not written at all.
 *
 * Return: bytes written, short as for physwin_read(); -EPERM outside every
 * window, -EACCES for a read-only window, -EINVAL for an access that an
 * exact window does not allow, -ENODEV when the window was revoked,
 * -EFAULT when the first chunk could not be copied from @ubuf.
 */
ssize_t physwin_write(struct file *file, const char __user *ubuf,
		      size_t count, loff_t *ppos)
{
	/* physwin_rw() only reads from @ubuf when @write is true */
	return physwin_rw(file, (char __user *)ubuf, count, ppos, true);
}
