// SPDX-License-Identifier: GPL-2.0
/*
 * physwin window table: build it from the module parameters (base=/size=
 * pairs, then window= entries), validate every window before touching any,
 * then claim and map them all or none.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "compat.h"
#include "physwin.h"
#include "spec.h"

/* Sections that touch a window's memory; see physwin_io_begin(). */
DEFINE_SRCU(physwin_srcu);

/* PHYSWIN_CACHE_* as the load log and sysfs spell them */
const char *const physwin_cache_names[] = {
	[PHYSWIN_CACHE_UC] = "uc",
	[PHYSWIN_CACHE_WC] = "wc",
	[PHYSWIN_CACHE_WB] = "wb",
};

static void physwin_refuse(const struct physwin_window *win, u64 base,
			   u64 size, const char *reason)
{
	pr_err("window %s (base %#llx size %#llx): %s\n",
	       win->name, base, size, reason);
}

/*
 * Check one window's range on its own and fill in base, last and size.
 */
static int physwin_window_check_range(struct physwin_window *win, u64 base,
				      u64 size)
{
	u64 last;

	if (!size) {
		physwin_refuse(win, base, size, "size is 0");
		return -EINVAL;
	}
	if (check_add_overflow(base, size - 1, &last)) {
		physwin_refuse(win, base, size,
			       "wraps past the top of the address space");
		return -EOVERFLOW;
	}
	if (last > physwin_phys_addr_max()) {
		pr_err("window %s (base %#llx size %#llx): beyond the platform's physical address limit (%u bits)\n",
		       win->name, base, size, physwin_phys_addr_bits());
		return -ERANGE;
	}
	/*
	 * region_intersects(), ioremap() and memremap() take a size_t: on a
	 * 32-bit kernel a window of 4 GiB or more would be checked and
	 * mapped short.
	 */
	if (BITS_PER_LONG == 32 && size > (u64)U32_MAX) {
		physwin_refuse(win, base, size,
			       "larger than a 32-bit kernel can map (4 GiB)");
		return -ERANGE;
	}

	win->base = base;
	win->last = last;
	win->size = size;

	if (region_intersects(win->base, win->size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		physwin_refuse(win, base, size, "overlaps System RAM");
		return -EPERM;
	}
	return 0;
}

/* Attribute rules that depend on the range, checked once it is known. */
static int physwin_window_check_attrs(struct physwin_window *win)
{
	const char *why = NULL;

	if (win->width > PHYSWIN_MAX_WIDTH)
		why = "width=8 needs a 64-bit kernel";
	else if ((win->flags & PHYSWIN_WIN_EXACT) &&
		 (!IS_ALIGNED(win->base, win->width) ||
		  !IS_ALIGNED(win->size, win->width)))
		why = "exact: base and size must be multiples of the width";
	else if (win->cache == PHYSWIN_CACHE_WB &&
		 !physwin_reserved_memory(win->base, win->last))
		why = "wb is for reserved memory only (not device memory)";
	if (why) {
		physwin_refuse(win, win->base, win->size, why);
		return -EINVAL;
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
	if (win->mem)
		memunmap(win->mem);
	win->mem = NULL;
	if (win->res)
		release_mem_region(win->base, win->size);
	win->res = NULL;
}

static int physwin_window_acquire(struct physwin_window *win)
{
	if (win->flags & PHYSWIN_WIN_CLAIMED) {
		win->res = request_mem_region(win->base, win->size,
					      KBUILD_MODNAME);
		if (!win->res) {
			physwin_refuse(win, win->base, win->size,
				       "range is busy (claimed by a driver, see /proc/iomem)");
			return -EBUSY;
		}
	}

	/* The kernel mapping's cache mode is the one mmap will ask for. */
	switch (win->cache) {
	case PHYSWIN_CACHE_WB:
		win->mem = memremap(win->base, win->size, MEMREMAP_WB);
		break;
	case PHYSWIN_CACHE_WC:
		win->virt = ioremap_wc(win->base, win->size);
		break;
	default:
		win->virt = ioremap(win->base, win->size);
		break;
	}
	if (!win->virt && !win->mem) {
		physwin_refuse(win, win->base, win->size,
			       "cannot be mapped with its cache mode");
		physwin_window_release(win);
		return -ENOMEM;
	}
	return 0;
}

static void physwin_window_init(struct physwin_window *win, unsigned int i)
{
	memset(win, 0, sizeof(*win));
	snprintf(win->name, sizeof(win->name), "win%u", i);
	win->cache = PHYSWIN_CACHE_UC;
	win->width = PHYSWIN_MAX_WIDTH;
	win->flags = PHYSWIN_WIN_CLAIMED;
	spin_lock_init(&win->lock);
}

/* Fill @win from a window= entry, resolving a PCI BAR. */
static int physwin_window_from_spec(struct physwin_window *win,
				    const char *text)
{
	struct physwin_spec spec;
	const char *why;
	int ret;

	why = physwin_spec_parse(text, &spec);
	if (why) {
		pr_err("window=%s: %s\n", text, why);
		return -EINVAL;
	}
	strscpy(win->name, spec.name, sizeof(win->name));
	win->cache = spec.cache;
	if (spec.width)
		win->width = spec.width;
	if (spec.readonly)
		win->flags |= PHYSWIN_WIN_RO;
	if (spec.exact)
		win->flags |= PHYSWIN_WIN_EXACT;
	if (spec.noclaim)
		win->flags &= ~PHYSWIN_WIN_CLAIMED;

	if (!spec.pci)
		return physwin_window_check_range(win, spec.base, spec.size);

	ret = physwin_pci_resolve(win, &spec, &why);
	if (ret) {
		pr_err("window=%s: %s\n", text, why);
		return ret;
	}
	return physwin_window_check_range(win, win->base, win->size);
}

/* A window given by address inside a PCI device holds that device too. */
static int physwin_window_attach(struct physwin_window *win)
{
	const char *why;
	int ret = physwin_pci_attach(win, &why);

	if (ret)
		physwin_refuse(win, win->base, win->size, why);
	return ret;
}

static void physwin_windows_put(struct physwin *pw, unsigned int n)
{
	while (n--)
		physwin_pci_release(&pw->win[n]);
}

/* Build and check every window; nothing is claimed or mapped yet. */
static int physwin_windows_build(struct physwin *pw,
				 const struct physwin_params *p)
{
	unsigned int i, j, n = p->nr_base + p->nr_spec;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		struct physwin_window *win = &pw->win[i];

		physwin_window_init(win, i);
		if (i < p->nr_base)
			ret = physwin_window_check_range(win, p->base[i],
							 p->size[i]);
		else
			ret = physwin_window_from_spec(win,
						       p->spec[i - p->nr_base]);
		if (!ret)
			ret = physwin_window_check_attrs(win);
		if (!ret && !win->pdev)
			ret = physwin_window_attach(win);
		for (j = 0; j < i && !ret; j++) {
			if (!strcmp(pw->win[j].name, win->name)) {
				physwin_refuse(win, win->base, win->size,
					       "duplicate name");
				ret = -EINVAL;
			} else if (physwin_windows_overlap(&pw->win[j], win)) {
				pr_err("window %s (base %#llx size %#llx): overlaps window %s\n",
				       win->name, (u64)win->base,
				       (u64)win->size, pw->win[j].name);
				ret = -EINVAL;
			}
		}
		if (ret)
			physwin_windows_put(pw, i + 1);
	}
	return ret;
}

/**
 * physwin_windows_setup() - build, validate, claim and map all windows
 * @pw: device whose table is filled in; its table must be empty
 * @p: the window parameters
 *
 * Validation is total: every window is checked, on its own and against the
 * others, before the first one is claimed; a claim or mapping failure then
 * undoes the ones made.  Each refusal is one dmesg line naming the window.
 *
 * Return: 0 with every window claimed and mapped, or a negative errno with
 * nothing held.
 */
int physwin_windows_setup(struct physwin *pw, const struct physwin_params *p)
{
	unsigned int i, n = p->nr_base + p->nr_spec;
	int ret;

	if (p->nr_base != p->nr_size) {
		pr_err("base= has %u values but size= has %u: they pair by index\n",
		       p->nr_base, p->nr_size);
		return -EINVAL;
	}
	if (!n) {
		pr_err("no windows given: load with base=ADDR size=LEN or window=SPEC\n");
		return -EINVAL;
	}
	if (n > ARRAY_SIZE(pw->win)) {
		pr_err("%u windows given, at most %zu are supported\n",
		       n, ARRAY_SIZE(pw->win));
		return -EINVAL;
	}

	ret = physwin_windows_build(pw, p);
	if (ret)
		return ret;

	for (i = 0; i < n; i++) {
		struct physwin_window *win = &pw->win[i];

		if (physwin_window_mappable(win))
			win->flags |= PHYSWIN_WIN_MAPPABLE;
		ret = physwin_window_acquire(win);
		if (ret)
			goto err_release;
	}
	pw->nr_windows = n;
	pw->view.pw = pw;
	for (i = 0; i < n; i++) {
		pw->win[i].view.pw = pw;
		pw->win[i].view.only = &pw->win[i];
	}

	for (i = 0; i < n; i++) {
		const struct physwin_window *win = &pw->win[i];

		pr_info("window %s: [%pa-%pa] %s %s width %u%s%s%s\n",
			win->name, &win->base, &win->last,
			win->flags & PHYSWIN_WIN_RO ? "ro" : "rw",
			physwin_cache_names[win->cache], win->width,
			win->flags & PHYSWIN_WIN_EXACT ? " exact" : "",
			win->flags & PHYSWIN_WIN_CLAIMED ? "" : " noclaim",
			physwin_window_mappable(win) ? "" :
			" (not page-aligned: read/write only)");
	}
	return 0;

err_release:
	while (i--)
		physwin_window_release(&pw->win[i]);
	physwin_windows_put(pw, n);
	return ret;
}

/**
 * physwin_windows_teardown() - unmap and release every window
 * @pw: device whose table is emptied; no file of it is open any more
 */
void physwin_windows_teardown(struct physwin *pw)
{
	unsigned int i;

	mutex_lock(&pw->lock);
	for (i = 0; i < pw->nr_windows; i++)
		physwin_window_release(&pw->win[i]);
	physwin_windows_put(pw, pw->nr_windows);
	pw->nr_windows = 0;
	mutex_unlock(&pw->lock);
}

/**
 * physwin_window_revoke() - the memory behind a window went away
 * @pw: device, with &physwin.lock held
 * @win: the window, not revoked yet
 * @why: what happened, for the log
 *
 * From here on every access to the window fails with -ENODEV: once the
 * accesses already under way have ended, every user mapping of it is
 * zapped (a later touch is SIGBUS, as the fault handler refuses it), and
 * its kernel mapping, claim and device reference are released, before
 * the caller lets the memory go.  The other windows are not affected.
 */
void physwin_window_revoke(struct physwin *pw, struct physwin_window *win,
			   const char *why)
{
	lockdep_assert_held(&pw->lock);

	WRITE_ONCE(win->gone, true);
	synchronize_srcu(&physwin_srcu);
	physwin_mapping_zap(pw, win);
	physwin_window_release(win);
	physwin_pci_release(win);
	pr_warn("window %s: [%pa-%pa] revoked: %s\n", win->name, &win->base,
		&win->last, why);
}

/**
 * physwin_view_count() - number of windows @view reaches
 * @view: what the open file reaches
 */
unsigned int physwin_view_count(const struct physwin_view *view)
{
	return view->only ? 1 : view->pw->nr_windows;
}

/**
 * physwin_view_window() - window @index as @view numbers them
 * @view: what the open file reaches
 * @index: 0 .. physwin_view_count() - 1
 *
 * Return: the window, or NULL for an index past the last.
 */
struct physwin_window *physwin_view_window(struct physwin_view *view,
					   unsigned int index)
{
	if (index >= physwin_view_count(view))
		return NULL;
	return view->only ?: &view->pw->win[index];
}
