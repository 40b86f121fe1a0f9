/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libphyswin: physical address windows from user space.
 *
 * The /dev/mem workflow done right: open the device, map any (phys, len) and
 * get a pointer to exactly phys, access registers with width-exact volatile
 * accessors, unmap.  The same calls work on /dev/physwin and on /dev/mem,
 * whose offsets are the same physical addresses.
 *
 *	struct physwin_dev *dev = physwin_dev_open(NULL, 0);
 *	struct physwin_map *map = physwin_map_new(dev, 0xfe900000, 0x100,
 *						  PHYSWIN_MAP_WRITE);
 *	uint32_t id;
 *
 *	physwin_map_read32(map, 0xfe900000, &id);
 *	physwin_map_write32(map, 0xfe900004, 0x12345678);
 *	physwin_map_free(map);
 *	physwin_dev_close(dev);
 *
 * Errors: every function that can fail returns NULL or -1 and sets errno;
 * nothing is printed.  The errnos are those of the device (EPERM outside
 * every window, EACCES writing a read-only window, EINVAL bad alignment or
 * width, EBADF an access the descriptor was not opened for, ENODEV a window
 * whose device was removed) plus, from the library itself: EINVAL for a NULL handle, a zero
 * length or a width that is not 8, 16, 32 or 64 bits or does not divide
 * the address; ERANGE for an address outside the mapping it is given to;
 * ENOTTY for window queries on a device that is not physwin (/dev/mem);
 * ENOENT for a window index past the last window.
 *
 * Getters (physwin_*_get_*()) given a NULL handle return 0, NULL, or -1
 * for physwin_dev_get_fd(), and set errno to EINVAL.  Where 0 is also a valid value (a base, a result), set
 * errno to 0 before the call to tell; a getter that succeeds leaves errno
 * alone.
 *
 * Widths are in bits (8, 16, 32, 64), as in busybox devmem.  Physical
 * addresses are uint64_t on every architecture.
 */
#ifndef PHYSWIN_H
#define PHYSWIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PHYSWIN_DEFAULT_DEVICE	"/dev/physwin"

/** A device opened with physwin_dev_open(). */
struct physwin_dev;
/** A mapping made with physwin_map_new(). */
struct physwin_map;
/** A window's description, from physwin_dev_get_window(). */
struct physwin_window;
/** A list of register operations, from physwin_batch_new(). */
struct physwin_batch;

/* Window flags, as physwin_window_get_flags() returns them. */
#define PHYSWIN_WINDOW_READONLY		(1U << 0)
#define PHYSWIN_WINDOW_MAPPABLE		(1U << 1)
#define PHYSWIN_WINDOW_CLAIMED		(1U << 2)
#define PHYSWIN_WINDOW_EXACT		(1U << 3)
/* The window's device went away (PCI removal): every access is ENODEV. */
#define PHYSWIN_WINDOW_GONE		(1U << 4)

/* Cache modes, as physwin_window_get_cache() returns them. */
#define PHYSWIN_CACHE_UNCACHED		0
#define PHYSWIN_CACHE_WRITE_COMBINE	1
#define PHYSWIN_CACHE_WRITE_BACK	2

/* physwin_map_new() flags */
#define PHYSWIN_MAP_WRITE		(1U << 0)	/* also PROT_WRITE */

/** The library's version, "MAJOR.MINOR.PATCH". */
const char *physwin_api_version(void);

/* ---- devices ---- */

/**
 * Open a device: @path, or /dev/physwin when @path is NULL.  Opened
 * read-write with O_SYNC and O_CLOEXEC, or read-only when @readonly is set.
 */
struct physwin_dev *physwin_dev_open(const char *path, int readonly);
/** Close @dev; mappings made from it stay valid until freed. NULL is fine. */
void physwin_dev_close(struct physwin_dev *dev);
/** The file descriptor behind @dev. */
int physwin_dev_get_fd(const struct physwin_dev *dev);
/** The path @dev was opened with. */
const char *physwin_dev_get_path(const struct physwin_dev *dev);

/** Number of windows (physwin only: ENOTTY elsewhere). */
int physwin_dev_get_window_count(struct physwin_dev *dev);
/** Describe window @index; free it with physwin_window_free(). */
struct physwin_window *physwin_dev_get_window(struct physwin_dev *dev,
					      unsigned int index);
/** The window containing @phys; NULL with EPERM when none does. */
struct physwin_window *physwin_dev_find_window(struct physwin_dev *dev,
					       uint64_t phys);

/**
 * One access of @width bits at @phys, for windows that cannot be mapped,
 * made by the kernel as exactly one access of that width: through the
 * batch call on physwin, through pread()/pwrite() on other devices
 * (/dev/mem).  @phys must be a multiple of @width / 8; the window's rules
 * apply (EPERM outside, EINVAL for a width it does not take, EACCES for a
 * write to a read-only window).
 */
int physwin_dev_read(struct physwin_dev *dev, uint64_t phys,
		     unsigned int width, uint64_t *value);
int physwin_dev_write(struct physwin_dev *dev, uint64_t phys,
		      unsigned int width, uint64_t value);
/** All @len bytes at @phys, or -1: a range that leaves its window is EPERM. */
int physwin_dev_read_block(struct physwin_dev *dev, uint64_t phys,
			   void *buf, size_t len);
int physwin_dev_write_block(struct physwin_dev *dev, uint64_t phys,
			    const void *buf, size_t len);

/* ---- windows ---- */

