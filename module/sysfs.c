// SPDX-License-Identifier: GPL-2.0
/*
 * physwin sysfs: /sys/class/misc/physwin/windows/<name>/ per window, one
 * value per file (see docs/sysfs-physwin.rst), and the device-wide count of
 * refusals outside every window in /sys/class/misc/physwin/denied.
 */

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "physwin.h"

/* The kobject is allocated so that its lifetime is sysfs's, not ours. */
struct physwin_win_kobj {
	struct kobject kobj;
	struct physwin_window *win;
};

static struct physwin_window *physwin_kobj_win(struct kobject *kobj)
{
	return container_of(kobj, struct physwin_win_kobj, kobj)->win;
}

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", physwin_kobj_win(kobj)->name);
}

static ssize_t base_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%#llx\n", (u64)physwin_kobj_win(kobj)->base);
}

static ssize_t size_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%#llx\n", (u64)physwin_kobj_win(kobj)->size);
}

static ssize_t access_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", physwin_kobj_win(kobj)->flags &
			  PHYSWIN_WIN_RO ? "ro" : "rw");
}

static ssize_t cache_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  physwin_cache_names[physwin_kobj_win(kobj)->cache]);
}

static ssize_t width_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", physwin_kobj_win(kobj)->width);
}

static ssize_t exact_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  !!(physwin_kobj_win(kobj)->flags & PHYSWIN_WIN_EXACT));
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", physwin_gone(physwin_kobj_win(kobj)) ?
			  "gone" : "live");
}

static ssize_t physwin_counter_show(char *buf, atomic64_t *counter)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(counter));
}

static ssize_t reads_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return physwin_counter_show(buf, &physwin_kobj_win(kobj)->reads);
}

static ssize_t writes_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return physwin_counter_show(buf, &physwin_kobj_win(kobj)->writes);
}

static ssize_t maps_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return physwin_counter_show(buf, &physwin_kobj_win(kobj)->maps);
}

static ssize_t denied_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return physwin_counter_show(buf, &physwin_kobj_win(kobj)->denied);
}

static struct kobj_attribute physwin_attr_name = __ATTR_RO(name);
/* root only, as /proc/iomem shows addresses to root only */
static struct kobj_attribute physwin_attr_base = __ATTR(base, 0400, base_show,
							 NULL);
static struct kobj_attribute physwin_attr_size = __ATTR_RO(size);
static struct kobj_attribute physwin_attr_access = __ATTR_RO(access);
static struct kobj_attribute physwin_attr_cache = __ATTR_RO(cache);
static struct kobj_attribute physwin_attr_width = __ATTR_RO(width);
static struct kobj_attribute physwin_attr_exact = __ATTR_RO(exact);
static struct kobj_attribute physwin_attr_state = __ATTR_RO(state);
static struct kobj_attribute physwin_attr_reads = __ATTR_RO(reads);
static struct kobj_attribute physwin_attr_writes = __ATTR_RO(writes);
static struct kobj_attribute physwin_attr_maps = __ATTR_RO(maps);
static struct kobj_attribute physwin_attr_denied = __ATTR_RO(denied);

static struct attribute *physwin_win_attrs[] = {
	&physwin_attr_name.attr,
	&physwin_attr_base.attr,
	&physwin_attr_size.attr,
	&physwin_attr_access.attr,
	&physwin_attr_cache.attr,
	&physwin_attr_width.attr,
	&physwin_attr_exact.attr,
	&physwin_attr_state.attr,
	&physwin_attr_reads.attr,
	&physwin_attr_writes.attr,
	&physwin_attr_maps.attr,
	&physwin_attr_denied.attr,
	NULL,
};
ATTRIBUTE_GROUPS(physwin_win);

static void physwin_win_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct physwin_win_kobj, kobj));
}

static const struct kobj_type physwin_win_ktype = {
	.release = physwin_win_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = physwin_win_groups,
};

/* Device-wide: refusals at addresses outside every window. */
static ssize_t physwin_dev_denied_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	struct physwin *pw = container_of(dev_get_drvdata(dev), struct physwin,
					  misc);

	return physwin_counter_show(buf, &pw->denied);
}

static struct device_attribute physwin_dev_attr_denied =
	__ATTR(denied, 0444, physwin_dev_denied_show, NULL);

/*
 * What this kernel lets physwin do, for programs (and tests) that adapt:
 * the widest single access, the physical address limit in bits, whether
 * ptrace and /proc/<pid>/mem reach a mapping, and whether mappings get
 * 2 MiB entries.
 */
static ssize_t max_width_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", PHYSWIN_MAX_WIDTH);
}
static DEVICE_ATTR_RO(max_width);

static ssize_t phys_addr_bits_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", physwin_phys_addr_bits());
}
static DEVICE_ATTR_RO(phys_addr_bits);

static ssize_t ptrace_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", PHYSWIN_HAVE_PTRACE_ACCESS);
}
static DEVICE_ATTR_RO(ptrace);

static ssize_t map_pmd_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", PHYSWIN_HAVE_PMD_PFNMAP);
}
static DEVICE_ATTR_RO(map_pmd);

static struct attribute *physwin_dev_attrs[] = {
	&physwin_dev_attr_denied.attr,
	&dev_attr_max_width.attr,
	&dev_attr_phys_addr_bits.attr,
	&dev_attr_ptrace.attr,
	&dev_attr_map_pmd.attr,
	NULL,
};

static const struct attribute_group physwin_dev_group = {
	.attrs = physwin_dev_attrs,
};

const struct attribute_group *physwin_dev_groups[] = {
	&physwin_dev_group,
	NULL,
};

/**
 * physwin_sysfs_add() - describe every window under the misc device
 * @pw: registered device
 *
 * Return: 0, or a negative errno with nothing left behind.
 */
int physwin_sysfs_add(struct physwin *pw)
{
	unsigned int i;
	int ret;

	pw->windows_kobj = kobject_create_and_add("windows",
						  &pw->misc.this_device->kobj);
	if (!pw->windows_kobj)
		return -ENOMEM;

	for (i = 0; i < pw->nr_windows; i++) {
		struct physwin_win_kobj *wk = kzalloc(sizeof(*wk), GFP_KERNEL);

		if (!wk) {
			ret = -ENOMEM;
			goto err_remove;
		}
		wk->win = &pw->win[i];
		ret = kobject_init_and_add(&wk->kobj, &physwin_win_ktype,
					   pw->windows_kobj, "%s",
					   pw->win[i].name);
		if (ret) {
			kobject_put(&wk->kobj);
			goto err_remove;
		}
		pw->win[i].kobj = &wk->kobj;
	}
	return 0;

err_remove:
	physwin_sysfs_remove(pw);
	return ret;
}

/**
 * physwin_sysfs_remove() - remove what physwin_sysfs_add() made
 * @pw: device
 */
void physwin_sysfs_remove(struct physwin *pw)
{
	unsigned int i;

	for (i = 0; i < pw->nr_windows; i++) {
		kobject_put(pw->win[i].kobj);
		pw->win[i].kobj = NULL;
	}
	kobject_put(pw->windows_kobj);
	pw->windows_kobj = NULL;
}
