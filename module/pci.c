// SPDX-License-Identifier: GPL-2.0
/*
 * PCI BARs as windows (window=name@pci:DDDD:BB:DD.F/BAR, resolved at load),
 * and what happens when a PCI device goes away: every window that lies in
 * one of its memory resources -- a BAR named with pci:, an address range
 * given with base=, or a bridge window -- is revoked before the PCI core
 * releases the resources, so nothing of physwin outlives the device.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/pm_runtime.h>

#include "physwin.h"
#include "spec.h"

/**
 * physwin_pci_resolve() - find the address range of a PCI BAR
 * @win: window to fill in: base, last, size and the device reference
 * @spec: the parsed window= entry naming the BAR
 * @why: set to the reason on failure
 *
 * The device is held with a reference and kept powered (a runtime PM
 * reference) until physwin_pci_release(), so that its BAR answers for as
 * long as the window exists.  Neither prevents removal: that revokes the
 * window (physwin_pci_notify()).
 *
 * Return: 0, -ENODEV when the device or BAR does not exist (or the kernel
 * could not assign the BAR, which it records as an empty BAR), -ENXIO when
 * the BAR has a firmware address the kernel did not claim, -EINVAL when the
 * BAR is not memory, or the error of powering the device up.
 */
int physwin_pci_resolve(struct physwin_window *win,
			const struct physwin_spec *spec, const char **why)
{
	struct pci_dev *pdev;
	struct resource *res;
	int ret;
	u16 cmd;

	pdev = pci_get_domain_bus_and_slot(spec->pci_domain, spec->pci_bus,
					   PCI_DEVFN(spec->pci_slot,
						     spec->pci_func));
	if (!pdev) {
		*why = "no such PCI device";
		return -ENODEV;
	}
	res = &pdev->resource[spec->pci_bar];
	/* a BAR the kernel failed to assign is reset to empty: the same */
	if (!pci_resource_len(pdev, spec->pci_bar)) {
		*why = "the PCI device has no such BAR, or none assigned";
		ret = -ENODEV;
		goto err_put;
	}
	if (resource_type(res) != IORESOURCE_MEM) {
		*why = "the PCI BAR is not memory (an I/O port BAR?)";
		ret = -EINVAL;
		goto err_put;
	}
	/* an unassigned BAR's "address" is nothing the device decodes */
	if (!res->parent || (res->flags & IORESOURCE_UNSET)) {
		*why = "the PCI BAR has no address assigned";
		ret = -ENXIO;
		goto err_put;
	}
	ret = pm_runtime_resume_and_get(&pdev->dev);
	if (ret) {
		*why = "cannot power up the PCI device";
		goto err_put;
	}
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MEMORY))
		pr_warn("window %s: %s has memory decoding off: accesses will not reach BAR %u\n",
			win->name, pci_name(pdev), spec->pci_bar);

	win->base = res->start;
	win->size = resource_size(res);
	win->last = res->end;
	win->pdev = pdev;
	return 0;

err_put:
	pci_dev_put(pdev);
	return ret;
}

/* Whether @win intersects one of @pdev's assigned memory resources. */
static bool physwin_pci_covers(struct pci_dev *pdev,
			       const struct physwin_window *win)
{
	int i;

	if (win->pdev == pdev)
		return true;
	for (i = 0; i < PCI_NUM_RESOURCES; i++) {
		const struct resource *res = &pdev->resource[i];

		if (resource_type(res) != IORESOURCE_MEM || !res->parent ||
		    !res->end)
			continue;
		if (win->base <= res->end && res->start <= win->last)
			return true;
	}
	return false;
}

/**
 * physwin_pci_attach() - hold the PCI device a window given by address is in
 * @win: window with its range set and no device yet
 * @why: set to the reason on failure
 *
 * A base= window inside a BAR needs its device powered as much as a pci:
 * window does: the device whose memory resources the window meets first
 * is held and kept powered the same way (its removal revokes the window
 * either way).  Nothing happens for a window outside every device.
 *
 * Return: 0, or the error of powering the device up.
 */
int physwin_pci_attach(struct physwin_window *win, const char **why)
{
	struct pci_dev *pdev = NULL;
	int ret;

	for_each_pci_dev(pdev) {
		if (!physwin_pci_covers(pdev, win))
			continue;
		/* for_each_pci_dev() holds @pdev: the reference is ours now */
		ret = pm_runtime_resume_and_get(&pdev->dev);
		if (ret) {
			*why = "cannot power up the PCI device it lies in";
			pci_dev_put(pdev);
			return ret;
		}
		win->pdev = pdev;
		return 0;
	}
	return 0;
}

/**
 * physwin_pci_release() - let go of the device of a PCI window
 * @win: window, PCI or not
 */
void physwin_pci_release(struct physwin_window *win)
{
	if (!win->pdev)
		return;
	pm_runtime_put(&win->pdev->dev);
	pci_dev_put(win->pdev);
	win->pdev = NULL;
}

/*
 * A device is being deleted (sysfs remove, hot or surprise removal, SR-IOV
 * VF teardown).  Its resources are still in the tree and are released only
 * after this returns, so the windows in them are revoked in time.
 */
static int physwin_pci_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct physwin *pw = container_of(nb, struct physwin, pci_nb);
	struct pci_dev *pdev = to_pci_dev(data);
	char why[64];
	unsigned int i;

	if (action != BUS_NOTIFY_DEL_DEVICE)
		return NOTIFY_DONE;

	snprintf(why, sizeof(why), "PCI device %s removed", pci_name(pdev));
	mutex_lock(&pw->lock);
	for (i = 0; i < pw->nr_windows; i++) {
		struct physwin_window *win = &pw->win[i];

		if (!win->gone && physwin_pci_covers(pdev, win))
			physwin_window_revoke(pw, win, why);
	}
	mutex_unlock(&pw->lock);
	return NOTIFY_OK;
}

/**
 * physwin_pci_watch() - revoke windows whose PCI device goes away
 * @pw: device; its windows may be set up before or after this
 *
 * Return: 0 or a negative errno.
 */
int physwin_pci_watch(struct physwin *pw)
{
	pw->pci_nb.notifier_call = physwin_pci_notify;
	return bus_register_notifier(&pci_bus_type, &pw->pci_nb);
}

/**
 * physwin_pci_unwatch() - undo physwin_pci_watch()
 * @pw: device
 *
 * Waits for a notification under way to finish.
 */
void physwin_pci_unwatch(struct physwin *pw)
{
	bus_unregister_notifier(&pci_bus_type, &pw->pci_nb);
}

/**
 * physwin_pci_lock() - hold off PCI removal and rescan
 *
 * Held while windows are resolved and claimed, so that a device cannot go
 * away between the lookup of its BAR and the moment the window is in the
 * table the removal notifier walks.
 */
void physwin_pci_lock(void)
{
	pci_lock_rescan_remove();
}

void physwin_pci_unlock(void)
{
	pci_unlock_rescan_remove();
}
