// SPDX-License-Identifier: GPL-2.0
/*
 * A module that warns on load, and nothing else.  scripts/check.sh boots it
 * once to prove that scripts/kcheck.sh notices a kernel splat; it is never
 * part of physwin.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init physwin_faulty_init(void)
{
	WARN(1, "physwin_faulty: deliberate warning for the detector self-check\n");
	return 0;
}
module_init(physwin_faulty_init);

MODULE_DESCRIPTION("physwin test rig: deliberate WARN for the self-check");
MODULE_LICENSE("GPL");
