// SPDX-License-Identifier: GPL-2.0
/*
 * PHYSWIN_IOC_BATCH: a list of register operations in one call -- read,
 * write, read-modify-write under the window's lock, and poll until a
 * masked value appears -- stopping at the first failure.
 */

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "physwin.h"
#include "trace.h"

static const char *const physwin_op_names[] = {
	[PHYSWIN_OP_READ] = "read",
	[PHYSWIN_OP_WRITE] = "write",
	[PHYSWIN_OP_RMW] = "rmw",
	[PHYSWIN_OP_POLL] = "poll",
};

static bool physwin_fits(u64 v, unsigned int width)
{
	return width == 8 || !(v >> (width * 8));
}

/* Whether @op may run, and in which window. */
static int physwin_op_check(struct physwin_view *view,
			    const struct physwin_op *op,
			    struct physwin_window **winp)
{
	struct physwin_window *win;
	const char *name;
	unsigned int w = op->width;

	if (op->reserved || op->op < PHYSWIN_OP_READ || op->op > PHYSWIN_OP_POLL)
		return -EINVAL;
	if (w != 1 && w != 2 && w != 4 && w != 8)
		return -EINVAL;
	if (!physwin_fits(op->value, w) ||
	    (op->op >= PHYSWIN_OP_RMW && !physwin_fits(op->mask, w)))
		return -EINVAL;

	name = physwin_op_names[op->op];
	win = physwin_view_find(view, op->addr);
	if (!win)
		return physwin_deny(view->pw, NULL, name, op->addr, -EPERM);
	if (op->addr + w - 1 > win->last)
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

static int physwin_op_poll(struct physwin_window *win, struct physwin_op *op)
{
	ktime_t deadline = ktime_add_us(ktime_get(), op->timeout_us);

	for (;;) {
		op->result = physwin_reg_read(win, op->addr, op->width);
		atomic64_inc(&win->reads);
		if ((op->result & op->mask) == op->value)
			return 0;
		if (ktime_after(ktime_get(), deadline))
			return -ETIMEDOUT;
		if (signal_pending(current))
			return -EINTR;
		usleep_range(10, 50);
	}
}

static int physwin_op_run(struct physwin_window *win, struct physwin_op *op)
{
	u64 v;

	switch (op->op) {
	case PHYSWIN_OP_READ:
		op->result = physwin_reg_read(win, op->addr, op->width);
		atomic64_inc(&win->reads);
		return 0;
	case PHYSWIN_OP_WRITE:
		physwin_reg_write(win, op->addr, op->width, op->value);
		atomic64_inc(&win->writes);
		return 0;
	case PHYSWIN_OP_RMW:
		spin_lock(&win->lock);
		v = physwin_reg_read(win, op->addr, op->width);
		physwin_reg_write(win, op->addr, op->width,
				  (v & ~op->mask) | (op->value & op->mask));
		spin_unlock(&win->lock);
		op->result = v;
		atomic64_inc(&win->writes);
		return 0;
	default:
		return physwin_op_poll(win, op);
	}
}

/**
 * physwin_ioctl_batch() - PHYSWIN_IOC_BATCH
 * @view: what the open file reaches
 * @uarg: user pointer to struct physwin_batch_req
 *
 * Operations run in order; the batch stops at the first that fails.  Each
 * completed operation's result is written back, and so is the last value
 * of a poll that timed out.  nr_done and error tell where it stopped.
 *
 * Return: 0 when every operation completed, else the failed operation's
 * negative errno (or -EFAULT, -EINVAL for the batch itself).
 */
long physwin_ioctl_batch(struct physwin_view *view, void __user *uarg)
{
	struct physwin_batch_req b;
	struct physwin_op op;
	u8 __user *uops;
	u32 usize, i;
	int ret, err = 0;

	ret = physwin_get_arg(&b, sizeof(b),
			      offsetofend(struct physwin_batch_req, reserved),
			      uarg, &usize);
	if (ret)
		return ret;
	if (b.reserved0 || memchr_inv(b.reserved, 0, sizeof(b.reserved)) ||
	    !b.nr_ops || b.nr_ops > PHYSWIN_BATCH_MAX ||
	    b.op_size < sizeof(struct physwin_op))
		return -EINVAL;

	uops = u64_to_user_ptr(b.ops);
	for (i = 0; i < b.nr_ops; i++) {
		struct physwin_op __user *uop =
			(struct physwin_op __user *)(uops + (size_t)i * b.op_size);
		struct physwin_window *win;

		err = copy_struct_from_user(&op, sizeof(op), uop, b.op_size);
		if (!err)
			err = physwin_op_check(view, &op, &win);
		if (!err) {
			err = physwin_op_run(win, &op);
			trace_physwin_batch(win->name, physwin_op_names[op.op],
					    op.addr, op.width, op.value, op.mask,
					    op.result, err);
		}
		if ((!err || err == -ETIMEDOUT) &&
		    put_user(op.result, &uop->result))
			err = -EFAULT;
		if (err)
			break;
	}

	b.nr_done = i;
	b.error = err;
	ret = physwin_put_arg(uarg, &b, sizeof(b), usize);
	return err ?: ret;
}
