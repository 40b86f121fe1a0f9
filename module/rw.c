// SPDX-License-Identifier: GPL-2.0
/*
 * physwin read() and write(): the access paths with the width guarantee.
 *
 * A transfer is cut into naturally aligned accesses, each the widest that
 * the address alignment, the bytes left and the window's width allow.  So a
 * 1-, 2-, 4- or 8-byte transfer at an address aligned to its size is exactly
 * one readb/w/l/q (or writeb/w/l/q), and nothing is ever merged or split
 * behind the caller's back.  Data moves straight between the window and
 * the user's pages, pinned for the transfer, when the buffer is aligned
 * like the addresses, else through a kernel bounce buffer; a transfer
 * that is one register access goes through an 8-byte buffer on the stack.
 * The accesses are the same on every path, and user memory is never
 * touched while a section of the window's memory is held.
 *
 * A window's width caps the accesses; with "exact" every access must be
 * exactly that width, so a transfer must be aligned to it and a multiple
 * of it.  wb windows are memory, reached with single loads and stores.
 *
 * Bytes keep their physical-address order in the file, as with /dev/mem
 * and mmap: readl() gives the CPU-order value of little-endian device
 * memory, and put_unaligned_le32() stores it back in the device's order.
 */

#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "access.h"
#include "physwin.h"
#include "trace.h"

/*
 * Transfers up to this size use a buffer on the stack: cheaper than
 * pinning the user's pages or allocating, for registers and small blocks.
 */
#define PHYSWIN_SMALL_XFER	256
/* A transfer pins or copies this much at a time (16 KiB on 4 KiB pages). */
#define PHYSWIN_SPAN		(4 * PAGE_SIZE)

static __always_inline unsigned int physwin_access_width(u64 addr, size_t len,
							 unsigned int max_width)
{
	unsigned int width = max_width;

	while (width > 1 && (!IS_ALIGNED(addr, width) || width > len))
		width >>= 1;
	return width;
}

/**
 * physwin_trace_value() - trace one access
 * @win: window
 * @addr: physical address
 * @width: bytes
 * @value: the bytes, little-endian
 * @write: a write, else a read
 */
void physwin_trace_value(const struct physwin_window *win, u64 addr,
			 unsigned int width, u64 value, bool write)
{
	if (write)
		trace_physwin_write(win->name, addr, width, value);
	else
		trace_physwin_read(win->name, addr, width, value);
}

/* Trace one access of the bytes at @buf. */
static void physwin_trace(const struct physwin_window *win, u64 addr,
			  const u8 *buf, unsigned int width, bool write)
{
	u64 v = 0;
	int i;

	for (i = width - 1; i >= 0; i--)
		v = v << 8 | buf[i];
	physwin_trace_value(win, addr, width, v, write);
}

/*
 * One access, the k-th of a run of @w-byte accesses from @p: of an I/O
 * window, a wb window, and a buffer.  With a constant @w, as the run
 * loops below pass, each is a single access.  An I/O register's value is
 * stored in the buffer in the device's (little-endian) byte order; a wb
 * window's bytes are copied as they are.
 */
static __always_inline unsigned long physwin_io_ld(const void __iomem *p,
						   size_t k, unsigned int w)
{
	switch (w) {
#ifdef CONFIG_64BIT
	case 8:
		return readq(p + 8 * k);
#endif
	case 4:
		return readl(p + 4 * k);
	case 2:
		return readw(p + 2 * k);
	default:
		return readb(p + k);
	}
}

static __always_inline void physwin_io_st(void __iomem *p, size_t k,
					  unsigned int w, unsigned long v)
{
	switch (w) {
#ifdef CONFIG_64BIT
	case 8:
		writeq(v, p + 8 * k);
		break;
#endif
	case 4:
		writel(v, p + 4 * k);
		break;
	case 2:
		writew(v, p + 2 * k);
		break;
	default:
		writeb(v, p + k);
		break;
	}
}

static __always_inline unsigned long physwin_mem_ld(const void *p, size_t k,
						    unsigned int w)
{
	switch (w) {
#ifdef CONFIG_64BIT
	case 8:
		return READ_ONCE(((const u64 *)p)[k]);
#endif
	case 4:
		return READ_ONCE(((const u32 *)p)[k]);
	case 2:
		return READ_ONCE(((const u16 *)p)[k]);
	default:
		return READ_ONCE(((const u8 *)p)[k]);
	}
}

