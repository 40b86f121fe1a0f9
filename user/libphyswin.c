// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libphyswin: see physwin.h for the interface and the error rule.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/physwin.h>

#include "physwin.h"

#define PHYSWIN_API __attribute__((visibility("default")))

#ifndef PHYSWIN_VERSION
#define PHYSWIN_VERSION "0.0.0"
#endif

/* The library's flag and cache values are the kernel's. */
_Static_assert(PHYSWIN_WINDOW_READONLY == PHYSWIN_WIN_RO, "flags");
_Static_assert(PHYSWIN_WINDOW_MAPPABLE == PHYSWIN_WIN_MAPPABLE, "flags");
_Static_assert(PHYSWIN_WINDOW_CLAIMED == PHYSWIN_WIN_CLAIMED, "flags");
_Static_assert(PHYSWIN_WINDOW_EXACT == PHYSWIN_WIN_EXACT, "flags");
_Static_assert(PHYSWIN_WINDOW_GONE == PHYSWIN_WIN_GONE, "flags");
_Static_assert(PHYSWIN_CACHE_UNCACHED == PHYSWIN_CACHE_UC, "cache");
_Static_assert(PHYSWIN_CACHE_WRITE_COMBINE == PHYSWIN_CACHE_WC, "cache");
_Static_assert(PHYSWIN_CACHE_WRITE_BACK == PHYSWIN_CACHE_WB, "cache");
_Static_assert(sizeof(off_t) == 8, "build with _FILE_OFFSET_BITS=64");

struct physwin_dev {
	int fd;
	char *path;
};

struct physwin_map {
	void *base;		/* what mmap() returned */
	size_t maplen;		/* what was mapped: whole pages */
	uint64_t phys;		/* what the caller asked for */
	size_t len;
	volatile uint8_t *ptr;	/* base + phys's offset in its page */
	bool writable;
	int fd;			/* 32-bit builds: the device, for 64-bit accesses */
};

/*
 * Whether a volatile 64-bit load or store of this build is one access.  A
 * 32-bit program's is two 32-bit ones, so its 64-bit accesses go through
 * the device instead: the batch call makes one 64-bit bus access, or
 * refuses where the window (or a 32-bit kernel) allows none.
 */
#define NATIVE64	(sizeof(long) >= 8)

/* mmap2(), the only mmap of 32-bit programs, counts offsets in 4096s */
#define MMAP2_UNIT	4096ULL

struct physwin_batch {
	struct physwin_op *ops;
	unsigned int count;
	unsigned int done;
	int error;		/* errno of the last run, 0 if it completed */
};

struct physwin_window {
	unsigned int index;
	char name[PHYSWIN_NAME_MAX];
	uint64_t base;
	uint64_t size;
	unsigned int flags;
	unsigned int cache;
	unsigned int width;
};

static int fail(int err)
{
	errno = err;
	return -1;
}

/*
 * A getter given a NULL handle: EINVAL, and @ret, the zero of its type (a
 * getter's 0 can be a real value: callers tell by errno).
 */
#define FAIL_NULL(ret) do {	\
	errno = EINVAL;		\
	return ret;		\
} while (0)

/* Bytes for a width in bits, or 0 if the width is not 8, 16, 32 or 64. */
static unsigned int width_bytes(unsigned int width)
{
	switch (width) {
	case 8:
	case 16:
	case 32:
	case 64:
		return width / 8;
	default:
		return 0;
	}
}

/*
 * One access of @bytes at @phys through PHYSWIN_IOC_BATCH: READ fills
 * *@value, WRITE stores it.  The kernel refuses (EINVAL) an access wider
 * than the window allows rather than splitting it.  ENOTTY: not physwin.
 */
static int batch_access(int fd, uint32_t op, uint64_t phys,
			unsigned int bytes, uint64_t *value)
{
	struct physwin_op o = {
		.addr = phys, .op = op, .width = bytes,
		.value = op == PHYSWIN_OP_WRITE ? *value : 0,
	};
	struct physwin_batch_req b = {
		.size = sizeof(b), .op_size = sizeof(o), .nr_ops = 1,
		.ops = (uintptr_t)&o,
	};

	if (ioctl(fd, PHYSWIN_IOC_BATCH, &b))
		return -1;
	if (op == PHYSWIN_OP_READ)
		*value = o.result;
	return 0;
}