void physwin_window_free(struct physwin_window *win);
unsigned int physwin_window_get_index(const struct physwin_window *win);
const char *physwin_window_get_name(const struct physwin_window *win);
uint64_t physwin_window_get_base(const struct physwin_window *win);
uint64_t physwin_window_get_size(const struct physwin_window *win);
unsigned int physwin_window_get_flags(const struct physwin_window *win);
unsigned int physwin_window_get_cache(const struct physwin_window *win);
/** Widest single access in bits. */
unsigned int physwin_window_get_width(const struct physwin_window *win);

/* ---- mappings ---- */

/**
 * Map @len bytes at @phys (any alignment): the pages around them are mapped
 * with the runtime page size, and physwin_map_get_ptr() points at @phys.
 * A 32-bit build cannot map at or above 2^44 (mmap2() counts 4096-byte
 * units in 32 bits): EOVERFLOW; it keeps a duplicate of the device's
 * descriptor for 64-bit accesses (see physwin_map_read()), closed by
 * physwin_map_free() -- do not close it behind the library's back.
 */
struct physwin_map *physwin_map_new(struct physwin_dev *dev, uint64_t phys,
				    size_t len, unsigned int flags);
/** Unmap, with the length that was mapped.  NULL is fine. */
void physwin_map_free(struct physwin_map *map);
/** Pointer to the byte at the @phys given to physwin_map_new(). */
volatile void *physwin_map_get_ptr(const struct physwin_map *map);
uint64_t physwin_map_get_phys(const struct physwin_map *map);
size_t physwin_map_get_len(const struct physwin_map *map);

/**
 * One volatile access of @width bits at @phys, which must lie inside the
 * mapping (ERANGE) and be a multiple of @width / 8 (EINVAL).  A 32-bit
 * build cannot make a 64-bit access itself (its load is two 32-bit ones):
 * it asks the kernel for one through the batch call instead, with the
 * window's rules (EINVAL where the window, or a 32-bit kernel, has no
 * 64-bit access), and fails with EOPNOTSUPP on a device without that call
 * (/dev/mem).
 */
int physwin_map_read(const struct physwin_map *map, uint64_t phys,
		     unsigned int width, uint64_t *value);
int physwin_map_write(const struct physwin_map *map, uint64_t phys,
		      unsigned int width, uint64_t value);
/**
 * Copy @len bytes between the mapping and @buf with naturally aligned
 * accesses of at most 64 bits (32 in a 32-bit build), as read() and
 * write() on the device do.
 */
int physwin_map_read_block(const struct physwin_map *map, uint64_t phys,
			   void *buf, size_t len);
int physwin_map_write_block(const struct physwin_map *map, uint64_t phys,
			    const void *buf, size_t len);

/* ---- batches: register operations in one call (physwin only) ---- */

/** An empty batch of at most 1024 operations. */
struct physwin_batch *physwin_batch_new(void);
void physwin_batch_free(struct physwin_batch *batch);
/* Append an operation; each returns its index in the batch, or -1. */
int physwin_batch_add_read(struct physwin_batch *batch, uint64_t phys,
			   unsigned int width);
int physwin_batch_add_write(struct physwin_batch *batch, uint64_t phys,
			    unsigned int width, uint64_t value);
/**
 * old = *phys; *phys = (old & ~mask) | (value & mask): one read and one
 * write of @width, always made, atomic against other batch RMWs of the
 * window (not against plain writes or mappings).
 */
int physwin_batch_add_rmw(struct physwin_batch *batch, uint64_t phys,
			  unsigned int width, uint64_t mask, uint64_t value);
/** Read until (*phys & mask) == value; ETIMEDOUT after @timeout_us. */
int physwin_batch_add_poll(struct physwin_batch *batch, uint64_t phys,
			   unsigned int width, uint64_t mask, uint64_t value,
			   uint32_t timeout_us);
/**
 * Run the batch in order, stopping at the first failure: -1 with that
 * operation's errno.  physwin_batch_get_done() tells how many completed.
 */
int physwin_batch_run(struct physwin_batch *batch, struct physwin_dev *dev);
unsigned int physwin_batch_get_count(const struct physwin_batch *batch);
unsigned int physwin_batch_get_done(const struct physwin_batch *batch);
/**
 * The value read by operation @index (read, rmw: before, poll: last), of
 * an operation that ran, or the last value of a poll that timed out.
 * Fails (returns 0) with ERANGE for an @index past the last operation and
 * ENODATA for a write (it reads nothing) or an operation that did not run
 * (the batch was not run, or stopped before it).
 */
uint64_t physwin_batch_get_result(const struct physwin_batch *batch,
				  unsigned int index);

/* Width-typed forms of physwin_map_read() and physwin_map_write(). */
#define PHYSWIN_MAP_ACCESSORS(bits)					\
static inline int physwin_map_read##bits(const struct physwin_map *map,	\
					 uint64_t phys, uint##bits##_t *v) \
{									\
	uint64_t value;							\
	int ret = physwin_map_read(map, phys, bits, &value);		\
									\
	if (!ret)							\
		*v = (uint##bits##_t)value;				\
	return ret;							\
}									\
static inline int physwin_map_write##bits(const struct physwin_map *map, \
					  uint64_t phys, uint##bits##_t v) \
{									\
	return physwin_map_write(map, phys, bits, v);			\
}
PHYSWIN_MAP_ACCESSORS(8)
PHYSWIN_MAP_ACCESSORS(16)
PHYSWIN_MAP_ACCESSORS(32)
PHYSWIN_MAP_ACCESSORS(64)
#undef PHYSWIN_MAP_ACCESSORS

#ifdef __cplusplus
}
#endif

#endif /* PHYSWIN_H */
