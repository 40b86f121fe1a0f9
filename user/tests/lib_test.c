// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Host tests of libphyswin, no kernel needed: a regular file stands in for
 * the device, its offsets for physical addresses (as with /dev/mem).  Run
 * under valgrind by "make check".  Prints TAP; exits 1 if a test failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "physwin.h"

#define FILE_SIZE	(64 * 1024)

static int failed, n;
static char path[] = "/tmp/physwin-lib-test.XXXXXX";

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
		return 1;						\
	}								\
} while (0)

#define CHECK_ERRNO(err, expr) do {					\
	errno = 0;							\
	if ((expr) != -1 || errno != (err)) {				\
		printf("# %s:%d: %s: want %s, errno %s\n", __FILE__,	\
		       __LINE__, #expr, strerror(err), strerror(errno)); \
		return 1;						\
	}								\
} while (0)

static void run(const char *name, int (*fn)(struct physwin_dev *))
{
	struct physwin_dev *dev = physwin_dev_open(path, 0);
	int ret = dev ? fn(dev) : 1;

	physwin_dev_close(dev);
	n++;
	printf("%sok %d lib: %s\n", ret ? "not " : "", n, name);
	failed |= ret;
}

/* the file's byte at offset i */
static uint8_t pattern(uint64_t i)
{
	return (uint8_t)(i * 7 + (i >> 8));
}

static int file_byte(uint64_t off)
{
	uint8_t b;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || pread(fd, &b, 1, (off_t)off) != 1)
		b = 0;
	close(fd);
	return b;
}

static int t_open_errors(struct physwin_dev *dev)
{
	(void)dev;
	errno = 0;
	CHECK(!physwin_dev_open("/nonexistent/physwin", 0) && errno == ENOENT);
	physwin_dev_close(NULL);
	physwin_map_free(NULL);
	physwin_window_free(NULL);
	CHECK_ERRNO(EINVAL, physwin_dev_get_fd(NULL));
	CHECK(physwin_map_new(NULL, 0, 1, 0) == NULL && errno == EINVAL);
	return 0;
}

static int t_dev_accessors(struct physwin_dev *dev)
{
	CHECK(physwin_dev_get_fd(dev) >= 0);
	CHECK(!strcmp(physwin_dev_get_path(dev), path));
	CHECK(!strcmp(physwin_api_version(), PHYSWIN_VERSION));
	return 0;
}

/* a file is not physwin: window queries are ENOTTY, as on /dev/mem */
static int t_not_physwin(struct physwin_dev *dev)
{
	CHECK_ERRNO(ENOTTY, physwin_dev_get_window_count(dev));
	CHECK(!physwin_dev_get_window(dev, 0) && errno == ENOTTY);
	CHECK(!physwin_dev_find_window(dev, 0) && errno == ENOTTY);
	return 0;
}

static int t_map_points_at_phys(struct physwin_dev *dev)
{
	long page = sysconf(_SC_PAGESIZE);
	struct physwin_map *map = physwin_map_new(dev, 0x1234, 8, 0);
	volatile uint8_t *p;

	CHECK(map);
	p = physwin_map_get_ptr(map);
	CHECK(p[0] == pattern(0x1234) && p[7] == pattern(0x123b));
	CHECK(((uintptr_t)p & (uintptr_t)(page - 1)) == (0x1234 & (page - 1)));
	CHECK(physwin_map_get_phys(map) == 0x1234);
	CHECK(physwin_map_get_len(map) == 8);
	physwin_map_free(map);
	return 0;
}

static int t_map_across_pages(struct physwin_dev *dev)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t phys = (uint64_t)page - 4;
	struct physwin_map *map = physwin_map_new(dev, phys, 8,
						  PHYSWIN_MAP_WRITE);
	uint64_t v;

	CHECK(map);
	CHECK(physwin_map_read(map, phys, 32, &v) == 0);
	CHECK(v == (uint32_t)(pattern(phys) | pattern(phys + 1) << 8 |
			      pattern(phys + 2) << 16 |
			      (uint32_t)pattern(phys + 3) << 24));
	CHECK(physwin_map_write32(map, phys + 4, 0xa1b2c3d4) == 0);
	CHECK(file_byte(phys + 4) == 0xd4 && file_byte(phys + 7) == 0xa1);
	physwin_map_write32(map, phys + 4, (uint32_t)(pattern(phys + 4) |
			    pattern(phys + 5) << 8 | pattern(phys + 6) << 16 |
			    (uint32_t)pattern(phys + 7) << 24));
	physwin_map_free(map);
	return 0;
}

