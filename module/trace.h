/* SPDX-License-Identifier: GPL-2.0 */
/*
 * physwin tracepoints: every bus access of read() and write(), and every
 * batch operation, with window, address, width and value.  Enable with
 * "echo 1 > /sys/kernel/tracing/events/physwin/enable" or perf -e physwin:*.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM physwin

#if !defined(PHYSWIN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define PHYSWIN_TRACE_H

#include <linux/tracepoint.h>

#include "compat.h"

DECLARE_EVENT_CLASS(physwin_access,
		    TP_PROTO(const char *window, u64 addr, unsigned int width,
			     u64 value),
		    TP_ARGS(window, addr, width, value),
		    TP_STRUCT__entry(__string(window, window)
				     __field(u64, addr)
				     __field(unsigned int, width)
				     __field(u64, value)),
		    TP_fast_assign(physwin_assign_str(window, window);
				   __entry->addr = addr;
				   __entry->width = width;
				   __entry->value = value;),
		    TP_printk("window=%s addr=%#llx width=%u value=%#llx",
			      __get_str(window), __entry->addr,
			      __entry->width, __entry->value));

DEFINE_EVENT(physwin_access, physwin_read,
	     TP_PROTO(const char *window, u64 addr, unsigned int width,
		      u64 value),
	     TP_ARGS(window, addr, width, value));

DEFINE_EVENT(physwin_access, physwin_write,
	     TP_PROTO(const char *window, u64 addr, unsigned int width,
		      u64 value),
	     TP_ARGS(window, addr, width, value));

TRACE_EVENT(physwin_batch,
	    TP_PROTO(const char *window, const char *op, u64 addr,
		     unsigned int width, u64 value, u64 mask, u64 result,
		     int err),
	    TP_ARGS(window, op, addr, width, value, mask, result, err),
	    TP_STRUCT__entry(__string(window, window)
			     __string(op, op)
			     __field(u64, addr)
			     __field(unsigned int, width)
			     __field(u64, value)
			     __field(u64, mask)
			     __field(u64, result)
			     __field(int, err)),
	    TP_fast_assign(physwin_assign_str(window, window);
			   physwin_assign_str(op, op);
			   __entry->addr = addr;
			   __entry->width = width;
			   __entry->value = value;
			   __entry->mask = mask;
			   __entry->result = result;
			   __entry->err = err;),
	    TP_printk("window=%s op=%s addr=%#llx width=%u value=%#llx mask=%#llx result=%#llx err=%d",
		      __get_str(window), __get_str(op), __entry->addr,
		      __entry->width, __entry->value, __entry->mask,
		      __entry->result, __entry->err));

#endif /* PHYSWIN_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
