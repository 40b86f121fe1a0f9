// SPDX-License-Identifier: GPL-2.0
/*
 * PHYSWIN_IOC_BATCH: a list of register operations in one call -- read,
 * write, read-modify-write under the window's lock, and poll until a
 * masked value appears -- stopping at the first failure.
 *
 * Each operation is copied in once and checked and run from that copy,
 * so that what was checked is what runs: a few at a time onto the stack,
 * in order, for a file open for reading and writing.  A file open for one
 * of the two has all of them copied in at once, and is refused the whole
 * batch with EBADF, before anything reaches the bus, when one of them
 * needs the other mode, as read() and write() are.
 */

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "access.h"
#include "physwin.h"
#include "trace.h"

static const char *const physwin_op_names[] = {
	[PHYSWIN_OP_READ] = "read",
	[PHYSWIN_OP_WRITE] = "write",
	[PHYSWIN_OP_RMW] = "rmw",
	[PHYSWIN_OP_POLL] = "poll",
};

/* A poll sleeps 10 us at first, doubling up to 1 ms between reads. */
#define PHYSWIN_POLL_MIN_US	10
#define PHYSWIN_POLL_MAX_US	1000

static bool physwin_fits(u64 v, unsigned int width)
{
	return width == 8 || !(v >> (width * 8));
}

/* BIT(PHYSWIN_OP_*) of every operation */
#define PHYSWIN_OPS_ALL		(BIT(PHYSWIN_OP_READ) | BIT(PHYSWIN_OP_WRITE) | \
				 BIT(PHYSWIN_OP_RMW) | BIT(PHYSWIN_OP_POLL))
/* those that read, and those that write (an rmw is both) */
#define PHYSWIN_OPS_READING	(BIT(PHYSWIN_OP_READ) | BIT(PHYSWIN_OP_RMW) | \
				 BIT(PHYSWIN_OP_POLL))
#define PHYSWIN_OPS_WRITING	(BIT(PHYSWIN_OP_WRITE) | BIT(PHYSWIN_OP_RMW))

/* BIT(PHYSWIN_OP_*) of the operations a file open in @mode may not do */
static u32 physwin_ops_denied(fmode_t mode)
{
	u32 denied = 0;

	if (!(mode & FMODE_READ))
		denied |= PHYSWIN_OPS_READING;
	if (!(mode & FMODE_WRITE))
		denied |= PHYSWIN_OPS_WRITING;
	return denied;
}

/*
 * A batch's reads and writes of one window, added to its counters at
 * once: an atomic operation per access would cost more than the access.
 */
struct physwin_tally {
	struct physwin_window *win;
	u64 reads;
	u64 writes;
};

static void physwin_tally_flush(struct physwin_tally *t)
{
	if (t->win) {
		atomic64_add(t->reads, &t->win->reads);
		atomic64_add(t->writes, &t->win->writes);
	}
	memset(t, 0, sizeof(*t));
}

/**
 * struct physwin_batch - one PHYSWIN_IOC_BATCH call as it runs
 * @view: what the file reaches
 * @denied: BIT(PHYSWIN_OP_*) of the operations its open mode forbids
 * @uops: the user's operations
 * @op_size: the size of each, as the user gave it
 * @done: operations completed so far
 * @t: the reads and writes not yet added to a window's counters
 * @win: the window of the last operation checked, or NULL
 * @base: its base
 * @span: its last address minus its base
 * @ok_ops: BIT(PHYSWIN_OP_*) of the operations it allows this file; 0
 *	while @win is NULL
 * @ok_widths: BIT(width) of the widths it allows
 *
 * Consecutive operations are mostly in one window: physwin_op_fast()
 * checks one against the window before in a few instructions, and
 * physwin_op_check() does the full check, with the error, otherwise.
 */
struct physwin_batch {
	struct physwin_view *view;
	u32 denied;
	u8 __user *uops;
	u32 op_size;
	u32 done;
	struct physwin_tally t;
	struct physwin_window *win;
	u64 base;
	u64 span;
	u32 ok_ops;
	u32 ok_widths;
};

/* Make @win the window that physwin_op_fast() checks against */
static void physwin_batch_window(struct physwin_batch *b,
				 struct physwin_window *win)
{
	unsigned int w;