static int t_map_misuse(struct physwin_dev *dev)
{
	struct physwin_map *map = physwin_map_new(dev, 0x2000, 16, 0);
	struct physwin_map *rw;
	uint64_t v;
	uint8_t b[4];

	CHECK(map);
	CHECK_ERRNO(EINVAL, physwin_map_read(map, 0x2002, 32, &v));
	CHECK_ERRNO(EINVAL, physwin_map_read(map, 0x2000, 12, &v));
	CHECK_ERRNO(EINVAL, physwin_map_read(map, 0x2000, 0, &v));
	CHECK_ERRNO(ERANGE, physwin_map_read(map, 0x1ffc, 32, &v));
	CHECK_ERRNO(ERANGE, physwin_map_read(map, 0x2010, 8, &v));
	CHECK_ERRNO(ERANGE, physwin_map_read(map, 0x2010, 64, &v));
	CHECK_ERRNO(ERANGE, physwin_map_read_block(map, 0x200e, b, 4));
	CHECK_ERRNO(EACCES, physwin_map_write(map, 0x2000, 8, 1));
	CHECK_ERRNO(EACCES, physwin_map_write_block(map, 0x2000, b, 4));
	CHECK(physwin_map_read(map, 0x200c, 32, &v) == 0);

	rw = physwin_map_new(dev, 0x2000, 16, PHYSWIN_MAP_WRITE);
	CHECK(rw);
	CHECK_ERRNO(EINVAL, physwin_map_write(rw, 0x2000, 8, 0x100));
	CHECK_ERRNO(EINVAL, physwin_map_write(rw, 0x2000, 16, 0x10000));
	CHECK_ERRNO(EINVAL, physwin_map_write(rw, 0x2000, 32, 0x100000000ULL));
	CHECK(file_byte(0x2000) == pattern(0x2000));
	physwin_map_free(rw);
	physwin_map_free(map);

	CHECK(!physwin_map_new(dev, 0x2000, 0, 0) && errno == EINVAL);
	CHECK(!physwin_map_new(dev, 0x2000, 16, 0x80) && errno == EINVAL);
	CHECK(!physwin_map_new(dev, UINT64_MAX - 2, 8, 0) && errno == EINVAL);
	return 0;
}

static int t_dev_read_write(struct physwin_dev *dev)
{
	uint64_t v;

	CHECK(physwin_dev_read(dev, 0x3000, 8, &v) == 0 && v == pattern(0x3000));
	CHECK(physwin_dev_write(dev, 0x3008, 64, 0x0102030405060708ULL) == 0);
	CHECK(file_byte(0x3008) == 0x08 && file_byte(0x300f) == 0x01);
	CHECK(physwin_dev_read(dev, 0x3008, 64, &v) == 0 &&
	      v == 0x0102030405060708ULL);
	CHECK(physwin_dev_read(dev, 0x300c, 16, &v) == 0 && v == 0x0304);
	CHECK_ERRNO(EINVAL, physwin_dev_read(dev, 0x3001, 16, &v));
	CHECK_ERRNO(EINVAL, physwin_dev_write(dev, 0x3002, 32, 0));
	CHECK_ERRNO(EINVAL, physwin_dev_write(dev, 0x3000, 24, 0));
	CHECK_ERRNO(EINVAL, physwin_dev_write(dev, 0x3000, 8, 0x1ff));
	CHECK_ERRNO(EINVAL, physwin_dev_read(dev, 0x3000, 8, NULL));
	/* a file ends where the window would: the access is short */
	CHECK_ERRNO(EPERM, physwin_dev_read(dev, FILE_SIZE, 32, &v));
	return 0;
}

static int t_blocks_both_paths(struct physwin_dev *dev)
{
	struct physwin_map *map = physwin_map_new(dev, 0x4003, 100,
						  PHYSWIN_MAP_WRITE);
	uint8_t in[100], out[100];
	size_t i;

	CHECK(map);
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(0xc0 + i);
	CHECK(physwin_dev_write_block(dev, 0x4003, in, sizeof(in)) == 0);
	CHECK(physwin_map_read_block(map, 0x4003, out, sizeof(out)) == 0);
	CHECK(!memcmp(in, out, sizeof(in)));
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)~in[i];
	CHECK(physwin_map_write_block(map, 0x4003, in, sizeof(in)) == 0);
	CHECK(physwin_dev_read_block(dev, 0x4003, out, sizeof(out)) == 0);
	CHECK(!memcmp(in, out, sizeof(in)));
	CHECK(file_byte(0x4002) == pattern(0x4002));
	CHECK(file_byte(0x4003 + 100) == pattern(0x4003 + 100));
	/* reading past the end of the "window" is an error, not a short read */
	CHECK_ERRNO(EPERM, physwin_dev_read_block(dev, FILE_SIZE - 4, out, 8));
	physwin_map_free(map);
	return 0;
}

/* a mapping outlives the device handle it came from */
static int t_map_outlives_dev(struct physwin_dev *dev)
{
	struct physwin_dev *d2 = physwin_dev_open(path, 1);
	struct physwin_map *map;
	uint8_t v;

	(void)dev;
	CHECK(d2);
	map = physwin_map_new(d2, 0x5000, 1, 0);
	CHECK(map);
	physwin_dev_close(d2);
	CHECK(physwin_map_read8(map, 0x5000, &v) == 0 && v == pattern(0x5000));
	physwin_map_free(map);
	return 0;
}

