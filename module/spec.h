/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The window= specification parser.  Plain C with no kernel dependencies,
 * so the same file builds in user space for tests and fuzzing.
 *
 *	spec   := NAME '@' place (':' attr)*
 *	place  := NUMBER '+' SIZE | 'pci:' DDDD ':' BB ':' DD '.' F '/' BAR
 *	NAME   := [a-z0-9_-]{1,31}
 *	NUMBER := 0x hex | 0 octal | decimal
 *	SIZE   := NUMBER followed by nothing, K, M or G (powers of 1024)
 *	attr   := ro | rw | uc | wc | wb | width=1|2|4|8 | exact | claim | noclaim
 */
#ifndef PHYSWIN_SPEC_H
#define PHYSWIN_SPEC_H

/* __u64 and friends exist in the kernel and in user space alike */
#include <linux/types.h>
#ifndef __KERNEL__
#include <stdbool.h>
#endif

#define PHYSWIN_SPEC_NAME_MAX	32	/* including the NUL */

/**
 * struct physwin_spec - one parsed window= entry
 * @name: window name
 * @base: first address (not for PCI)
 * @size: length in bytes (not for PCI)
 * @pci: the place is a PCI BAR, resolved at load
 * @pci_domain: PCI domain
 * @pci_bus: PCI bus
 * @pci_slot: PCI device number
 * @pci_func: PCI function
 * @pci_bar: BAR number
 * @readonly: ro
 * @cache: PHYSWIN_CACHE_* (uc unless given)
 * @width: widest access in bytes, 0 when not given
 * @exact: every access must be exactly @width bytes
 * @noclaim: do not claim the range with request_mem_region()
 */
struct physwin_spec {
	char name[PHYSWIN_SPEC_NAME_MAX];
	__u64 base;
	__u64 size;
	bool pci;
	__u32 pci_domain;
	__u8 pci_bus;
	__u8 pci_slot;
	__u8 pci_func;
	__u8 pci_bar;
	bool readonly;
	__u8 cache;
	__u8 width;
	bool exact;
	bool noclaim;
};

/**
 * physwin_spec_parse() - parse one window= entry
 * @s: NUL-terminated text
 * @spec: filled in on success
 *
 * Return: NULL on success, else a short reason fit for a dmesg line.
 */
const char *physwin_spec_parse(const char *s, struct physwin_spec *spec);

#endif /* PHYSWIN_SPEC_H */