	b->win = win;
	b->base = win->base;
	b->span = win->last - win->base;
	b->ok_ops = PHYSWIN_OPS_ALL & ~b->denied;
	if (win->flags & PHYSWIN_WIN_RO)
		b->ok_ops &= ~PHYSWIN_OPS_WRITING;
	b->ok_widths = 0;
	for (w = 1; w <= win->width; w *= 2)
		if (!(win->flags & PHYSWIN_WIN_EXACT) || w == win->width)
			b->ok_widths |= BIT(w);
}

/*
 * Whether @op may run in b->win, in one pass with few branches.  False
 * means only that physwin_op_check() must decide.  Any bit of op and
 * width above 15 fails; bits 1, 2, 4 and 8 of ok_widths are the valid
 * widths; @wm keeps the low @w bytes (for w in 1..8; for any other, the
 * width test fails anyway).  The mask must fit even for a write, which
 * ignores it: such a write is only checked the long way.
 *
 * It must refuse all that physwin_op_check() refuses: a rule added there
 * needs its counterpart here or in physwin_batch_window().
 */
static __always_inline bool physwin_op_fast(const struct physwin_batch *b,
					    const struct physwin_op *op)
{
	u64 off = op->addr - b->base;
	u32 w = op->width;
	u64 wm = ~0ULL >> ((64 - 8 * w) & 63);

	return !(op->reserved | ((op->op | w) & ~15U)) &&
	       ((b->ok_ops >> op->op) & (b->ok_widths >> w) & 1) &&
	       !((op->addr & (w - 1)) | ((op->value | op->mask) & ~wm)) &&
	       off <= b->span && b->span - off >= w - 1;
}

/*
 * Whether @op may run, in full, with the error that says why not; on
 * success b->win is its window.  It is found from the window before
 * without a search when it holds the address.  A rule added here needs
 * its counterpart in physwin_op_fast() or physwin_batch_window().
 */
static noinline int physwin_op_check(struct physwin_batch *b,
				     const struct physwin_op *op)
{
	struct physwin_view *view = b->view;
	struct physwin_window *win = b->win;
	const char *name;
	unsigned int w = op->width;

	/* one test each: op - READ wraps below READ; bits 1, 2, 4, 8 */
	if (op->reserved || op->op - PHYSWIN_OP_READ > PHYSWIN_OP_POLL - PHYSWIN_OP_READ)
		return -EINVAL;
	if (w > 8 || !((BIT(1) | BIT(2) | BIT(4) | BIT(8)) >> w & 1))
		return -EINVAL;
	if (!physwin_fits(op->value, w) ||
	    (op->op >= PHYSWIN_OP_RMW && !physwin_fits(op->mask, w)))
		return -EINVAL;

	name = physwin_op_names[op->op];
	/* never, as batches run: physwin_batch_run_whole() checked first */
	if (BIT(op->op) & b->denied)
		return physwin_deny(view->pw, physwin_view_find(view, op->addr),
				    name, op->addr, -EBADF);
	/* the window before is one this view reaches */
	if (!win || op->addr < win->base || op->addr > win->last)
		win = physwin_view_find(view, op->addr);
	if (!win)
		return physwin_deny(view->pw, NULL, name, op->addr, -EPERM);
	/* written so that an address near 2^64 cannot wrap */
	if (w - 1 > win->last - op->addr)
		return physwin_deny(view->pw, win, name, op->addr, -EPERM);
	if (!IS_ALIGNED(op->addr, w) || w > win->width ||
	    ((win->flags & PHYSWIN_WIN_EXACT) && w != win->width))
		return physwin_deny(view->pw, win, name, op->addr, -EINVAL);
	if ((BIT(op->op) & PHYSWIN_OPS_WRITING) && (win->flags & PHYSWIN_WIN_RO))
		return physwin_deny(view->pw, win, name, op->addr, -EACCES);
	if (win != b->win)
		physwin_batch_window(b, win);
	return 0;
}

/* One read of a poll, or -ENODEV when the window was revoked meanwhile. */
static int physwin_poll_read(struct physwin_window *win, struct physwin_op *op)
{
	int idx = physwin_io_begin();
	int ret = -ENODEV;

	if (!physwin_gone(win)) {
		op->result = physwin_reg_read(win, op->addr, op->width);
		atomic64_inc(&win->reads);
		ret = 0;
	}
	physwin_io_end(idx);
	return ret;
}

