// SPDX-License-Identifier: GPL-2.0
/*
 * PHYSWIN_IOC_BATCH: a list of register operations in one call -- read,
 * write, read-modify-write under the window's lock, and poll until a
 * masked value appears -- stopping at the first failure.
 *
 * The operations are copied in once, before any runs, so that what was
 * checked is what runs; and the whole batch is refused with EBADF when the
 * file was not opened for what its operations do, as read() and write()
 * are, before anything reaches the bus.
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

/* The open modes operation @op needs: FMODE_READ, FMODE_WRITE or both. */
static fmode_t physwin_op_fmode(u32 op)
{
	switch (op) {
	case PHYSWIN_OP_READ:
	case PHYSWIN_OP_POLL:
		return FMODE_READ;
	case PHYSWIN_OP_WRITE:
		return FMODE_WRITE;
	case PHYSWIN_OP_RMW:
		return FMODE_READ | FMODE_WRITE;
	default:
		return 0;	/* refused on its own with EINVAL */
	}
}

/*
 * Whether @op may run, and in which window.  *@winp is the window of the
 * operation before, or NULL: consecutive operations are mostly in one
 * window, found then without a search.
 */
static __always_inline int physwin_op_check(struct physwin_view *view,
					    const struct physwin_op *op,
					    struct physwin_window **winp)
{
	struct physwin_window *win = *winp;
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
	if ((op->op == PHYSWIN_OP_WRITE || op->op == PHYSWIN_OP_RMW) &&
	    (win->flags & PHYSWIN_WIN_RO))
		return physwin_deny(view->pw, win, name, op->addr, -EACCES);
	*winp = win;
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

/* One access of a read, write or rmw, in a section of the window's memory. */
static __always_inline void physwin_op_access(struct physwin_window *win,
					      struct physwin_op *op,
					      struct physwin_tally *t)
{
	u64 v;

	if (t->win != win) {
		physwin_tally_flush(t);
		t->win = win;
	}
	switch (op->op) {
	case PHYSWIN_OP_READ:
		op->result = physwin_reg_read(win, op->addr, op->width);
		t->reads++;
		break;
	case PHYSWIN_OP_WRITE:
		physwin_reg_write(win, op->addr, op->width, op->value);
		t->writes++;
		break;
	default:	/* PHYSWIN_OP_RMW */
		spin_lock(&win->lock);
		v = physwin_reg_read(win, op->addr, op->width);
		physwin_reg_write(win, op->addr, op->width,
				  (v & ~op->mask) | (op->value & op->mask));
		spin_unlock(&win->lock);
		op->result = v;
		t->writes++;
		break;
	}
}

/*
 * Check and run one operation.  A read, write or rmw runs in the section
 * of the windows' memory that the caller holds; a poll is called outside
 * it (it sleeps, and makes a section per read).
 */
static __always_inline int physwin_op_one(struct physwin_view *view,
					  struct physwin_op *op,
					  struct physwin_tally *t)
{
	struct physwin_window *win = t->win;
	int err;

