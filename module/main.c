// SPDX-License-Identifier: GPL-2.0
/*
 * physwin: allowlisted physical address windows through /dev/physwin
 *
 * A safer /dev/mem for kernels built with STRICT_DEVMEM: only the windows
 * named at load time are reachable, each is claimed in /proc/iomem, System
 * RAM is never allowed, and reads and writes of 1, 2, 4 or 8 aligned bytes
 * are single bus accesses of that width.  The file offset is the physical
 * address, so /dev/mem code only changes the path:
 *
 *	insmod physwin.ko base=0x10000000 size=0x1000
 *
 *	int fd = open("/dev/physwin", O_RDWR | O_SYNC);
 *	volatile uint32_t *regs = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE,
 *				       MAP_SHARED, fd, 0x10000000);
 *	uint32_t id = regs[0];
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/uidgid.h>

#include "physwin.h"

static unsigned long long physwin_base[PHYSWIN_MAX_WINDOWS];
static unsigned int physwin_nr_base;
/* Window addresses are root's to read, as /proc/iomem shows them. */
module_param_array_named(base, physwin_base, ullong, &physwin_nr_base, 0400);
MODULE_PARM_DESC(base, "Window base physical addresses, paired with size= by index");

static unsigned long long physwin_size[PHYSWIN_MAX_WINDOWS];
static unsigned int physwin_nr_size;
module_param_array_named(size, physwin_size, ullong, &physwin_nr_size, 0400);
MODULE_PARM_DESC(size, "Window sizes in bytes, paired with base= by index");

static char *physwin_spec[PHYSWIN_MAX_WINDOWS];
static unsigned int physwin_nr_spec;
module_param_array_named(window, physwin_spec, charp, &physwin_nr_spec, 0400);
MODULE_PARM_DESC(window, "Windows as name@base+size[:attr...] or name@pci:DDDD:BB:DD.F/BAR[:attr...]; attrs ro|rw uc|wc|wb width=1|2|4|8 exact claim|noclaim");

static ushort physwin_mode = 0600;
module_param_named(mode, physwin_mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permissions of /dev/physwin (default 0600)");

static ushort physwin_win_mode = 0600;
module_param_named(win_mode, physwin_win_mode, ushort, 0444);
MODULE_PARM_DESC(win_mode, "Permissions of the per-window nodes /dev/physwin-<name> (default 0600)");

static uint physwin_win_uid;
module_param_named(win_uid, physwin_win_uid, uint, 0444);
MODULE_PARM_DESC(win_uid, "Owner of the per-window nodes (default 0)");

static uint physwin_win_gid;
module_param_named(win_gid, physwin_win_gid, uint, 0444);
MODULE_PARM_DESC(win_gid, "Group of the per-window nodes (default 0)");

static struct physwin physwin_dev = {
	.lock = __MUTEX_INITIALIZER(physwin_dev.lock),
};

/*
 * Build, check, claim and map the windows.  PCI removal is held off
 * meanwhile, and the removal notifier is already watching, so a device
 * cannot disappear from under a window between its lookup and the moment
 * the notifier can see the window.
 */
static int physwin_init_windows(struct physwin *pw,
				const struct physwin_params *params)
{
	int ret;

	ret = physwin_pci_watch(pw);
	if (ret) {
		pr_err("cannot watch for PCI device removal: %d\n", ret);
		return ret;
	}
	physwin_pci_lock();
	mutex_lock(&pw->lock);
	ret = physwin_windows_setup(pw, params);
	mutex_unlock(&pw->lock);
	physwin_pci_unlock();
	if (ret)
		physwin_pci_unwatch(pw);
	return ret;
}

static void physwin_exit_windows(struct physwin *pw)
{
	physwin_windows_teardown(pw);
	physwin_pci_unwatch(pw);
}

/*
 * The order matters: every step that can fail because of what the user
 * asked for runs before anything can be opened, and open() refuses until
 * the last step succeeded (physwin.ready), so that a failed init never
 * frees the module under an open file.
 */
static int __init physwin_init(void)
{
	const struct physwin_params params = {
		.base = physwin_base,
		.nr_base = physwin_nr_base,
		.size = physwin_size,
		.nr_size = physwin_nr_size,
		.spec = physwin_spec,
		.nr_spec = physwin_nr_spec,
	};
	kuid_t uid = make_kuid(&init_user_ns, physwin_win_uid);
	kgid_t gid = make_kgid(&init_user_ns, physwin_win_gid);
	struct physwin *pw = &physwin_dev;
	int ret;

	if (physwin_mode & ~0777 || physwin_win_mode & ~0777) {
		pr_err("%s=%#o: only permission bits (0 to 0777) are allowed\n",
		       physwin_mode & ~0777 ? "mode" : "win_mode",
		       physwin_mode & ~0777 ? physwin_mode : physwin_win_mode);
		return -EINVAL;
	}
	if (!uid_valid(uid) || !gid_valid(gid)) {
		pr_err("win_uid=%u win_gid=%u: not a valid user and group\n",
		       physwin_win_uid, physwin_win_gid);
		return -EINVAL;
	}

	ret = physwin_mapping_init(pw);
	if (ret) {
		pr_err("cannot set up the shared mapping: %d\n", ret);
		return ret;
	}
	ret = physwin_init_windows(pw, &params);
	if (ret)
		goto err_mapping;

	pw->misc.minor = MISC_DYNAMIC_MINOR;
	pw->misc.name = KBUILD_MODNAME;
	pw->misc.fops = &physwin_fops;
	pw->misc.mode = physwin_mode;
	pw->misc.groups = physwin_dev_groups;
	ret = misc_register(&pw->misc);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", KBUILD_MODNAME, ret);
		goto err_windows;
	}
	ret = physwin_sysfs_add(pw);
	if (ret) {
		pr_err("cannot create the sysfs window directories: %d\n", ret);
		goto err_deregister;
	}
	ret = physwin_nodes_add(pw, physwin_win_mode, uid, gid);
	if (ret)
		goto err_sysfs;

	/* pairs with open()'s smp_load_acquire(): the table is complete */
	smp_store_release(&pw->ready, true);
	return 0;

err_sysfs:
	physwin_sysfs_remove(pw);
err_deregister:
	misc_deregister(&pw->misc);
err_windows:
	physwin_exit_windows(pw);
err_mapping:
	physwin_mapping_exit(pw);
	return ret;
}
module_init(physwin_init);

static void __exit physwin_exit(void)
{
	struct physwin *pw = &physwin_dev;

	physwin_nodes_remove(pw);
	physwin_sysfs_remove(pw);
	misc_deregister(&pw->misc);
	physwin_exit_windows(pw);
	physwin_mapping_exit(pw);
}
module_exit(physwin_exit);

MODULE_DESCRIPTION("Allowlisted physical address windows through /dev/physwin");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1.0");