/* A single access of @width bits at @phys: the width valid and dividing it. */
static int check_access(uint64_t phys, unsigned int width)
{
	unsigned int bytes = width_bytes(width);

	if (!bytes || phys % bytes)
		return fail(EINVAL);
	return bytes;
}

PHYSWIN_API const char *physwin_api_version(void)
{
	return PHYSWIN_VERSION;
}

PHYSWIN_API struct physwin_dev *physwin_dev_open(const char *path, int readonly)
{
	struct physwin_dev *dev;

	if (!path)
		path = PHYSWIN_DEFAULT_DEVICE;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NULL;
	dev->path = strdup(path);
	if (!dev->path)
		goto err_free;
	dev->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_SYNC | O_CLOEXEC);
	if (dev->fd < 0)
		goto err_free;
	return dev;

err_free: {
		int err = errno;

		free(dev->path);
		free(dev);
		errno = err;
	}
	return NULL;
}

PHYSWIN_API void physwin_dev_close(struct physwin_dev *dev)
{
	if (!dev)
		return;
	close(dev->fd);
	free(dev->path);
	free(dev);
}

PHYSWIN_API int physwin_dev_get_fd(const struct physwin_dev *dev)
{
	return dev ? dev->fd : fail(EINVAL);
}

PHYSWIN_API const char *physwin_dev_get_path(const struct physwin_dev *dev)
{
	if (!dev)
		FAIL_NULL(NULL);
	return dev->path;
}

PHYSWIN_API int physwin_dev_get_window_count(struct physwin_dev *dev)
{
	struct physwin_info info = { .size = sizeof(info) };

	if (!dev)
		return fail(EINVAL);
	if (ioctl(dev->fd, PHYSWIN_IOC_INFO, &info))
		return -1;
	return (int)info.nr_windows;
}

PHYSWIN_API struct physwin_window *
physwin_dev_get_window(struct physwin_dev *dev, unsigned int index)
{
	struct physwin_window_info wi = { .size = sizeof(wi), .index = index };
	struct physwin_window *win;

	if (!dev) {
		errno = EINVAL;
		return NULL;
	}
	if (ioctl(dev->fd, PHYSWIN_IOC_WINDOW, &wi))
		return NULL;
	win = calloc(1, sizeof(*win));
	if (!win)
		return NULL;
	win->index = index;
	memcpy(win->name, wi.name, sizeof(win->name));
	win->name[sizeof(win->name) - 1] = '\0';
	win->base = wi.base;
	win->size = wi.length;
	win->flags = wi.flags;
	win->cache = wi.cache;
	win->width = wi.width * 8;
	return win;
}

PHYSWIN_API struct physwin_window *
physwin_dev_find_window(struct physwin_dev *dev, uint64_t phys)
{
	int i, n = physwin_dev_get_window_count(dev);

	for (i = 0; i < n; i++) {
		struct physwin_window *win = physwin_dev_get_window(dev, i);

		if (!win)
			return NULL;
		if (phys >= win->base && phys - win->base < win->size)
			return win;
		physwin_window_free(win);
	}
	if (n >= 0)
		errno = EPERM;
	return NULL;
}

PHYSWIN_API void physwin_window_free(struct physwin_window *win)
{
	free(win);
}

PHYSWIN_API unsigned int physwin_window_get_index(const struct physwin_window *win)
{
	if (!win)
		FAIL_NULL(0);
	return win->index;
}

PHYSWIN_API const char *physwin_window_get_name(const struct physwin_window *win)
{
	if (!win)
		FAIL_NULL(NULL);
	return win->name;
}

PHYSWIN_API uint64_t physwin_window_get_base(const struct physwin_window *win)
{
	if (!win)
		FAIL_NULL(0);
	return win->base;
}

PHYSWIN_API uint64_t physwin_window_get_size(const struct physwin_window *win)
{
	if (!win)
		FAIL_NULL(0);
	return win->size;
}

