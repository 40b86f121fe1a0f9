// SPDX-License-Identifier: GPL-2.0
/*
 * PCI BARs as windows: window=name@pci:DDDD:BB:DD.F/BAR, resolved at load.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>

#include "physwin.h"
#include "spec.h"

/**
 * physwin_pci_resolve() - find the address range of a PCI BAR
 * @win: window to fill in: base, last, size and the device reference
 * @spec: the parsed window= entry naming the BAR
 * @why: set to the reason on failure
 *
 * The device reference is kept until physwin_pci_release(), so the BAR
 * cannot be hot-removed and reused under the window unnoticed.
 *
 * Return: 0, -ENODEV when the device or BAR does not exist, -EINVAL when
 * the BAR is not memory.
 */
int physwin_pci_resolve(struct physwin_window *win,
			const struct physwin_spec *spec, const char **why)
{
	struct pci_dev *pdev;
	u16 cmd;

	pdev = pci_get_domain_bus_and_slot(spec->pci_domain, spec->pci_bus,
					   PCI_DEVFN(spec->pci_slot,
						     spec->pci_func));
	if (!pdev) {
		*why = "no such PCI device";
		return -ENODEV;
	}
	if (!pci_resource_len(pdev, spec->pci_bar)) {
		*why = "the PCI device has no such BAR";
		pci_dev_put(pdev);
		return -ENODEV;
	}
	if (!(pci_resource_flags(pdev, spec->pci_bar) & IORESOURCE_MEM)) {
		*why = "the PCI BAR is not memory (an I/O port BAR?)";
		pci_dev_put(pdev);
		return -EINVAL;
	}
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MEMORY))
		pr_warn("window %s: %s has memory decoding off: accesses will not reach BAR %u\n",
			win->name, pci_name(pdev), spec->pci_bar);

	win->base = pci_resource_start(pdev, spec->pci_bar);
	win->size = pci_resource_len(pdev, spec->pci_bar);
	win->last = win->base + win->size - 1;
	win->pdev = pdev;
	return 0;
}

/**
 * physwin_pci_release() - drop the device reference of a PCI window
 * @win: window, PCI or not
 */
void physwin_pci_release(struct physwin_window *win)
{
	pci_dev_put(win->pdev);
	win->pdev = NULL;
}