/*
 * Read until the masked value appears or the time is up, sleeping
 * interruptibly in between with a bounded backoff: a long poll shows as a
 * sleeping task, not one in D state, and a signal ends it with -EINTR.
 * Each read is its own section, so a revocation never waits for a poll.
 */
static int physwin_op_poll(struct physwin_window *win, struct physwin_op *op)
{
	ktime_t now, deadline = ktime_add_us(ktime_get(), op->timeout_us);
	u64 delay = PHYSWIN_POLL_MIN_US;
	int err;

	for (;;) {
		ktime_t wake;

		err = physwin_poll_read(win, op);
		if (err)
			return err;
		if ((op->result & op->mask) == op->value)
			return 0;
		now = ktime_get();
		if (ktime_after(now, deadline))
			return -ETIMEDOUT;
		if (signal_pending(current))
			return -EINTR;
		wake = ktime_add_us(now, delay);
		if (ktime_after(wake, deadline))
			wake = deadline;
		set_current_state(TASK_INTERRUPTIBLE);
		schedule_hrtimeout_range(&wake, (delay * NSEC_PER_USEC) >> 2,
					 HRTIMER_MODE_ABS);
		delay = min_t(u64, delay * 2, PHYSWIN_POLL_MAX_US);
	}
}

/* A read-modify-write, under the window's lock so that two never interleave */
static noinline void physwin_op_rmw(struct physwin_window *win,
				    struct physwin_op *op)
{
	u64 v;

	spin_lock(&win->lock);
	v = physwin_reg_read(win, op->addr, op->width);
	physwin_reg_write(win, op->addr, op->width,
			  (v & ~op->mask) | (op->value & op->mask));
	spin_unlock(&win->lock);
	op->result = v;
}

/* The physwin_batch event of @op, which ended with @err */
static noinline void physwin_op_trace(const struct physwin_window *win,
				      const struct physwin_op *op, int err)
{
	trace_physwin_batch(win->name, physwin_op_names[op->op], op->addr,
			    op->width, op->value, op->mask, op->result, err);
}

/* Count one access of @win in @t */
static __always_inline void physwin_tally_add(struct physwin_tally *t,
					      struct physwin_window *win,
					      bool write)
{
	if (unlikely(t->win != win)) {
		physwin_tally_flush(t);
		t->win = win;
	}
	if (write)
		t->writes++;
	else
		t->reads++;
}

/*
 * Between two operations: yield, and stop for a fatal signal.  Both tests
 * are inline, and cheaper than the call of cond_resched().
 */
static inline bool physwin_batch_killed(void)
{
	if (need_resched())
		cond_resched();
	return fatal_signal_pending(current);
}

/*
 * Copy in up to @n operations of @op_size bytes each.  Returns how many
 * arrived; *@err is 0, or the error of the first that did not (those
 * before it still run, as they always have).  Operations of today's size
 * come in one copy; larger ones one at a time, their tails checked.
 */
static u32 physwin_ops_copy_in(struct physwin_op *ops, const u8 __user *uops,
			       u32 n, u32 op_size, int *err)
{
	u32 i;

	*err = 0;
	if (op_size == sizeof(*ops)) {
		if (!copy_from_user(ops, uops, (size_t)n * sizeof(*ops)))
			return n;
		/* which one faulted: copy again, one at a time */
	}
	for (i = 0; i < n; i++) {
		*err = copy_struct_from_user(&ops[i], sizeof(ops[i]),
					     uops + (size_t)i * op_size,
					     op_size);
		if (*err)
			break;
		/* up to PHYSWIN_BATCH_MAX pages of trailing bytes to check */
		if (op_size > sizeof(ops[i]))
			cond_resched();
	}
	return i;
}

/* physwin_put_result() when writing with page faults disabled faulted */
static noinline int physwin_put_result_slow(u64 v, u64 __user *res, int *idx)
	__must_hold(&physwin_srcu)
{
	int ret;

	physwin_io_end(*idx);
	ret = put_user(v, res);
	*idx = physwin_io_begin();
	return ret ? -EFAULT : 0;
}

/*
 * Write a result from inside the caller's section, with page faults
 * disabled; if that faults, leave the section, write it where the fault
 * is served, and enter a new one (its index in *@idx).
 */
