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

static __always_inline unsigned int physwin_access_width(u64 addr, size_t len,
							 unsigned int max_width)
{
	unsigned int width = max_width;

	while (width > 1 && (!IS_ALIGNED(addr, width) || width > len))
		width >>= 1;
	return width;
}

/* Whether either access event is on: then every access is traced. */
static bool physwin_tracing(void)
{
	return trace_physwin_read_enabled() || trace_physwin_write_enabled();
}

/* Trace one access: the value is the bytes, little-endian. */
static void physwin_trace(const struct physwin_window *win, u64 addr,
			  const u8 *buf, unsigned int width, bool write)
{
	u64 v = 0;
	int i;

	for (i = width - 1; i >= 0; i--)
		v = v << 8 | buf[i];
	if (write)
		trace_physwin_write(win->name, addr, width, v);
	else
		trace_physwin_read(win->name, addr, width, v);
}

/*
 * @n I/O accesses of @width bytes each at consecutive addresses from @io;
 * @buf holds the bytes in device order.  One loop per width, so that a
 * long aligned run costs a load and a store per access.
 */
static void physwin_io_run(void __iomem *io, u8 *buf, size_t n,
			   unsigned int width, bool write)
{
	size_t i;

	switch (width) {
#ifdef CONFIG_64BIT
	case 8:
		for (i = 0; i < n; i++, io += 8, buf += 8) {
			if (write)
				writeq(get_unaligned_le64(buf), io);
			else
				put_unaligned_le64(readq(io), buf);
		}
		break;
#endif
	case 4:
		for (i = 0; i < n; i++, io += 4, buf += 4) {
			if (write)
				writel(get_unaligned_le32(buf), io);
			else
				put_unaligned_le32(readl(io), buf);
		}
		break;
	case 2:
		for (i = 0; i < n; i++, io += 2, buf += 2) {
			if (write)
				writew(get_unaligned_le16(buf), io);
			else
				put_unaligned_le16(readw(io), buf);
		}
		break;
	default:
		for (i = 0; i < n; i++, io++, buf++) {
			if (write)
				writeb(*buf, io);
			else
				*buf = readb(io);
		}
		break;
	}
}

/* wb windows: @n loads or stores of @width bytes, no byte swapping */
static void physwin_mem_run(u8 *mem, u8 *buf, size_t n, unsigned int width,
			    bool write)
{
	size_t i;

	switch (width) {
#ifdef CONFIG_64BIT
	case 8:
		for (i = 0; i < n; i++, mem += 8, buf += 8) {
			if (write)
				WRITE_ONCE(*(u64 *)mem, get_unaligned((u64 *)buf));
			else
				put_unaligned(READ_ONCE(*(u64 *)mem), (u64 *)buf);
		}
		break;
#endif
	case 4:
		for (i = 0; i < n; i++, mem += 4, buf += 4) {
			if (write)
				WRITE_ONCE(*(u32 *)mem, get_unaligned((u32 *)buf));
			else
				put_unaligned(READ_ONCE(*(u32 *)mem), (u32 *)buf);
		}
		break;
	case 2:
		for (i = 0; i < n; i++, mem += 2, buf += 2) {
			if (write)
				WRITE_ONCE(*(u16 *)mem, get_unaligned((u16 *)buf));
			else
				put_unaligned(READ_ONCE(*(u16 *)mem), (u16 *)buf);
		}
		break;
	default:
		for (i = 0; i < n; i++, mem++, buf++) {
			if (write)
				WRITE_ONCE(*mem, *buf);
			else
				*buf = READ_ONCE(*mem);
		}
		break;
	}
}

/* @n accesses of @width bytes from @addr, all inside @win */
static void physwin_run(const struct physwin_window *win, u64 addr, u8 *buf,
			size_t n, unsigned int width, bool write)
{
	u64 off = addr - win->base;

	if (win->mem)
		physwin_mem_run(win->mem + off, buf, n, width, write);
	else
		physwin_io_run(win->virt + off, buf, n, width, write);
}