PHYSWIN_API unsigned int physwin_window_get_flags(const struct physwin_window *win)
{
	if (!win)
		FAIL_NULL(0);
	return win->flags;
}

PHYSWIN_API unsigned int physwin_window_get_cache(const struct physwin_window *win)
{
	if (!win)
		FAIL_NULL(0);
	return win->cache;
}

PHYSWIN_API unsigned int physwin_window_get_width(const struct physwin_window *win)
{
	if (!win)
		FAIL_NULL(0);
	return win->width;
}

/*
 * pread()/pwrite() take a signed offset and the kernel refuses negative
 * ones; physical addresses at and above 2^63 go through lseek() instead.
 */
static ssize_t dev_pread(struct physwin_dev *dev, void *buf, size_t len,
			 uint64_t phys)
{
	if (phys <= INT64_MAX)
		return pread(dev->fd, buf, len, (off_t)phys);
	if (lseek(dev->fd, (off_t)phys, SEEK_SET) == (off_t)-1)
		return -1;
	return read(dev->fd, buf, len);
}

static ssize_t dev_pwrite(struct physwin_dev *dev, const void *buf,
			  size_t len, uint64_t phys)
{
	if (phys <= INT64_MAX)
		return pwrite(dev->fd, buf, len, (off_t)phys);
	if (lseek(dev->fd, (off_t)phys, SEEK_SET) == (off_t)-1)
		return -1;
	return write(dev->fd, buf, len);
}

/* Values travel as the bytes in memory, so both paths agree on every CPU. */
static uint64_t bytes_to_value(const uint8_t *b, unsigned int bytes)
{
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (bytes) {
	case 1:
		memcpy(&v8, b, 1);
		return v8;
	case 2:
		memcpy(&v16, b, 2);
		return v16;
	case 4:
		memcpy(&v32, b, 4);
		return v32;
	default:
		memcpy(&v64, b, 8);
		return v64;
	}
}

static void value_to_bytes(uint64_t value, uint8_t *b, unsigned int bytes)
{
	uint8_t v8 = (uint8_t)value;
	uint16_t v16 = (uint16_t)value;
	uint32_t v32 = (uint32_t)value;

	switch (bytes) {
	case 1:
		memcpy(b, &v8, 1);
		break;
	case 2:
		memcpy(b, &v16, 2);
		break;
	case 4:
		memcpy(b, &v32, 4);
		break;
	default:
		memcpy(b, &value, 8);
	}
}

/* A value that does not fit its width is an error, not a truncation. */
static bool value_fits(uint64_t value, unsigned int bytes)
{
	return bytes == 8 || value >> (bytes * 8) == 0;
}

PHYSWIN_API int physwin_dev_read(struct physwin_dev *dev, uint64_t phys,
				 unsigned int width, uint64_t *value)
{
	int bytes = check_access(phys, width);
	uint8_t b[8];
	ssize_t n;

	if (bytes < 0 || !dev || !value)
		return fail(EINVAL);
	/* one access of that width, or a refusal; /dev/mem has no batch */
	if (!batch_access(dev->fd, PHYSWIN_OP_READ, phys, bytes, value))
		return 0;
	if (errno != ENOTTY)
		return -1;
	n = dev_pread(dev, b, bytes, phys);
	if (n < 0)
		return -1;
	if (n != bytes)
		return fail(EPERM);	/* the window ended inside the access */
	*value = bytes_to_value(b, bytes);
	return 0;
}

PHYSWIN_API int physwin_dev_write(struct physwin_dev *dev, uint64_t phys,
				  unsigned int width, uint64_t value)
{
	int bytes = check_access(phys, width);
	uint8_t b[8];
	ssize_t n;

	if (bytes < 0 || !dev || !value_fits(value, bytes))
		return fail(EINVAL);
	if (!batch_access(dev->fd, PHYSWIN_OP_WRITE, phys, bytes, &value))
		return 0;
	if (errno != ENOTTY)
		return -1;
	value_to_bytes(value, b, bytes);
	n = dev_pwrite(dev, b, bytes, phys);
	if (n < 0)
		return -1;
	return n == bytes ? 0 : fail(EPERM);
}