static __always_inline int physwin_put_result(u64 v, u64 __user *res,
					      int *idx)
	__must_hold(&physwin_srcu)
{
	int ret;

	pagefault_disable();
	ret = put_user(v, res);
	pagefault_enable();
	return unlikely(ret) ? physwin_put_result_slow(v, res, idx) : 0;
}

/* Where operation @i's result goes in the user's array */
static u64 __user *physwin_uresult(struct physwin_batch *b, u32 i)
{
	u8 __user *uop = b->uops + (size_t)i * b->op_size;

	return &((struct physwin_op __user *)uop)->result;
}

/*
 * Run poll @op of @b, outside any section of the windows' memory: it
 * sleeps, and makes a section per read.  Returns 0 when it completed.
 */
static noinline int physwin_op_run_poll(struct physwin_batch *b,
					struct physwin_op *op)
{
	int err;

	physwin_tally_flush(&b->t);
	if (b->done && physwin_batch_killed())
		return -EINTR;
	err = physwin_op_check(b, op);
	if (err)
		return err;
	err = physwin_op_poll(b->win, op);
	if (trace_physwin_batch_enabled())
		physwin_op_trace(b->win, op, err);
	/* a poll that timed out tells its last value too */
	if ((!err || err == -ETIMEDOUT) &&
	    put_user(op->result, physwin_uresult(b, b->done)))
		err = -EFAULT;
	if (!err)
		b->done++;
	return err;
}

/*
 * The loop of every register access a batch makes sits alone in a
 * section aligned to PHYSWIN_HOT_ALIGN and no larger, so that it never
 * spans two pages: an emulator such as QEMU's TCG, where FPGA and SoC
 * models often run, chains translated code directly only within a page,
 * and looks up every jump across one (about a fifth of the cost of an
 * operation).  Everything rare is out of line.  scripts/static-check.sh
 * checks the size in the builds it makes; past it, only speed suffers.
 */
#define PHYSWIN_HOT_ALIGN	2048

/*
 * Run @ops, the next @n operations of @b, in order; returns 0 when all
 * completed, else why it stopped (b->done says where).  Consecutive
 * operations other than polls share one section of the windows' memory
 * (entering one costs more than a register access), so a revocation
 * waits for at most such a run; a poll is never in one.  A result is
 * written back with page faults disabled inside a section: a revocation
 * must never wait for a user page fault, which the user can make last
 * for ever (a FUSE file, say).  One that faults is written again outside
 * it, before the next operation runs.  A write has no result.
 */
static noinline int __section(".text.physwin_hot") __aligned(PHYSWIN_HOT_ALIGN)
physwin_ops_run(struct physwin_batch *b, struct physwin_op *op, u32 n)
{
	struct physwin_op *end = op + n;
	struct physwin_window *win;
	int idx, err = 0;

	while (op < end && !err) {
		if (op->op == PHYSWIN_OP_POLL) {
			err = physwin_op_run_poll(b, op++);
			continue;
		}
		idx = physwin_io_begin();
		for (; op < end && op->op != PHYSWIN_OP_POLL; op++) {
			if (b->done && physwin_batch_killed()) {
				err = -EINTR;
				break;
			}
			if (unlikely(!physwin_op_fast(b, op))) {
				err = physwin_op_check(b, op);
				if (err)
					break;
			}
			win = b->win;
			if (unlikely(physwin_gone(win)))
				err = -ENODEV;
			else if (op->op == PHYSWIN_OP_WRITE)
				physwin_reg_write(win, op->addr, op->width,
						  op->value);
			else if (op->op == PHYSWIN_OP_READ)
				op->result = physwin_reg_read(win, op->addr,
							      op->width);
			else
				physwin_op_rmw(win, op);
			if (trace_physwin_batch_enabled())
				physwin_op_trace(win, op, err);
			if (err)
				break;
			physwin_tally_add(&b->t, win,
					  op->op != PHYSWIN_OP_READ);
			if (op->op != PHYSWIN_OP_WRITE) {
				err = physwin_put_result(op->result,
							 physwin_uresult(b, b->done),
							 &idx);
				if (err)
					break;
			}
			b->done++;
		}
		physwin_io_end(idx);
	}
	return err;
}

/*
 * Operations copied in at a time, onto the stack (768 bytes): no
 * allocation, and so no zeroing of one (init_on_alloc), at every call.
 * Half as many cost 12 ns an operation more under TCG.
 */