/*
 * Move @len bytes between @win at @addr and @buf one access at a time,
 * each the widest that the alignment, the bytes left and the window's
 * width allow, tracing each when @trace.
 */
static void physwin_copy_each(const struct physwin_window *win, u64 addr,
			      u8 *buf, size_t len, bool write, bool trace)
{
	while (len) {
		unsigned int width = physwin_access_width(addr, len, win->width);

		physwin_run(win, addr, buf, 1, width, write);
		if (trace)
			physwin_trace(win, addr, buf, width, write);
		addr += width;
		buf += width;
		len -= width;
	}
}

/*
 * Move @len bytes between the window at @addr and @buf as a sequence of
 * naturally aligned accesses, each the widest allowed.  Untraced, the run
 * aligned to the window's width goes in one loop: the accesses are the
 * same as one at a time, since below the first aligned address no access
 * can be wider than the distance to it, and from there on every access
 * but those of the tail has the window's width.
 */
static void physwin_copy(const struct physwin_window *win, u64 addr,
			 u8 *buf, size_t len, bool write)
{
	unsigned int width = win->width;
	size_t head, run;

	if (physwin_tracing()) {
		physwin_copy_each(win, addr, buf, len, write, true);
		return;
	}
	head = min_t(u64, len, (width - (addr & (width - 1))) & (width - 1));
	physwin_copy_each(win, addr, buf, head, write, false);
	addr += head;
	buf += head;
	len -= head;
	/* a shift: a division is slow on some CPUs, widths are powers of 2 */
	run = len >> ilog2(width);
	physwin_run(win, addr, buf, run, width, write);
	run <<= ilog2(width);
	physwin_copy_each(win, addr + run, buf + run, len - run, write, false);
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

	/* one access of exactly @width: what physwin_copy() would make */
	physwin_run(win, addr, buf, 1, width, false);
	if (physwin_tracing())
		physwin_trace(win, addr, buf, width, false);
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
	physwin_run(win, addr, buf, 1, width, true);
	if (physwin_tracing())
		physwin_trace(win, addr, buf, width, true);
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
 * One access of @width bytes at @off in @win, as the bytes in address
 * order (device order for I/O, as physwin_io_run() stores them), for a
 * store of @width bytes.  Inline: it runs with user access enabled.
 */
static __always_inline u64 physwin_load(const struct physwin_window *win,
					u64 off, unsigned int width)
{
	if (win->mem) {
		const void *p = win->mem + off;

		switch (width) {
#ifdef CONFIG_64BIT
		case 8:
			return READ_ONCE(*(const u64 *)p);
#endif
		case 4:
			return READ_ONCE(*(const u32 *)p);
		case 2:
			return READ_ONCE(*(const u16 *)p);
		default:
			return READ_ONCE(*(const u8 *)p);
		}
	}
	switch (width) {
#ifdef CONFIG_64BIT
	case 8:
		return (__force u64)cpu_to_le64(readq(win->virt + off));
#endif
	case 4:
		return (__force u32)cpu_to_le32(readl(win->virt + off));
	case 2:
		return (__force u16)cpu_to_le16(readw(win->virt + off));
	default:
		return readb(win->virt + off);
	}
}

/*
 * read() without the bounce buffer, for a transfer whose accesses are not
 * traced and whose user buffer is aligned like the addresses (so that
 * every store to it is aligned as the access is): each access goes
 * straight to @ubuf, the same accesses as physwin_copy() makes, one pass
 * instead of two.  Returns the bytes that reached @ubuf, counted exactly:
 * of an access whose store faulted, the bytes that fit are stored one at a
 * time, as physwin_copy_out() does.
 */
static size_t physwin_read_direct(const struct physwin_window *win, u64 addr,
				  char __user *ubuf, size_t len)
{
	u64 off = addr - win->base;
	unsigned int width = 1;
	size_t done = 0;
	u8 last[8];
	u64 v = 0;

	if (!user_access_begin(ubuf, len))
		return 0;
	while (done < len) {
		width = physwin_access_width(addr + done, len - done, win->width);
		/* the run at the window's width, in one tight loop */
#ifdef CONFIG_64BIT
		if (width == 8 && win->mem) {
			for (; len - done >= 8; done += 8) {
				v = READ_ONCE(*(const u64 *)(win->mem + off + done));
				unsafe_put_user(v, (u64 __user *)(ubuf + done), fault);
			}
			continue;
		}
		if (width == 8) {
			for (; len - done >= 8; done += 8) {
				v = (__force u64)cpu_to_le64(readq(win->virt + off + done));
				unsafe_put_user(v, (u64 __user *)(ubuf + done), fault);
			}
			continue;
		}
#endif
		if (width == 4 && win->width == 4 && win->mem) {
			for (; len - done >= 4; done += 4) {
				v = READ_ONCE(*(const u32 *)(win->mem + off + done));
				unsafe_put_user((u32)v, (u32 __user *)(ubuf + done), fault);
			}
			continue;
		}
		if (width == 4 && win->width == 4) {
			for (; len - done >= 4; done += 4) {
				v = (__force u32)cpu_to_le32(readl(win->virt + off + done));
				unsafe_put_user((u32)v, (u32 __user *)(ubuf + done), fault);
			}
			continue;
		}
		v = physwin_load(win, off + done, width);
		switch (width) {
		case 8:
			unsafe_put_user(v, (u64 __user *)(ubuf + done), fault);
			break;
		case 4:
			unsafe_put_user((u32)v, (u32 __user *)(ubuf + done), fault);
			break;
		case 2:
			unsafe_put_user((u16)v, (u16 __user *)(ubuf + done), fault);
			break;
		default:
			unsafe_put_user((u8)v, (u8 __user *)(ubuf + done), fault);
			break;
		}
		done += width;
	}
	user_access_end();
	return done;

fault:
	user_access_end();
	/* the access was made: what fits of its bytes arrives */
	switch (width) {
	case 8:
		put_unaligned(v, (u64 *)last);
		break;
	case 4:
		put_unaligned((u32)v, (u32 *)last);
		break;
	case 2:
		put_unaligned((u16)v, (u16 *)last);
		break;
	default:
		last[0] = v;
		break;
	}
	return done + width - physwin_copy_out(ubuf + done, last, width);
}

/*
 * physwin_read_direct() in a section of the window's memory: the bytes
 * that reached @ubuf, or -ENODEV when the window was revoked.
 */
static ssize_t physwin_io_read_direct(const struct physwin_window *win,
				      u64 addr, char __user *ubuf, size_t len)
{
	int idx = physwin_io_begin();
	ssize_t ret = -ENODEV;

	if (!physwin_gone(win))
		ret = physwin_read_direct(win, addr, ubuf, len);
	physwin_io_end(idx);
	return ret;
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
	u8 *bounce = NULL;
	size_t done = 0;
	bool direct;
	int err = 0;

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
	/*
	 * A read goes straight to user memory when no access is traced and
	 * the buffer is aligned like the addresses; otherwise through a
	 * bounce buffer sized to the transfer (the allocator zeroes it).
	 */
	direct = !write && !physwin_tracing() &&
		 !(((uintptr_t)ubuf - (uintptr_t)addr) & (win->width - 1));
	if (!direct) {
		bounce = count <= sizeof(small) ? small :
			 kmalloc(min_t(size_t, count, PAGE_SIZE), GFP_KERNEL);
		if (!bounce)
			return -ENOMEM;
	}

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
		} else if (direct) {
			ssize_t got = physwin_io_read_direct(win, addr,
							     ubuf + done, chunk);

			if (got < 0) {
				err = got;
				break;
			}
			if (got < chunk) {
				/* what reached the buffer counts */
				done += got;
				addr += got;
				err = -EFAULT;
				break;
			}
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
		kfree(bounce);	/* NULL when direct */

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
