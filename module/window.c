// SPDX-License-Identifier: GPL-2.0
/*
 * physwin window table: build it from the module parameters, validate every
 * window before touching any, then claim and map them all or none.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "physwin.h"

static void physwin_refuse(const char *name, u64 base, u64 size,
			   const char *reason)
{
	pr_err("window %s (base %#llx size %#llx): %s\n",
	       name, base, size, reason);
}

/*
 * Check one window on its own.  The caller has already filled in the name;
 * base, last and size are set here once they are known to be sane.
 */
static int physwin_window_check(struct physwin_window *win, u64 base,
				u64 size)
{
	u64 last;

	if (!size) {
		physwin_refuse(win->name, base, size, "size is 0");
		return -EINVAL;
	}
	if (check_add_overflow(base, size - 1, &last)) {
		physwin_refuse(win->name, base, size,
			       "wraps past the top of the address space");
		return -EOVERFLOW;
	}
	/*
	 * iomem_resource spans what the platform can address (on x86 it is
	 * cut to the CPU's physical address bits at boot); it never exceeds
	 * what phys_addr_t holds.
	 */
	if (last > iomem_resource.end) {
		physwin_refuse(win->name, base, size,
			       "beyond the platform's physical address limit");
		return -ERANGE;
	}

	win->base = base;
	win->last = last;
	win->size = size;

	if (region_intersects(win->base, win->size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		physwin_refuse(win->name, base, size, "overlaps System RAM");
		return -EPERM;
	}
	return 0;
}

static bool physwin_windows_overlap(const struct physwin_window *a,
				    const struct physwin_window *b)
{
	return a->base <= b->last && b->base <= a->last;
}

/**
 * physwin_window_mappable() - whether mmap may expose @win
 * @win: the window
 *
 * Only whole pages can be mapped, so a window that does not start and end
 * on page boundaries would expose its neighbours; such windows stay
 * reachable through read() and write() only.
 */
bool physwin_window_mappable(const struct physwin_window *win)
{
	return PAGE_ALIGNED(win->base) && PAGE_ALIGNED(win->size);
}

static void physwin_window_release(struct physwin_window *win)
{
	if (win->virt)
		iounmap(win->virt);
	win->virt = NULL;
	if (win->res)
		release_mem_region(win->base, win->size);
	win->res = NULL;
}

static int physwin_window_acquire(struct physwin_window *win)
{
	win->res = request_mem_region(win->base, win->size, KBUILD_MODNAME);
	if (!win->res) {
		physwin_refuse(win->name, win->base, win->size,
			       "range is busy (claimed by a driver, see /proc/iomem)");
		return -EBUSY;
	}
	win->flags |= PHYSWIN_WIN_CLAIMED;

	win->virt = ioremap(win->base, win->size);
	if (!win->virt) {
		physwin_refuse(win->name, win->base, win->size,
			       "cannot be mapped (ioremap failed)");
		physwin_window_release(win);
		return -ENOMEM;
	}
	return 0;
}

/**
 * physwin_windows_setup() - build, validate, claim and map all windows
 * @pw: device whose table is filled in; its table must be empty
 * @base: base= values
 * @nr_base: number of base= values
 * @size: size= values
 * @nr_size: number of size= values
 *
 * Validation is total: every window is checked, on its own and against the
 * others, before the first one is claimed; a claim or mapping failure then
 * undoes the ones made.  Each refusal is one dmesg line naming the window.
 *
 * Return: 0 with every window claimed and mapped, or a negative errno with
 * nothing held.
 */
int physwin_windows_setup(struct physwin *pw, const u64 *base,
			  unsigned int nr_base, const u64 *size,
			  unsigned int nr_size)
{
	unsigned int i, j;
	int ret;

	if (nr_base != nr_size) {
		pr_err("base= has %u values but size= has %u: they pair by index\n",
		       nr_base, nr_size);
		return -EINVAL;
	}
	if (!nr_base) {
		pr_err("no windows given: load with base=ADDR size=LEN\n");
		return -EINVAL;
	}
	if (nr_base > ARRAY_SIZE(pw->win))
		return -EINVAL;	/* the parameter arrays cannot hold more */

	for (i = 0; i < nr_base; i++) {
		struct physwin_window *win = &pw->win[i];

		memset(win, 0, sizeof(*win));
		snprintf(win->name, sizeof(win->name), "win%u", i);
		win->cache = PHYSWIN_CACHE_UC;
		win->width = PHYSWIN_MAX_WIDTH;

		ret = physwin_window_check(win, base[i], size[i]);
		if (ret)
			return ret;
		if (physwin_window_mappable(win))
			win->flags |= PHYSWIN_WIN_MAPPABLE;

		for (j = 0; j < i; j++) {
			if (physwin_windows_overlap(&pw->win[j], win)) {
				pr_err("window %s (base %#llx size %#llx): overlaps window %s\n",
				       win->name, base[i], size[i],
				       pw->win[j].name);
				return -EINVAL;
			}
		}
	}

	for (i = 0; i < nr_base; i++) {
		ret = physwin_window_acquire(&pw->win[i]);
		if (ret)
			goto err_release;
	}
	pw->nr_windows = nr_base;

	for (i = 0; i < nr_base; i++)
		pr_info("window %s: [%pa-%pa] rw uc width %u%s\n",
			pw->win[i].name, &pw->win[i].base, &pw->win[i].last,
			pw->win[i].width,
			physwin_window_mappable(&pw->win[i]) ? "" :
			" (not page-aligned: read/write only)");
	return 0;

err_release:
	while (i--)
		physwin_window_release(&pw->win[i]);
	return ret;
}

/**
 * physwin_windows_teardown() - unmap and release every window
 * @pw: device whose table is emptied
 */
void physwin_windows_teardown(struct physwin *pw)
{
	unsigned int i;

	for (i = 0; i < pw->nr_windows; i++)
		physwin_window_release(&pw->win[i]);
	pw->nr_windows = 0;
}

/**
 * physwin_find() - the window that contains a physical address
 * @pw: device
 * @addr: physical address (a file offset)
 *
 * Return: the window, or NULL when @addr is outside every window.
 */
const struct physwin_window *physwin_find(const struct physwin *pw, u64 addr)
{
	unsigned int i;

	for (i = 0; i < pw->nr_windows; i++) {
		const struct physwin_window *win = &pw->win[i];

		if (addr >= win->base && addr <= win->last)
			return win;
	}
	return NULL;
}