static __always_inline void physwin_mem_st(void *p, size_t k, unsigned int w,
					   unsigned long v)
{
	switch (w) {
#ifdef CONFIG_64BIT
	case 8:
		WRITE_ONCE(((u64 *)p)[k], v);
		break;
#endif
	case 4:
		WRITE_ONCE(((u32 *)p)[k], v);
		break;
	case 2:
		WRITE_ONCE(((u16 *)p)[k], v);
		break;
	default:
		WRITE_ONCE(((u8 *)p)[k], v);
		break;
	}
}

/* the buffer's side: device byte order for I/O (@le), else as it is */
static __always_inline unsigned long physwin_buf_ld(const u8 *p, size_t k,
						    unsigned int w, bool le)
{
	switch (w) {
#ifdef CONFIG_64BIT
	case 8:
		return le ? get_unaligned_le64(p + 8 * k) :
			    get_unaligned((const u64 *)p + k);
#endif
	case 4:
		return le ? get_unaligned_le32(p + 4 * k) :
			    get_unaligned((const u32 *)p + k);
	case 2:
		return le ? get_unaligned_le16(p + 2 * k) :
			    get_unaligned((const u16 *)p + k);
	default:
		return p[k];
	}
}

static __always_inline void physwin_buf_st(u8 *p, size_t k, unsigned int w,
					   bool le, unsigned long v)
{
	switch (w) {
#ifdef CONFIG_64BIT
	case 8:
		if (le)
			put_unaligned_le64(v, p + 8 * k);
		else
			put_unaligned((u64)v, (u64 *)p + k);
		break;
#endif
	case 4:
		if (le)
			put_unaligned_le32(v, p + 4 * k);
		else
			put_unaligned((u32)v, (u32 *)p + k);
		break;
	case 2:
		if (le)
			put_unaligned_le16(v, p + 2 * k);
		else
			put_unaligned((u16)v, (u16 *)p + k);
		break;
	default:
		p[k] = v;
		break;
	}
}

/*
 * A run moves four accesses at a time: their loads, then their stores.
 * The window sees the same accesses in the same order, and a long run
 * costs little more than a load and a store per access.  Under an
 * emulator that finds pages in a TLB indexed by address (QEMU's TCG), a
 * window page and a buffer page that share an index then cost a miss
 * per four accesses, not one per access: in some boots that had doubled
 * the time of a bulk read.
 */

/* The k-th access on the window's side: of @io if @iomem, else of @mem */
static __always_inline unsigned long physwin_dev_ld(const void __iomem *io,
						    const u8 *mem, size_t k,
						    unsigned int w, bool iomem)
{
	return iomem ? physwin_io_ld(io, k, w) : physwin_mem_ld(mem, k, w);
}

static __always_inline void physwin_dev_st(void __iomem *io, u8 *mem,
					   size_t k, unsigned int w,
					   bool iomem, unsigned long v)
{
	if (iomem)
		physwin_io_st(io, k, w, v);
	else
		physwin_mem_st(mem, k, w, v);
}

/*
 * @n accesses of @w bytes each at consecutive addresses from @io (an I/O
 * window, @iomem) or @mem (a wb window), to or from @buf; the buffer holds
 * an I/O window's values in the device's byte order.
 */
static __always_inline void physwin_run_block(void __iomem *io, u8 *mem,
					      u8 *buf, size_t n,
					      unsigned int w, bool iomem,
					      bool write)
{
	unsigned long v0, v1, v2, v3;
	size_t i = 0;

	for (; n - i >= 4; i += 4) {
		if (write) {
			v0 = physwin_buf_ld(buf, i, w, iomem);
			v1 = physwin_buf_ld(buf, i + 1, w, iomem);
			v2 = physwin_buf_ld(buf, i + 2, w, iomem);
			v3 = physwin_buf_ld(buf, i + 3, w, iomem);
			physwin_dev_st(io, mem, i, w, iomem, v0);
			physwin_dev_st(io, mem, i + 1, w, iomem, v1);
			physwin_dev_st(io, mem, i + 2, w, iomem, v2);
			physwin_dev_st(io, mem, i + 3, w, iomem, v3);
		} else {
			v0 = physwin_dev_ld(io, mem, i, w, iomem);
			v1 = physwin_dev_ld(io, mem, i + 1, w, iomem);
			v2 = physwin_dev_ld(io, mem, i + 2, w, iomem);
			v3 = physwin_dev_ld(io, mem, i + 3, w, iomem);
			physwin_buf_st(buf, i, w, iomem, v0);
			physwin_buf_st(buf, i + 1, w, iomem, v1);
			physwin_buf_st(buf, i + 2, w, iomem, v2);
			physwin_buf_st(buf, i + 3, w, iomem, v3);
		}
	}
	for (; i < n; i++) {
		if (write)
			physwin_dev_st(io, mem, i, w, iomem,
				       physwin_buf_ld(buf, i, w, iomem));
		else
			physwin_buf_st(buf, i, w, iomem,
				       physwin_dev_ld(io, mem, i, w, iomem));
	}
}

