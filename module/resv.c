// SPDX-License-Identifier: GPL-2.0
/*
 * What the platform reserved: the memory that a wb window may map, and the
 * physical address limit every window must stay under.
 *
 * Reserved memory is what firmware set aside and the kernel does not use
 * as RAM: an e820 "Reserved" range on x86 (memmap=nn$ss makes one, and it
 * carries IORES_DESC_RESERVED in the resource tree), or a device tree
 * /reserved-memory node marked no-map on ARM -- the SoC carve-out.  arm64
 * lists those as plain "reserved" resources without the descriptor, and
 * 32-bit ARM not at all, so the device tree itself is the record used.
 * Only the part of a no-map node inside the memory the device tree
 * declares (/memory nodes) counts: a no-map node may also describe
 * something that is not RAM at all, which a cacheable mapping must not
 * reach.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_reserved_mem.h>

#include "compat.h"
#include "physwin.h"

#define PHYSWIN_RESV_RANGES	64

struct physwin_ranges {
	unsigned int n;
	struct {
		u64 first, last;
	} r[PHYSWIN_RESV_RANGES];
};

/* Fails safe when full: a range left out is a range not reserved. */
static void physwin_ranges_add(struct physwin_ranges *rs, u64 first, u64 last)
{
	if (rs->n < ARRAY_SIZE(rs->r)) {
		rs->r[rs->n].first = first;
		rs->r[rs->n].last = last;
		rs->n++;
	} else {
		pr_warn_once("more than %zu reserved ranges; ignoring the rest\n",
			     ARRAY_SIZE(rs->r));
	}
}

/* walk_iomem_res_desc() hands each resource clipped to the range asked */
static int physwin_ranges_add_res(struct resource *res, void *arg)
{
	physwin_ranges_add(arg, res->start, res->end);
	return 0;
}

/* The memory the device tree declares: its device_type "memory" nodes. */
static void physwin_ranges_add_dt_memory(struct physwin_ranges *mem)
{
	struct device_node *np;
	struct resource res;
	int i;

	for_each_node_by_type(np, "memory") {
		if (!of_device_is_available(np))
			continue;
		for (i = 0; !of_address_to_resource(np, i, &res); i++)
			if (res.end > res.start)
				physwin_ranges_add(mem, res.start, res.end);
	}
}

/*
 * The no-map /reserved-memory regions of the device tree, if any, where
 * they lie in declared memory.  @mem is scratch space.
 */
static void physwin_ranges_add_dt(struct physwin_ranges *rs,
				  struct physwin_ranges *mem)
{
	struct device_node *parent, *np;
	struct reserved_mem *rmem;
	unsigned int i;
	u64 first, last;

	parent = of_find_node_by_path("/reserved-memory");
	if (!parent)
		return;
	physwin_ranges_add_dt_memory(mem);
	for_each_available_child_of_node(parent, np) {
		if (!of_property_read_bool(np, "no-map"))
			continue;
		rmem = of_reserved_mem_lookup(np);
		if (!rmem || !rmem->size)
			continue;
		for (i = 0; i < mem->n; i++) {
			first = max_t(u64, rmem->base, mem->r[i].first);
			last = min_t(u64, rmem->base + rmem->size - 1,
				     mem->r[i].last);
			if (first <= last)
				physwin_ranges_add(rs, first, last);
		}
	}
	of_node_put(parent);
}

/**
 * physwin_reserved_memory() - whether a range is reserved memory throughout
 * @first: first physical address
 * @last: last physical address
 *
 * Every byte must lie in a reserved range: a gap between two of them, or a
 * range that only touches one, does not count.
 *
 * Return: true when [@first, @last] is covered.
 */
bool physwin_reserved_memory(u64 first, u64 last)
{
	struct physwin_ranges *rs = kcalloc(2, sizeof(*rs), GFP_KERNEL);
	u64 at = first;
	bool covered = false;
	unsigned int i;

	if (!rs)
		return false;
	walk_iomem_res_desc(IORES_DESC_RESERVED, IORESOURCE_MEM, first, last,
			    rs, physwin_ranges_add_res);
	physwin_ranges_add_dt(rs, &rs[1]);
	/* walk forward from @first through ranges that contain the cursor */
	for (;;) {
		for (i = 0; i < rs->n; i++)
			if (rs->r[i].first <= at && at <= rs->r[i].last)
				break;
		if (i == rs->n)
			break;
		if (rs->r[i].last >= last) {
			covered = true;
			break;
		}
		at = rs->r[i].last + 1;
	}
	kfree(rs);
	return covered;
}

/**
 * physwin_phys_addr_bits() - the physical address limit, in bits
 */
unsigned int physwin_phys_addr_bits(void)
{
	return fls64(physwin_phys_addr_max());
}
