/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One register access of a window, inline.  The batch call makes one per
 * operation, where a function call and return cost more than the access,
 * and so do read() and write() of one register (physwin_rw_reg()); longer
 * transfers use the loops of rw.c.  The value is little-endian
 * as readb/w/l/q see it, for I/O and wb windows alike: a wb window's
 * bytes are the device's bytes in address order.
 */
#ifndef PHYSWIN_ACCESS_H
#define PHYSWIN_ACCESS_H

#include <linux/io.h>

#include "physwin.h"
#include "trace.h"

void physwin_trace_value(const struct physwin_window *win, u64 addr,
			 unsigned int width, u64 value, bool write);

/* Whether either access event is on: then every access is traced. */
static inline bool physwin_tracing(void)
{
	return trace_physwin_read_enabled() || trace_physwin_write_enabled();
}

/**
 * physwin_reg_read() - one access of @width bytes, as a register value
 * @win: window containing [@addr, @addr + @width)
 * @addr: physical address aligned to @width
 * @width: 1, 2, 4 or 8, at most the window's width
 *
 * Return: the value.
 */
static __always_inline u64 physwin_reg_read(const struct physwin_window *win,
					    u64 addr, unsigned int width)
{
	u64 off = addr - win->base;
	u64 v;

	if (win->mem) {
		const void *p = win->mem + off;

		switch (width) {
#ifdef CONFIG_64BIT
		case 8:
			v = le64_to_cpu((__force __le64)READ_ONCE(*(const u64 *)p));
			break;
#endif
		case 4:
			v = le32_to_cpu((__force __le32)READ_ONCE(*(const u32 *)p));
			break;
		case 2:
			v = le16_to_cpu((__force __le16)READ_ONCE(*(const u16 *)p));
			break;
		default:
			v = READ_ONCE(*(const u8 *)p);
			break;
		}
	} else {
		const void __iomem *io = win->virt + off;

		switch (width) {
#ifdef CONFIG_64BIT
		case 8:
			v = readq(io);
			break;
#endif
		case 4:
			v = readl(io);
			break;
		case 2:
			v = readw(io);
			break;
		default:
			v = readb(io);
			break;
		}
	}
	if (physwin_tracing())
		physwin_trace_value(win, addr, width, v, false);
	return v;
}

/**
 * physwin_reg_write() - one access of @width bytes
 * @win: window containing [@addr, @addr + @width)
 * @addr: physical address aligned to @width
 * @width: 1, 2, 4 or 8, at most the window's width
 * @value: the value, which fits @width
 */
static __always_inline void physwin_reg_write(const struct physwin_window *win,
					      u64 addr, unsigned int width,
					      u64 value)
{
	u64 off = addr - win->base;

	if (win->mem) {
		void *p = win->mem + off;

		switch (width) {
#ifdef CONFIG_64BIT
		case 8:
			WRITE_ONCE(*(u64 *)p, (__force u64)cpu_to_le64(value));
			break;
#endif
		case 4:
			WRITE_ONCE(*(u32 *)p, (__force u32)cpu_to_le32(value));
			break;
		case 2:
			WRITE_ONCE(*(u16 *)p, (__force u16)cpu_to_le16(value));
			break;
		default:
			WRITE_ONCE(*(u8 *)p, value);
			break;
		}
	} else {
		void __iomem *io = win->virt + off;

		switch (width) {
#ifdef CONFIG_64BIT
		case 8:
			writeq(value, io);
			break;
#endif
		case 4:
			writel(value, io);
			break;
		case 2:
			writew(value, io);
			break;
		default:
			writeb(value, io);
			break;
		}
	}
	if (physwin_tracing())
		physwin_trace_value(win, addr, width, value, true);
}

#endif /* PHYSWIN_ACCESS_H */