/* All of @len bytes, a window's worth per call; 0 bytes means EPERM. */
static int dev_block(struct physwin_dev *dev, uint64_t phys, uint8_t *buf,
		     size_t len, bool write)
{
	if (!dev || (!buf && len))
		return fail(EINVAL);
	while (len) {
		ssize_t n = write ? dev_pwrite(dev, buf, len, phys) :
				    dev_pread(dev, buf, len, phys);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return fail(EPERM);
		buf += n;
		phys += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

PHYSWIN_API int physwin_dev_read_block(struct physwin_dev *dev, uint64_t phys,
				       void *buf, size_t len)
{
	return dev_block(dev, phys, buf, len, false);
}

PHYSWIN_API int physwin_dev_write_block(struct physwin_dev *dev, uint64_t phys,
					const void *buf, size_t len)
{
	/* dev_block() only reads from @buf when @write is true */
	return dev_block(dev, phys, (uint8_t *)buf, len, true);
}

PHYSWIN_API struct physwin_map *physwin_map_new(struct physwin_dev *dev,
						uint64_t phys, size_t len,
						unsigned int flags)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t start = phys & ~(page - 1), end;
	struct physwin_map *map;
	int prot = PROT_READ;
	void *base;

	if (!dev || !len || (flags & ~PHYSWIN_MAP_WRITE) ||
	    __builtin_add_overflow(phys, (uint64_t)len - 1, &end) ||
	    end - start >= SIZE_MAX - page) {
		errno = EINVAL;
		return NULL;
	}
	/* mmap2() would silently map a different address */
	if (!NATIVE64 && start / MMAP2_UNIT > UINT32_MAX) {
		errno = EOVERFLOW;
		return NULL;
	}
	if (flags & PHYSWIN_MAP_WRITE)
		prot |= PROT_WRITE;

	map = calloc(1, sizeof(*map));
	if (!map)
		return NULL;
	map->fd = -1;
	if (!NATIVE64) {
		/* its own: the mapping may outlive @dev */
		map->fd = fcntl(dev->fd, F_DUPFD_CLOEXEC, 0);
		if (map->fd < 0)
			goto err_free;
	}
	map->maplen = (size_t)((end - start) / page + 1) * page;
	base = mmap(NULL, map->maplen, prot, MAP_SHARED, dev->fd, (off_t)start);
	if (base == MAP_FAILED)
		goto err_free;
	map->base = base;
	map->phys = phys;
	map->len = len;
	map->ptr = (volatile uint8_t *)base + (phys - start);
	map->writable = flags & PHYSWIN_MAP_WRITE;
	return map;

err_free: {
		int err = errno;

		if (map->fd >= 0)
			close(map->fd);
		free(map);
		errno = err;
	}
	return NULL;
}

PHYSWIN_API void physwin_map_free(struct physwin_map *map)
{
	if (!map)
		return;
	munmap(map->base, map->maplen);
	if (map->fd >= 0)
		close(map->fd);
	free(map);
}

/*
 * A 64-bit access of a 32-bit build, through the device: EOPNOTSUPP where
 * the device is not physwin (/dev/mem), rather than two 32-bit halves.
 */
static int map_access64(const struct physwin_map *map, uint32_t op,
			uint64_t phys, uint64_t *value)
{
	if (!batch_access(map->fd, op, phys, 8, value))
		return 0;
	return errno == ENOTTY ? fail(EOPNOTSUPP) : -1;
}

PHYSWIN_API volatile void *physwin_map_get_ptr(const struct physwin_map *map)
{
	if (!map)
		FAIL_NULL(NULL);
	return map->ptr;
}

PHYSWIN_API uint64_t physwin_map_get_phys(const struct physwin_map *map)
{
	if (!map)
		FAIL_NULL(0);
	return map->phys;
}

PHYSWIN_API size_t physwin_map_get_len(const struct physwin_map *map)
{
	if (!map)
		FAIL_NULL(0);
	return map->len;
}

/* The mapped address of [phys, phys + len), or NULL (ERANGE) outside. */
static volatile uint8_t *map_at(const struct physwin_map *map, uint64_t phys,
				size_t len)
{
	if (phys < map->phys || phys - map->phys > map->len ||
	    len > map->len - (phys - map->phys)) {
		errno = ERANGE;
		return NULL;
	}
	return map->ptr + (phys - map->phys);
}

/* One volatile load of @bytes (1, 2, 4 or 8) at naturally aligned @p. */
static uint64_t mmio_load(const volatile uint8_t *p, unsigned int bytes)
{
	switch (bytes) {
	case 1:
		return *p;
	case 2:
		return *(const volatile uint16_t *)p;
	case 4:
		return *(const volatile uint32_t *)p;
	default:
		return *(const volatile uint64_t *)p;
	}
}

static void mmio_store(volatile uint8_t *p, unsigned int bytes, uint64_t v)
{
	switch (bytes) {
	case 1:
		*p = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)p = (uint16_t)v;
		break;
	case 4:
		*(volatile uint32_t *)p = (uint32_t)v;
		break;
	default:
		*(volatile uint64_t *)p = v;
	}
}

