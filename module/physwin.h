/* SPDX-License-Identifier: GPL-2.0 */
/*
 * physwin internals shared by the module's source files.
 */
#ifndef PHYSWIN_INTERNAL_H
#define PHYSWIN_INTERNAL_H

#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/miscdevice.h>
#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>

#include <uapi/linux/physwin.h>

struct pci_dev;
struct physwin_spec;

#define PHYSWIN_MAX_WINDOWS	16

#ifdef CONFIG_64BIT
#define PHYSWIN_MAX_WIDTH	8
#else
#define PHYSWIN_MAX_WIDTH	4
#endif

struct physwin;
struct physwin_window;

/**
 * struct physwin_view - what an open file of physwin can reach
 * @pw: the device
 * @only: the one window of a per-window node, or NULL for /dev/physwin
 *
 * Stored in file->private_data by open, so every file operation sees the
 * same windows whichever node it came through.
 */
struct physwin_view {
	struct physwin *pw;
	struct physwin_window *only;
};

/**
 * struct physwin_window - one allowlisted physical address range
 * @name: NUL-terminated name, "win<N>" unless window= named it
 * @base: first physical address
 * @last: last physical address (base + size - 1; never wraps)
 * @size: length in bytes, never 0
 * @flags: PHYSWIN_WIN_* as reported to user space
 * @cache: PHYSWIN_CACHE_*
 * @width: widest single access in bytes
 * @res: the "physwin" iomem claim, or NULL (noclaim)
 * @virt: I/O mapping of [@base, @last] for uc and wc windows, made at load
 * @mem: memory mapping of [@base, @last] for wb windows, made at load
 * @pdev: the PCI device whose BAR this is (window=...@pci:) or that the
 *	window lies in, held and kept powered; or NULL
 * @gone: the device behind the window went away: every access is refused
 *	with -ENODEV and the window's user mappings are zapped
 * @kobj: the window's sysfs directory
 * @reads: read() calls that transferred data
 * @writes: write() calls that transferred data
 * @maps: successful mmap() calls
 * @denied: refused accesses inside the window
 * @cdev: the window's own node, /dev/physwin-<name>
 * @node: its device
 * @view: what @cdev reaches: this window only
 * @lock: serialises read-modify-write batch operations on the window
 *
 * Windows are fixed from module load to module unload, with one
 * exception: a window whose device is removed is revoked (@gone set, its
 * mappings released) under &physwin.lock, and every access to @virt or
 * @mem happens inside a physwin_srcu read section that checked @gone.
 */
struct physwin_window {
	char name[PHYSWIN_NAME_MAX];
	phys_addr_t base;
	phys_addr_t last;
	resource_size_t size;
	u32 flags;
	u8 cache;
	u8 width;
	struct resource *res;
	void __iomem *virt;
	void *mem;
	struct pci_dev *pdev;
	bool gone;
	struct kobject *kobj;
	atomic64_t reads;
	atomic64_t writes;
	atomic64_t maps;
	atomic64_t denied;
	struct cdev cdev;
	struct device *node;
	struct physwin_view view;
	spinlock_t lock;	/* RMW batch operations */
};

/**
 * struct physwin_params - the module parameters that describe windows
 * @base: base= values
 * @nr_base: number of base= values
 * @size: size= values
 * @nr_size: number of size= values
 * @spec: window= entries
 * @nr_spec: number of window= entries
 */
struct physwin_params {
	const u64 *base;
	unsigned int nr_base;
	const u64 *size;
	unsigned int nr_size;
	char *const *spec;
	unsigned int nr_spec;
};

/**
 * struct physwin - the device and its window table
 * @misc: /dev/physwin
 * @ready: set once module init can no longer fail; until then open()
 *	refuses, so no file can outlive a failed init
 * @lock: serialises revocation with load and unload
 * @inode: owns the address_space that every open file of physwin shares,
 *	so that a revoked window's mappings can be found and zapped
 * @pci_nb: tells physwin when a PCI device is removed
 * @nr_windows: number of valid entries in @win
 * @windows_kobj: the sysfs directory "windows"
 * @denied: refused accesses outside every window
 * @view: what /dev/physwin reaches: every window
 * @win: windows in the order they were given at load
 */
struct physwin {
	struct miscdevice misc;
	bool ready;
	struct mutex lock;	/* revocation against load and unload */
	struct inode *inode;
	struct notifier_block pci_nb;
	unsigned int nr_windows;
	struct kobject *windows_kobj;
	atomic64_t denied;
	struct physwin_view view;
	struct physwin_window win[PHYSWIN_MAX_WINDOWS];
};

static inline struct physwin_view *physwin_view(struct file *file)
{
	return file->private_data;
}

static inline struct physwin *physwin_from_file(struct file *file)
{
	return physwin_view(file)->pw;
}

/* window.c */
extern const char *const physwin_cache_names[];
extern struct srcu_struct physwin_srcu;
int physwin_windows_setup(struct physwin *pw,
			  const struct physwin_params *params);
void physwin_windows_teardown(struct physwin *pw);
void physwin_window_revoke(struct physwin *pw, struct physwin_window *win,
			   const char *why);
