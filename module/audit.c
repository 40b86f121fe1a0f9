// SPDX-License-Identifier: GPL-2.0
/*
 * physwin audit: every refused access is counted, and logged with who and
 * where, at most a burst of lines per interval so that an unprivileged loop
 * cannot flood the log.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ratelimit.h>
#include <linux/sched.h>

#include "physwin.h"

static DEFINE_RATELIMIT_STATE(physwin_audit_rs, 5 * HZ, 10);

/**
 * physwin_deny() - count and log a refused access
 * @pw: device
 * @win: window the address is in, or NULL when it is outside every window
 * @op: what was refused: "read", "write", "mmap", a batch operation
 * @addr: physical address
 * @err: the negative errno returned to user space
 *
 * Return: @err, so that callers can "return physwin_deny(...)".
 */
int physwin_deny(struct physwin *pw, struct physwin_window *win,
		 const char *op, u64 addr, int err)
{
	const char *why;

	atomic64_inc(win ? &win->denied : &pw->denied);
	switch (err) {
	case -EPERM:
		why = win ? "runs past its window" : "outside every window";
		break;
	case -EACCES:
		why = "window is read-only";
		break;
	case -EBADF:
		why = "the descriptor was not opened for it";
		break;
	default:
		why = "access not allowed by the window";
		break;
	}
	if (__ratelimit(&physwin_audit_rs))
		pr_notice("denied %s at %#llx%s%s: %s (comm=%s pid=%d uid=%u)\n",
			  op, addr, win ? " in window " : "",
			  win ? win->name : "", why, current->comm,
			  task_pid_nr(current),
			  from_kuid(&init_user_ns, current_uid()));
	return err;
}
