// SPDX-License-Identifier: GPL-2.0
/*
 * Per-window nodes: /dev/physwin-<name> reaches one window only, with the
 * same physical-address offsets as /dev/physwin, so an administrator can
 * give one window to one group (file mode here, owner and group through
 * udev: see udev/99-physwin.rules).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/miscdevice.h>

#include "physwin.h"

/**
 * physwin_nodes_add() - register /dev/physwin-<name> for every window
 * @pw: device whose windows are set up
 * @mode: permissions of the nodes
 *
 * Return: 0, or a negative errno with no node left registered.
 */
int physwin_nodes_add(struct physwin *pw, umode_t mode)
{
	unsigned int i;
	int ret;

	for (i = 0; i < pw->nr_windows; i++) {
		struct physwin_window *win = &pw->win[i];

		scnprintf(win->misc_name, sizeof(win->misc_name), "%s-%s",
			  KBUILD_MODNAME, win->name);
		win->misc.minor = MISC_DYNAMIC_MINOR;
		win->misc.name = win->misc_name;
		win->misc.fops = &physwin_win_fops;
		win->misc.mode = mode;
		ret = misc_register(&win->misc);
		if (ret) {
			pr_err("cannot register /dev/%s: %d\n",
			       win->misc_name, ret);
			while (i--)
				misc_deregister(&pw->win[i].misc);
			return ret;
		}
	}
	return 0;
}

/**
 * physwin_nodes_remove() - deregister every per-window node
 * @pw: device
 */
void physwin_nodes_remove(struct physwin *pw)
{
	unsigned int i;

	for (i = 0; i < pw->nr_windows; i++)
		misc_deregister(&pw->win[i].misc);
}