	err = physwin_op_check(view, op, &win);
	if (!err) {
		if (op->op == PHYSWIN_OP_POLL)
			err = physwin_op_poll(win, op);
		else if (physwin_gone(win))
			err = -ENODEV;
		else
			physwin_op_access(win, op, t);
		trace_physwin_batch(win->name, physwin_op_names[op->op],
				    op->addr, op->width, op->value, op->mask,
				    op->result, err);
	}
	return err;
}

/* Whether @op's result goes back: a write has none; a timed-out poll its last. */
static bool physwin_op_has_result(const struct physwin_op *op, int err)
{
	return (!err || err == -ETIMEDOUT) && op->op != PHYSWIN_OP_WRITE;
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

/* Operation @i of the user's array, for its result */
static struct physwin_op __user *physwin_uop(u8 __user *uops, u32 op_size,
					     u32 i)
{
	return (struct physwin_op __user *)(uops + (size_t)i * op_size);
}

/*
 * Write a result from inside the caller's section, with page faults
 * disabled; if that faults, leave the section, write it where the fault
 * is served, and enter a new one (its index in *@idx).
 */
static int physwin_put_result(u64 v, u64 __user *res, int *idx)
	__must_hold(&physwin_srcu)
{
	int ret;

	pagefault_disable();
	ret = put_user(v, res);
	pagefault_enable();
	if (ret) {
		physwin_io_end(*idx);
		ret = put_user(v, res);
		*idx = physwin_io_begin();
	}
	return ret ? -EFAULT : 0;
}

/*
 * Run @ops in order; returns how many completed, *@err why it stopped.
 * Consecutive operations other than polls share one section of the
 * windows' memory (entering one costs more than a register access), so a
 * revocation waits for at most such a run; a poll is never in one.  A
 * result is written back with page faults disabled inside a section: a
 * revocation must never wait for a user page fault, which the user can
 * make last for ever (a FUSE file, say).  One that faults is written
 * again outside it, before the next operation runs.
 */
static u32 physwin_ops_run(struct physwin_view *view, struct physwin_op *ops,
			   u32 n, u8 __user *uops, u32 op_size, int *err)
{
	struct physwin_tally t = { };
	u32 i = 0;
	int idx;

	*err = 0;
	while (i < n && !*err) {
		if (ops[i].op == PHYSWIN_OP_POLL) {
			physwin_tally_flush(&t);
			if (i && physwin_batch_killed()) {
				*err = -EINTR;
				break;
			}
			*err = physwin_op_one(view, &ops[i], &t);
			if (physwin_op_has_result(&ops[i], *err) &&
			    put_user(ops[i].result,
				     &physwin_uop(uops, op_size, i)->result))
				*err = -EFAULT;
			if (!*err)
				i++;
			continue;
		}
		idx = physwin_io_begin();
		for (; i < n && ops[i].op != PHYSWIN_OP_POLL; i++) {
			u64 __user *res = &physwin_uop(uops, op_size, i)->result;

			if (i && physwin_batch_killed()) {
				*err = -EINTR;
				break;
			}
			*err = physwin_op_one(view, &ops[i], &t);
			if (physwin_op_has_result(&ops[i], *err))
				*err = physwin_put_result(ops[i].result, res,
							  &idx);
			if (*err)
				break;
		}
		physwin_io_end(idx);
	}
	physwin_tally_flush(&t);
	return i;
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
	struct physwin_view *view = physwin_view(file);
	fmode_t need = 0;
	struct physwin_batch_req b;
	struct physwin_op *ops;
	u32 usize, n, i;
	int ret, err, copy_err;

	ret = physwin_get_arg(&b, sizeof(b),
			      offsetofend(struct physwin_batch_req, reserved),
			      uarg, &usize);
	if (ret)
		return ret;
	if (b.reserved0 || memchr_inv(b.reserved, 0, sizeof(b.reserved)) ||
	    !b.nr_ops || b.nr_ops > PHYSWIN_BATCH_MAX ||
	    b.op_size < sizeof(struct physwin_op))
		return -EINVAL;
	if (b.op_size > PAGE_SIZE)
		return -E2BIG;

	ops = kvmalloc_array(b.nr_ops, sizeof(*ops), GFP_KERNEL);
	if (!ops)
		return -ENOMEM;
	n = physwin_ops_copy_in(ops, u64_to_user_ptr(b.ops), b.nr_ops,
				b.op_size, &copy_err);

	for (i = 0; i < n; i++) {
		need = physwin_op_fmode(ops[i].op);
		if (need & ~file->f_mode)
			break;
	}
	if (i < n) {
		/* counted and logged as every refusal, at the first such op */
		b.nr_done = 0;
		err = physwin_deny(view->pw,
				   physwin_view_find(view, ops[i].addr),
				   physwin_op_names[ops[i].op], ops[i].addr,
				   -EBADF);
	} else {
		b.nr_done = physwin_ops_run(view, ops, n,
					    u64_to_user_ptr(b.ops),
					    b.op_size, &err);
		if (!err && n < b.nr_ops)
			err = copy_err;
	}
	kvfree(ops);

	b.error = err;
	ret = physwin_put_arg(uarg, &b, sizeof(b), usize);
	return err ?: ret;
}