#define PHYSWIN_BATCH_CHUNK	16

/*
 * Copy in and run the @nr operations of @b, PHYSWIN_BATCH_CHUNK at a
 * time, each copied once and run from that copy.  Returns 0 when all
 * completed, else why the batch stopped.
 */
static int physwin_batch_run(struct physwin_batch *b, u32 nr)
{
	struct physwin_op ops[PHYSWIN_BATCH_CHUNK] __uninitialized;
	u32 got;
	int err, copy_err;

	/* armhf warns from a 1024-byte frame */
	BUILD_BUG_ON(sizeof(ops) > 768);
	do {
		got = physwin_ops_copy_in(ops, b->uops +
					  (size_t)b->done * b->op_size,
					  min_t(u32, nr - b->done,
						PHYSWIN_BATCH_CHUNK),
					  b->op_size, &copy_err);
		err = physwin_ops_run(b, ops, got);
		if (!err)
			err = copy_err;
	} while (!err && b->done < nr);
	return err;
}

/*
 * A file open for reading or writing only: all @nr operations of @b are
 * copied in at once, as they were at the call, and if one that arrived
 * needs the other mode the batch is refused with -EBADF, logged as every
 * refusal, before any runs; else they run from that copy.  Returns 0
 * when all completed, else why the batch stopped.
 */
static int physwin_batch_run_whole(struct physwin_batch *b, u32 nr)
{
	struct physwin_op *ops;
	u32 got, i;
	int err, copy_err;

	ops = kvmalloc_array(nr, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	got = physwin_ops_copy_in(ops, b->uops, nr, b->op_size, &copy_err);
	for (i = 0; i < got; i++)
		if (ops[i].op - PHYSWIN_OP_READ <= PHYSWIN_OP_POLL - PHYSWIN_OP_READ &&
		    (BIT(ops[i].op) & b->denied))
			break;
	if (i < got) {
		err = physwin_deny(b->view->pw,
				   physwin_view_find(b->view, ops[i].addr),
				   physwin_op_names[ops[i].op], ops[i].addr,
				   -EBADF);
	} else {
		err = physwin_ops_run(b, ops, got);
		if (!err)
			err = copy_err;
	}
	kvfree(ops);
	return err;
}

/**
 * physwin_ioctl_batch() - PHYSWIN_IOC_BATCH
 * @file: open device; its open mode must allow every operation
 * @uarg: user pointer to struct physwin_batch_req
 *
 * Operations run in order; the batch stops at the first that fails.  Each
 * completed operation's result is written back, and so is the last value
 * of a poll that timed out.  nr_done and error tell where it stopped.
 * Between operations the task yields, and a fatal signal ends the batch.
 *
 * Return: 0 when every operation completed, else the failed operation's
 * negative errno; for the batch itself -EFAULT, -EINVAL, -E2BIG (a
 * structure larger than a page), -ENOMEM, or -EBADF when an operation
 * needs an open mode the file lacks (then nothing runs).
 */
long physwin_ioctl_batch(struct file *file, void __user *uarg)
{
	struct physwin_batch b = {
		.view = physwin_view(file),
		.denied = physwin_ops_denied(file->f_mode),
	};
	struct physwin_batch_req req;
	u32 usize;
	int ret, err;

	ret = physwin_get_arg(&req, sizeof(req),
			      offsetofend(struct physwin_batch_req, reserved),
			      uarg, &usize);
	if (ret)
		return ret;
	if (req.reserved0 || memchr_inv(req.reserved, 0, sizeof(req.reserved)) ||
	    !req.nr_ops || req.nr_ops > PHYSWIN_BATCH_MAX ||
	    req.op_size < sizeof(struct physwin_op))
		return -EINVAL;
	if (req.op_size > PAGE_SIZE)
		return -E2BIG;

	b.uops = u64_to_user_ptr(req.ops);
	b.op_size = req.op_size;
	if (b.denied)
		err = physwin_batch_run_whole(&b, req.nr_ops);
	else
		err = physwin_batch_run(&b, req.nr_ops);
	physwin_tally_flush(&b.t);

	req.nr_done = b.done;
	req.error = err;
	ret = physwin_put_arg(uarg, &req, sizeof(req), usize);
	return err ?: ret;
}