unsigned int physwin_view_count(const struct physwin_view *view);
struct physwin_window *physwin_view_window(struct physwin_view *view,
					   unsigned int index);
bool physwin_window_mappable(const struct physwin_window *win);

/**
 * physwin_find() - the window that contains a physical address
 * @pw: device
 * @addr: physical address (a file offset)
 *
 * Return: the window, or NULL when @addr is outside every window.
 */
static inline struct physwin_window *physwin_find(struct physwin *pw, u64 addr)
{
	unsigned int i;

	for (i = 0; i < pw->nr_windows; i++) {
		struct physwin_window *win = &pw->win[i];

		if (addr >= win->base && addr <= win->last)
			return win;
	}
	return NULL;
}

/**
 * physwin_view_find() - the window containing @addr that @view reaches
 * @view: what the open file reaches
 * @addr: physical address
 *
 * Inline: the batch call looks one up per operation.
 *
 * Return: the window, or NULL when @addr is outside every window @view
 * reaches.
 */
static inline struct physwin_window *physwin_view_find(struct physwin_view *view,
						       u64 addr)
{
	struct physwin_window *win = view->only;

	if (!win)
		return physwin_find(view->pw, addr);
	return addr >= win->base && addr <= win->last ? win : NULL;
}

/**
 * physwin_io_begin() - enter a section that may touch windows' memory
 *
 * Revocation waits for every section under way to end before it unmaps a
 * window, so a window that is not physwin_gone() inside a section stays
 * mapped until physwin_io_end().
 *
 * Return: the index to pass to physwin_io_end().
 */
static inline int physwin_io_begin(void)
	__acquires(&physwin_srcu)
{
	return srcu_read_lock(&physwin_srcu);
}

static inline void physwin_io_end(int idx)
	__releases(&physwin_srcu)
{
	srcu_read_unlock(&physwin_srcu, idx);
}

/* Whether @win was revoked; every access then fails with -ENODEV. */
static inline bool physwin_gone(const struct physwin_window *win)
{
	return READ_ONCE(win->gone);
}

/* resv.c */
bool physwin_reserved_memory(u64 first, u64 last);
unsigned int physwin_phys_addr_bits(void);

/* pci.c */
#ifdef CONFIG_PCI
int physwin_pci_resolve(struct physwin_window *win,
			const struct physwin_spec *spec, const char **why);
int physwin_pci_attach(struct physwin_window *win, const char **why);
void physwin_pci_release(struct physwin_window *win);
int physwin_pci_watch(struct physwin *pw);
void physwin_pci_unwatch(struct physwin *pw);
void physwin_pci_lock(void);
void physwin_pci_unlock(void);
#else
static inline int physwin_pci_resolve(struct physwin_window *win,
				      const struct physwin_spec *spec,
				      const char **why)
{
	*why = "this kernel has no PCI support";
	return -ENODEV;
}

static inline int physwin_pci_attach(struct physwin_window *win,
				     const char **why)
{
	return 0;
}

static inline void physwin_pci_release(struct physwin_window *win) { }
static inline int physwin_pci_watch(struct physwin *pw) { return 0; }
static inline void physwin_pci_unwatch(struct physwin *pw) { }
static inline void physwin_pci_lock(void) { }
static inline void physwin_pci_unlock(void) { }
#endif

/* sysfs.c */
extern const struct attribute_group *physwin_dev_groups[];
int physwin_sysfs_add(struct physwin *pw);
void physwin_sysfs_remove(struct physwin *pw);

/* audit.c */
int physwin_deny(struct physwin *pw, struct physwin_window *win,
		 const char *op, u64 addr, int err);

/* rw.c */
ssize_t physwin_read(struct file *file, char __user *buf, size_t count,
		     loff_t *ppos);
ssize_t physwin_write(struct file *file, const char __user *buf,
		      size_t count, loff_t *ppos);
int physwin_kaccess(struct physwin_window *win, u64 addr, void *buf,
		    size_t len, bool write);

/* batch.c */
long physwin_ioctl_batch(struct file *file, void __user *uarg);

/* ioctl.c */
int physwin_get_arg(void *karg, size_t ksize, size_t minsize,
		    const void __user *uarg, u32 *usize);
int physwin_put_arg(void __user *uarg, const void *karg, size_t ksize,
		    u32 usize);

/* mmap.c */
unsigned long physwin_get_unmapped_area(struct file *file, unsigned long addr,
					unsigned long len, unsigned long pgoff,
					unsigned long flags);
int physwin_mmap(struct file *file, struct vm_area_struct *vma);
int physwin_mapping_init(struct physwin *pw);
void physwin_mapping_exit(struct physwin *pw);
void physwin_mapping_zap(struct physwin *pw, struct physwin_window *win);

long physwin_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* fops.c */
extern const struct file_operations physwin_fops;

/* nodes.c */
int physwin_nodes_add(struct physwin *pw, umode_t mode, kuid_t uid, kgid_t gid);
void physwin_nodes_remove(struct physwin *pw);

#endif /* PHYSWIN_INTERNAL_H */
