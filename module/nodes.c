// SPDX-License-Identifier: GPL-2.0
/*
 * Per-window nodes: /dev/physwin-<name> reaches one window only, with the
 * same physical-address offsets as /dev/physwin, so an administrator can
 * give one window to one group.
 *
 * They are character devices of physwin's own class rather than misc
 * devices: a device type's devnode callback is the only way a driver can
 * hand devtmpfs an owner and group along with the mode (win_uid=,
 * win_gid=, win_mode=), so the node is right from the moment it appears.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uidgid.h>

#include "compat.h"
#include "physwin.h"

static struct class physwin_class = {
	.name = KBUILD_MODNAME,
};

static dev_t physwin_devt;
static umode_t physwin_node_mode;
static kuid_t physwin_node_uid;
static kgid_t physwin_node_gid;

static char *physwin_node_devnode(PHYSWIN_DEVNODE_CONST struct device *dev,
				  umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	if (mode)
		*mode = physwin_node_mode;
	if (uid)
		*uid = physwin_node_uid;
	if (gid)
		*gid = physwin_node_gid;
	return NULL;
}

static const struct device_type physwin_node_type = {
	.name = "physwin-window",
	.devnode = physwin_node_devnode,
};

static void physwin_node_release(struct device *dev)
{
	kfree(dev);
}

static void physwin_node_del(struct physwin_window *win)
{
	cdev_device_del(&win->cdev, win->node);
	put_device(win->node);
	win->node = NULL;
}

static int physwin_node_add(struct physwin_window *win, unsigned int i)
{
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	int ret;

	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->devt = MKDEV(MAJOR(physwin_devt), MINOR(physwin_devt) + i);
	dev->class = &physwin_class;
	dev->type = &physwin_node_type;
	dev->release = physwin_node_release;
	dev_set_drvdata(dev, win);
	ret = dev_set_name(dev, "%s-%s", KBUILD_MODNAME, win->name);
	if (!ret) {
		cdev_init(&win->cdev, &physwin_fops);
		win->cdev.owner = THIS_MODULE;
		ret = cdev_device_add(&win->cdev, dev);
	}
	if (ret) {
		pr_err("cannot add /dev/%s-%s: %d\n", KBUILD_MODNAME,
		       win->name, ret);
		put_device(dev);
		return ret;
	}
	win->node = dev;
	return 0;
}

/**
 * physwin_nodes_add() - create /dev/physwin-<name> for every window
 * @pw: device whose windows are set up
 * @mode: permissions of the nodes
 * @uid: owner of the nodes
 * @gid: group of the nodes
 *
 * Return: 0, or a negative errno with nothing left behind.
 */
int physwin_nodes_add(struct physwin *pw, umode_t mode, kuid_t uid, kgid_t gid)
{
	unsigned int i;
	int ret;

	physwin_node_mode = mode;
	physwin_node_uid = uid;
	physwin_node_gid = gid;

	ret = alloc_chrdev_region(&physwin_devt, 0, pw->nr_windows,
				  KBUILD_MODNAME);
	if (ret)
		return ret;
	ret = class_register(&physwin_class);
	if (ret)
		goto err_region;

	for (i = 0; i < pw->nr_windows; i++) {
		ret = physwin_node_add(&pw->win[i], i);
		if (ret)
			goto err_nodes;
	}
	return 0;

err_nodes:
	while (i--)
		physwin_node_del(&pw->win[i]);
	class_unregister(&physwin_class);
err_region:
	unregister_chrdev_region(physwin_devt, pw->nr_windows);
	return ret;
}

/**
 * physwin_nodes_remove() - remove every per-window node
 * @pw: device
 */
void physwin_nodes_remove(struct physwin *pw)
{
	unsigned int i;

	for (i = 0; i < pw->nr_windows; i++)
		physwin_node_del(&pw->win[i]);
	class_unregister(&physwin_class);
	unregister_chrdev_region(physwin_devt, pw->nr_windows);
}
