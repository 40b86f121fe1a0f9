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
 * Find the window for a transfer and clamp @count to it.  Returns the
 * window, or NULL when @addr is outside every window.
 */
static struct physwin_window *
physwin_rw_window(struct file *file, u64 addr, size_t *count)
{
	struct physwin_window *win;

	win = physwin_view_find(physwin_view(file), addr);
	if (win)
		*count = min_t(u64, *count, win->last - addr + 1);
	return win;
}

/*
 * The transfer loop of read() and write(): a page-bounded chunk at a time
 * through the bounce buffer, stopping at a fault or a pending signal.
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
	u8 *bounce;

	if (!count)
		return 0;
	win = physwin_rw_window(file, addr, &count);
	if (!win)
		return physwin_deny(pw, NULL, op, addr, -EPERM);
	if (write && (win->flags & PHYSWIN_WIN_RO))
		return physwin_deny(pw, win, op, addr, -EACCES);
	/* exact windows are aligned and sized in their width: count stays whole */
	if ((win->flags & PHYSWIN_WIN_EXACT) &&
	    (!IS_ALIGNED(addr, win->width) || !IS_ALIGNED(count, win->width)))
		return physwin_deny(pw, win, op, addr, -EINVAL);
	bounce = count <= sizeof(small) ? small : kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	while (done < count) {
		size_t chunk = physwin_chunk(addr, count - done);
		size_t left;

		if (write) {
			left = copy_from_user(bounce, ubuf + done, chunk);
			physwin_copy(win, addr, bounce, chunk - left, true);
		} else {
			physwin_copy(win, addr, bounce, chunk, false);
			left = copy_to_user(ubuf + done, bounce, chunk);
		}
		done += chunk - left;
		addr += chunk - left;
		if (left || (done < count && physwin_should_stop()))
			break;
	}
	if (bounce != small)
		kfree(bounce);

	if (!done)
		return -EFAULT;
	atomic64_inc(write ? &win->writes : &win->reads);
	*ppos = (loff_t)addr;
	return done;
}

/**
 * physwin_read() - read() and pread() on /dev/physwin
 * @file: open device
 * @ubuf: user buffer
 * @count: bytes wanted
 * @ppos: file position, the physical address
 *
 * Return: bytes read, short when the window ends before @count bytes or a
 * signal arrived part-way; -EPERM when *@ppos is outside every window,
 * -EINVAL for an access that an exact window does not allow (not aligned
 * to its width or not a multiple of it), -EFAULT when nothing could be
 * copied to @ubuf.
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
 * Only the bytes that could be copied from @ubuf reach the device.
 *
 * Return: bytes written, short as for physwin_read(); -EPERM outside every
 * window, -EACCES for a read-only window, -EINVAL for an access that an
 * exact window does not allow, -EFAULT when nothing could be copied from
 * @ubuf.
 */
ssize_t physwin_write(struct file *file, const char __user *ubuf,
		      size_t count, loff_t *ppos)
{
	/* physwin_rw() only reads from @ubuf when @write is true */
	return physwin_rw(file, (char __user *)ubuf, count, ppos, true);
}