PHYSWIN_API int physwin_map_read(const struct physwin_map *map, uint64_t phys,
				 unsigned int width, uint64_t *value)
{
	int bytes = check_access(phys, width);
	volatile uint8_t *p;

	if (bytes < 0 || !map || !value)
		return fail(EINVAL);
	p = map_at(map, phys, bytes);
	if (!p)
		return -1;
	if (bytes == 8 && !NATIVE64)
		return map_access64(map, PHYSWIN_OP_READ, phys, value);
	*value = mmio_load(p, bytes);
	return 0;
}

PHYSWIN_API int physwin_map_write(const struct physwin_map *map, uint64_t phys,
				  unsigned int width, uint64_t value)
{
	int bytes = check_access(phys, width);
	volatile uint8_t *p;

	if (bytes < 0 || !map || !value_fits(value, bytes))
		return fail(EINVAL);
	if (!map->writable)
		return fail(EACCES);
	p = map_at(map, phys, bytes);
	if (!p)
		return -1;
	if (bytes == 8 && !NATIVE64)
		return map_access64(map, PHYSWIN_OP_WRITE, phys, &value);
	mmio_store(p, bytes, value);
	return 0;
}

/*
 * The widest naturally aligned access at @phys that fits in @len bytes, and
 * that this build makes as one access (so 4 bytes at most in 32-bit ones).
 */
static unsigned int block_step(uint64_t phys, size_t len)
{
	unsigned int bytes = NATIVE64 ? 8 : 4;

	while (bytes > 1 && (phys % bytes || bytes > len))
		bytes /= 2;
	return bytes;
}

/* @len bytes between the mapping and @buf, widest aligned accesses first */
static int map_block(const struct physwin_map *map, uint64_t phys,
		     uint8_t *buf, size_t len, bool write)
{
	volatile uint8_t *p;

	if (!map || (!buf && len))
		return fail(EINVAL);
	if (write && !map->writable)
		return fail(EACCES);
	p = map_at(map, phys, len);
	if (!p)
		return -1;
	while (len) {
		unsigned int bytes = block_step(phys, len);

		if (write)
			mmio_store(p, bytes, bytes_to_value(buf, bytes));
		else
			value_to_bytes(mmio_load(p, bytes), buf, bytes);
		p += bytes;
		buf += bytes;
		phys += bytes;
		len -= bytes;
	}
	return 0;
}

PHYSWIN_API int physwin_map_read_block(const struct physwin_map *map,
				       uint64_t phys, void *buf, size_t len)
{
	return map_block(map, phys, buf, len, false);
}

PHYSWIN_API int physwin_map_write_block(const struct physwin_map *map,
					uint64_t phys, const void *buf,
					size_t len)
{
	/* map_block() only reads from @buf when @write is true */
	return map_block(map, phys, (uint8_t *)buf, len, true);
}