/* One loop per width and direction, each with constant arguments */
static __always_inline void physwin_run_width(void __iomem *io, u8 *mem,
					      u8 *buf, size_t n,
					      unsigned int width, bool iomem,
					      bool write)
{
	switch (width) {
#ifdef CONFIG_64BIT
	case 8:
		if (write)
			physwin_run_block(io, mem, buf, n, 8, iomem, true);
		else
			physwin_run_block(io, mem, buf, n, 8, iomem, false);
		break;
#endif
	case 4:
		if (write)
			physwin_run_block(io, mem, buf, n, 4, iomem, true);
		else
			physwin_run_block(io, mem, buf, n, 4, iomem, false);
		break;
	case 2:
		if (write)
			physwin_run_block(io, mem, buf, n, 2, iomem, true);
		else
			physwin_run_block(io, mem, buf, n, 2, iomem, false);
		break;
	default:
		if (write)
			physwin_run_block(io, mem, buf, n, 1, iomem, true);
		else
			physwin_run_block(io, mem, buf, n, 1, iomem, false);
		break;
	}
}

static void physwin_io_run(void __iomem *io, u8 *buf, size_t n,
			   unsigned int width, bool write)
{
	physwin_run_width(io, NULL, buf, n, width, true, write);
}

static void physwin_mem_run(u8 *mem, u8 *buf, size_t n, unsigned int width,
			    bool write)
{
	physwin_run_width(NULL, mem, buf, n, width, false, write);
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
 * copy_to_user() and copy_from_user() with a register's size as a
 * constant: hardened usercopy then leaves out its check of the kernel
 * buffer at run time, as for every constant-size copy, which saves a call
 * per read() or write() of a register (a tenth of its cost under an
 * emulator).  The buffer is the caller's, at least @n bytes long.
 */
static __always_inline unsigned long physwin_to_user(void __user *to,
						     const void *from, size_t n)
{
	switch (n) {
	case 1:
		return copy_to_user(to, from, 1);
	case 2:
		return copy_to_user(to, from, 2);
	case 4:
		return copy_to_user(to, from, 4);
	case 8:
		return copy_to_user(to, from, 8);
	default:
		return copy_to_user(to, from, n);
	}
}

static __always_inline unsigned long physwin_from_user(void *to,
						       const void __user *from,
						       size_t n)
{
	switch (n) {
	case 1:
		return copy_from_user(to, from, 1);
	case 2:
		return copy_from_user(to, from, 2);
	case 4:
		return copy_from_user(to, from, 4);
	case 8:
		return copy_from_user(to, from, 8);
	default:
		return copy_from_user(to, from, n);
	}
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
	size_t left = physwin_to_user(ubuf, buf, len);
	size_t done = len - left;

	while (left && !copy_to_user(ubuf + done, buf + done, 1)) {
		done++;
		left--;
	}
	return left;
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

/* Pages behind one span: PHYSWIN_SPAN, not page-aligned in user memory */
#define PHYSWIN_PIN_PAGES	(PHYSWIN_SPAN / PAGE_SIZE + 1)

/*
 * A transfer straight between the window and the user's pages, for a
 * buffer aligned like the address: pin the pages behind [@ubuf, @ubuf +
 * @len) (for writing, when they receive a read) and move the data in one
 * pass, through their kernel mappings.  A user page boundary is then a
 * physical address aligned for every width, so the accesses are those of
 * one pass over a bounce buffer; and pinned pages cannot fault, so nothing
 * stops half-way and no section of the window's memory ever waits for a
 * user page fault (which the user could make last for ever: a file on
 * their own FUSE mount).  When a page cannot be pinned (not mapped, not
 * writable for a read, or not ordinary memory) nothing is moved and 0
 * returned: the caller then goes through the bounce buffer, where faults
 * are counted exactly.  Returns the bytes moved; *@err is 0, or -ENODEV
 * when the window was revoked part-way.
 */
static size_t physwin_pinned(const struct physwin_window *win, u64 addr,
			     char __user *ubuf, size_t len, bool write,
			     int *err)
{
	struct page *pages[PHYSWIN_PIN_PAGES];
	size_t off = offset_in_page(ubuf), done = 0;
	int n = DIV_ROUND_UP(off + len, PAGE_SIZE);
	int got, i;

	*err = 0;
	got = pin_user_pages_fast((unsigned long)ubuf - off, n,
				  write ? 0 : FOLL_WRITE, pages);
	if (got != n) {
		if (got > 0)
			unpin_user_pages(pages, got);
		return 0;
	}
	for (i = 0; i < n && !*err; i++, off = 0) {
		size_t seg = min_t(size_t, PAGE_SIZE - off, len - done);
		u8 *buf = kmap_local_page(pages[i]);

		if (physwin_io(win, addr + done, buf + off, seg, write))
			*err = -ENODEV;
		else
			done += seg;
		kunmap_local(buf);
	}
	if (write)
		unpin_user_pages(pages, n);
	else
		unpin_user_pages_dirty_lock(pages, n, true);
	return done;
}

/*
 * Copy in up to @len bytes of a write and write what arrived whole: the
 * page-bounded chunks (of the physical address) that came in completely.
 * A chunk whose copy faulted is not written at all, nor anything after
 * it.  Returns the bytes written; *@err is 0, -EFAULT when the copy
 * faulted, or -ENODEV when the window was revoked.
 */
static size_t physwin_write_span(const struct physwin_window *win, u64 addr,
				 u8 *bounce, const char __user *ubuf,
				 size_t len, int *err)
{
	size_t ok = 0;

	*err = 0;
	if (physwin_from_user(bounce, ubuf, len)) {
		/*
		 * Which chunks arrive whole: copy again one at a time, since a
		 * copy that faults may count short (arm64 does, by up to a
		 * block), which would lose whole chunks before the fault.
		 */
		while (ok < len) {
			size_t chunk = physwin_chunk(addr + ok, len - ok);

			if (copy_from_user(bounce + ok, ubuf + ok, chunk)) {
				*err = -EFAULT;
				break;
			}
			ok += chunk;
		}
		len = ok;
	}
	/* one pass: chunks end on boundaries aligned for every width */
	if (len && physwin_io(win, addr, bounce, len, true)) {
		*err = -ENODEV;
		return 0;
	}
	return len;
}

/*
 * A bounce buffer of *@size bytes: @small when it is large enough, else
 * allocated, with a page as the fallback when the size asked for is not
 * there.  *@size is what it holds.  NULL when nothing could be allocated.
 */
static u8 *physwin_bounce(u8 *small, size_t small_size, size_t *size)
{
	u8 *buf;

	if (*size <= small_size)
		return small;
	buf = kmalloc(*size, GFP_KERNEL | __GFP_NOWARN);
	if (!buf && *size > PAGE_SIZE) {
		*size = PAGE_SIZE;
		buf = kmalloc(*size, GFP_KERNEL);
	}
	return buf;
}

/*
 * The next span of a transfer: up to PHYSWIN_SPAN, ending on a page
 * boundary of the physical address unless it ends the transfer (a span
 * cut anywhere else could split an access).
 */
static size_t physwin_span(u64 addr, size_t left)
{
	size_t span = min_t(size_t, left, PHYSWIN_SPAN);

	if (span < left)
		span -= offset_in_page(addr + span);
	return span;
}

/*
 * One page-bounded chunk of a read through the bounce buffer: what reached
 * @ubuf counts.  Returns that; *@err is 0, -EFAULT or -ENODEV.
 */
static size_t physwin_read_chunk(const struct physwin_window *win, u64 addr,
				 u8 *bounce, char __user *ubuf, size_t len,
				 int *err)
{
	size_t did = 0;

	*err = physwin_io(win, addr, bounce, len, false);
	if (!*err)
		did = len - physwin_copy_out(ubuf, bounce, len);
	if (did < len && !*err)
		*err = -EFAULT;
	return did;
}

/*
 * The part of a span that goes through the bounce buffer, allocated at its
 * first use into *@bounce (@small when that is enough, *@bsize its size):
 * a read one page-bounded chunk, a write as much of the span as the
 * buffer holds, ending on a page boundary.  Returns the bytes moved.
 */
static size_t physwin_bounced(const struct physwin_window *win, u64 addr,
			      char __user *ubuf, size_t span, bool write,
			      u8 *small, u8 **bounce, size_t *bsize, int *err)
{
	if (!*bounce) {
		*bounce = physwin_bounce(small, PHYSWIN_SMALL_XFER, bsize);
		if (!*bounce) {
			*err = -ENOMEM;
			return 0;
		}
	}
	if (span > *bsize || !write)
		span = physwin_chunk(addr, min(span, *bsize));
	if (write)
		return physwin_write_span(win, addr, *bounce, ubuf, span, err);
	return physwin_read_chunk(win, addr, *bounce, ubuf, span, err);
}

/*
 * The loop of read() and write(): a span at a time, stopping at a fault, a
 * revoked window or a pending signal.  A span moves straight between the
 * window and the user's pinned pages when the buffer is aligned like the
 * addresses (@direct) and the transfer is longer than the stack buffer;
 * otherwise, or when its pages cannot be pinned, through a bounce buffer:
 * a read a page-bounded chunk at a time, where what reached the buffer
 * before a fault counts; a write a span at a time, where a page-bounded
 * chunk whose copy faulted is not written at all (writing the part that
 * arrived would take narrower accesses than the caller asked for, which
 * "exact" windows and the width guarantee forbid).  Returns the bytes
 * moved; *@err says why it stopped short, if it did.
 */
static size_t physwin_xfer(const struct physwin_window *win, u64 addr,
			   char __user *ubuf, size_t count, bool direct,
			   bool write, int *err)
{
	size_t done = 0, bsize = min_t(size_t, count,
				       write ? PHYSWIN_SPAN : PAGE_SIZE);
	/*
	 * Not zeroed at every call (Debian builds with INIT_STACK_ALL_ZERO):
	 * only bytes the device or the user filled are ever passed on.
	 */
	u8 small[PHYSWIN_SMALL_XFER] __uninitialized;
	u8 *bounce = NULL;

	*err = 0;
	direct = direct && count > sizeof(small);
	while (done < count) {
		size_t span = physwin_span(addr + done, count - done), did = 0;

		if (direct)
			did = physwin_pinned(win, addr + done, ubuf + done, span,
					     write, err);
		if (!did && !*err)
			did = physwin_bounced(win, addr + done, ubuf + done, span,
					      write, small, &bounce, &bsize,
					      err);
		done += did;
		if (*err)
			break;
		if (done < count && physwin_should_stop())
			break;
	}
	if (bounce != small)
		kfree(bounce);
	return done;
}

/*
 * A read() or write() of one register: @count bytes, at most the window's
 * width, at an address aligned to it.  That is one access of @count bytes
 * on every path; this one makes it inline (access.h), as the batch call
 * does, without the copy loops' calls.  The value is in the buffer in the
 * device's byte order for I/O windows and as in memory for wb ones, as the
 * loops leave it.  Returns the bytes moved: a write's buffer that faults
 * writes nothing (-EFAULT), a read's counts what reached it, as on the
 * other path; or -ENODEV.
 */
static ssize_t physwin_rw_reg(const struct physwin_window *win, u64 addr,
			      char __user *ubuf, unsigned int count,
			      bool write)
{
	u8 b[8];
	u64 v = 0;
	size_t left;
	int idx, err = 0;

	if (write) {
		if (physwin_from_user(b, ubuf, count))
			return -EFAULT;
		v = physwin_buf_ld(b, 0, count, true);
	}
	idx = physwin_io_begin();
	if (physwin_gone(win))
		err = -ENODEV;
	else if (write)
		physwin_reg_write(win, addr, count, v);
	else
		v = physwin_reg_read(win, addr, count);
	physwin_io_end(idx);
	if (err)
		return err;
	if (write)
		return count;
	physwin_buf_st(b, 0, count, true, v);
	left = physwin_copy_out(ubuf, b, count);
	return left == count ? -EFAULT : count - left;
}

/* Whether @count bytes at @addr are one access of @win: see physwin_rw_reg() */
static bool physwin_is_reg(const struct physwin_window *win, u64 addr,
			   size_t count)
{
	return count <= win->width && is_power_of_2(count) &&
	       IS_ALIGNED(addr, count);
}

/* read() and write(): the checks, then the loop */
static ssize_t physwin_rw(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos, bool write)
{
	struct physwin *pw = physwin_from_file(file);
	const char *op = write ? "write" : "read";
	struct physwin_window *win;
	u64 addr = (u64)*ppos;
	size_t done;
	bool aligned;
	int err;

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

	if (physwin_is_reg(win, addr, count)) {
		ssize_t ret = physwin_rw_reg(win, addr, ubuf, count, write);

		if (ret < 0)
			return ret;
		done = ret;
	} else {
		/* every access's bytes then lie in one page of the buffer */
		aligned = !(((uintptr_t)ubuf - (uintptr_t)addr) &
			    (win->width - 1));
		done = physwin_xfer(win, addr, ubuf, count, aligned, write,
				    &err);
		if (!done)
			return err ?: -EFAULT;
	}
	atomic64_inc(write ? &win->writes : &win->reads);
	*ppos = (loff_t)(addr + done);
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