static int t_batch_building(struct physwin_dev *dev)
{
	struct physwin_batch *b = physwin_batch_new();
	unsigned int i;

	CHECK(b);
	CHECK(physwin_batch_add_read(b, 0x100, 32) == 0);
	CHECK(physwin_batch_add_write(b, 0x104, 32, 7) == 1);
	CHECK(physwin_batch_add_rmw(b, 0x108, 16, 0xff, 0x12) == 2);
	CHECK(physwin_batch_add_poll(b, 0x10c, 8, 1, 1, 100) == 3);
	CHECK_ERRNO(EINVAL, physwin_batch_add_read(b, 0x102, 32));
	CHECK_ERRNO(EINVAL, physwin_batch_add_write(b, 0x100, 8, 0x100));
	CHECK_ERRNO(EINVAL, physwin_batch_add_rmw(b, 0x100, 8, 0x100, 0));
	CHECK_ERRNO(EINVAL, physwin_batch_add_read(b, 0x100, 24));
	CHECK(physwin_batch_get_count(b) == 4);
	/* a file has no batch call: nothing ran */
	CHECK_ERRNO(ENOTTY, physwin_batch_run(b, dev));
	CHECK(physwin_batch_get_done(b) == 0);
	for (i = 4; i < 1024; i++)
		CHECK(physwin_batch_add_read(b, 0, 8) == (int)i);
	CHECK_ERRNO(E2BIG, physwin_batch_add_read(b, 0, 8));
	physwin_batch_free(b);
	physwin_batch_free(NULL);
	return 0;
}

/* every getter sets errno when it fails, as physwin.h promises */
static int t_getter_errors(struct physwin_dev *dev)
{
	struct physwin_batch *b = physwin_batch_new();

	CHECK(b);
#define FAILS_WITH(err, expr) do {					\
	errno = 0;							\
	(void)(expr);							\
	if (errno != (err)) {						\
		printf("# %s:%d: %s: want %s, errno %s\n", __FILE__,	\
		       __LINE__, #expr, strerror(err), strerror(errno)); \
		physwin_batch_free(b);					\
		return 1;						\
	}								\
} while (0)
	FAILS_WITH(EINVAL, physwin_dev_get_path(NULL));
	FAILS_WITH(EINVAL, physwin_window_get_index(NULL));
	FAILS_WITH(EINVAL, physwin_window_get_name(NULL));
	FAILS_WITH(EINVAL, physwin_window_get_base(NULL));
	FAILS_WITH(EINVAL, physwin_window_get_size(NULL));
	FAILS_WITH(EINVAL, physwin_window_get_flags(NULL));
	FAILS_WITH(EINVAL, physwin_window_get_cache(NULL));
	FAILS_WITH(EINVAL, physwin_window_get_width(NULL));
	FAILS_WITH(EINVAL, physwin_map_get_ptr(NULL));
	FAILS_WITH(EINVAL, physwin_map_get_phys(NULL));
	FAILS_WITH(EINVAL, physwin_map_get_len(NULL));
	FAILS_WITH(EINVAL, physwin_batch_get_count(NULL));
	FAILS_WITH(EINVAL, physwin_batch_get_done(NULL));
	FAILS_WITH(EINVAL, physwin_batch_get_result(NULL, 0));
	CHECK(!physwin_dev_get_path(NULL) && !physwin_window_get_name(NULL));
	/* no such operation; one that never ran */
	FAILS_WITH(ERANGE, physwin_batch_get_result(b, 0));
	CHECK(physwin_batch_add_read(b, 0x100, 32) == 0);
	FAILS_WITH(ENODATA, physwin_batch_get_result(b, 0));
	FAILS_WITH(ERANGE, physwin_batch_get_result(b, 1));
	CHECK_ERRNO(ENOTTY, physwin_batch_run(b, dev));
	FAILS_WITH(ENODATA, physwin_batch_get_result(b, 0));
#undef FAILS_WITH
	/* a getter that succeeds leaves errno alone, whatever it was */
	errno = EBADF;
	CHECK(physwin_batch_get_count(b) == 1 && errno == EBADF);
	physwin_batch_free(b);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(struct physwin_dev *dev);
} tests[] = {
	{ "open errors and NULL handles", t_open_errors },
	{ "device accessors and version", t_dev_accessors },
	{ "window queries on a non-physwin device are ENOTTY", t_not_physwin },
	{ "map returns a pointer to exactly phys", t_map_points_at_phys },
	{ "map across a page boundary", t_map_across_pages },
	{ "map misuse: alignment, width, range, read-only, overflow", t_map_misuse },
	{ "pread/pwrite accessors: widths, alignment, short", t_dev_read_write },
	{ "block transfers on both paths", t_blocks_both_paths },
	{ "a mapping outlives its device handle", t_map_outlives_dev },
	{ "batch building: indices, checks, the limit", t_batch_building },
	{ "getters set errno: NULL handles, results that do not exist", t_getter_errors },
};

int main(void)
{
	uint8_t buf[FILE_SIZE];
	int fd = mkstemp(path);
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = pattern(i);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
		perror("lib_test: setup");
		return 1;
	}
	close(fd);

	printf("1..%zu\n", sizeof(tests) / sizeof(tests[0]));
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		run(tests[i].name, tests[i].fn);
	unlink(path);
	return failed;
}