PHYSWIN_API struct physwin_batch *physwin_batch_new(void)
{
	struct physwin_batch *batch = calloc(1, sizeof(*batch));

	if (!batch)
		return NULL;
	batch->ops = calloc(PHYSWIN_BATCH_MAX, sizeof(*batch->ops));
	if (!batch->ops) {
		free(batch);
		return NULL;
	}
	return batch;
}

PHYSWIN_API void physwin_batch_free(struct physwin_batch *batch)
{
	if (!batch)
		return;
	free(batch->ops);
	free(batch);
}

static int batch_add(struct physwin_batch *batch, uint32_t op, uint64_t phys,
		     unsigned int width, uint64_t mask, uint64_t value,
		     uint32_t timeout_us)
{
	int bytes = check_access(phys, width);
	struct physwin_op *o;

	if (!batch || bytes < 0 || !value_fits(value, bytes) ||
	    !value_fits(mask, bytes))
		return fail(EINVAL);
	if (batch->count == PHYSWIN_BATCH_MAX)
		return fail(E2BIG);
	o = &batch->ops[batch->count];
	memset(o, 0, sizeof(*o));
	o->op = op;
	o->addr = phys;
	o->width = bytes;
	o->mask = mask;
	o->value = value;
	o->timeout_us = timeout_us;
	return (int)batch->count++;
}

PHYSWIN_API int physwin_batch_add_read(struct physwin_batch *batch,
				       uint64_t phys, unsigned int width)
{
	return batch_add(batch, PHYSWIN_OP_READ, phys, width, 0, 0, 0);
}

PHYSWIN_API int physwin_batch_add_write(struct physwin_batch *batch,
					uint64_t phys, unsigned int width,
					uint64_t value)
{
	return batch_add(batch, PHYSWIN_OP_WRITE, phys, width, 0, value, 0);
}

PHYSWIN_API int physwin_batch_add_rmw(struct physwin_batch *batch,
				      uint64_t phys, unsigned int width,
				      uint64_t mask, uint64_t value)
{
	return batch_add(batch, PHYSWIN_OP_RMW, phys, width, mask, value, 0);
}

PHYSWIN_API int physwin_batch_add_poll(struct physwin_batch *batch,
				       uint64_t phys, unsigned int width,
				       uint64_t mask, uint64_t value,
				       uint32_t timeout_us)
{
	return batch_add(batch, PHYSWIN_OP_POLL, phys, width, mask, value,
			 timeout_us);
}

PHYSWIN_API int physwin_batch_run(struct physwin_batch *batch,
				  struct physwin_dev *dev)
{
	struct physwin_batch_req req = { .size = sizeof(req) };
	int ret;

	if (!batch || !dev || !batch->count)
		return fail(EINVAL);
	req.op_size = sizeof(*batch->ops);
	req.nr_ops = batch->count;
	req.ops = (uintptr_t)batch->ops;
	ret = ioctl(dev->fd, PHYSWIN_IOC_BATCH, &req);
	batch->done = ret ? req.nr_done : batch->count;
	batch->error = ret ? errno : 0;
	return ret;
}

PHYSWIN_API unsigned int physwin_batch_get_count(const struct physwin_batch *batch)
{
	if (!batch)
		FAIL_NULL(0);
	return batch->count;
}

PHYSWIN_API unsigned int physwin_batch_get_done(const struct physwin_batch *batch)
{
	if (!batch)
		FAIL_NULL(0);
	return batch->done;
}

PHYSWIN_API uint64_t physwin_batch_get_result(const struct physwin_batch *batch,
					      unsigned int index)
{
	const struct physwin_op *o;

	if (!batch)
		FAIL_NULL(0);
	if (index >= batch->count) {
		errno = ERANGE;
		return 0;
	}
	o = &batch->ops[index];
	/*
	 * A result exists for a read, rmw or poll that ran, and for the poll
	 * that timed out (its last read), as the kernel writes them back.
	 */
	if (o->op == PHYSWIN_OP_WRITE ||
	    (index >= batch->done &&
	     !(index == batch->done && batch->error == ETIMEDOUT &&
	       o->op == PHYSWIN_OP_POLL))) {
		errno = ENODATA;
		return 0;
	}
	return o->result;
}
