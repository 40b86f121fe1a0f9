// SPDX-License-Identifier: GPL-2.0
/*
 * lib_vm_test: libphyswin against the real module in the test VM, with the
 * six windows guest/main.sh loads (see physwin_test.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ivshmem_plan.h"
#include "kselftest_harness.h"
#include "test_env.h"
#include "physwin.h"

#define EDU_ID_VALUE	0x010000edU


FIXTURE(lib) {
	struct physwin_dev *dev;
	uint64_t edu, edu2, ivshmem, resv;
	unsigned int maxw;
};

FIXTURE_SETUP(lib)
{
	self->dev = physwin_dev_open(NULL, 0);
	ASSERT_NE(NULL, self->dev) TH_LOG("%s", strerror(errno));
	self->edu = env_addr("PW_EDU");
	self->edu2 = env_addr("PW_EDU2");
	self->maxw = physwin_fact("max_width");
	self->ivshmem = env_addr("PW_IVSHMEM");
	self->resv = env_addr("PW_RESV");
}

FIXTURE_TEARDOWN(lib)
{
	physwin_dev_close(self->dev);
}

TEST_F(lib, window_discovery)
{
	struct physwin_window *w;

	ASSERT_EQ(6, physwin_dev_get_window_count(self->dev));
	w = physwin_dev_get_window(self->dev, 0);
	ASSERT_NE(NULL, w);
	ASSERT_STREQ("win0", physwin_window_get_name(w));
	ASSERT_EQ(self->edu, physwin_window_get_base(w));
	ASSERT_EQ(0x1000, physwin_window_get_size(w));
	ASSERT_EQ(32, physwin_window_get_width(w));
	ASSERT_EQ(PHYSWIN_CACHE_UNCACHED, physwin_window_get_cache(w));
	ASSERT_EQ(PHYSWIN_WINDOW_MAPPABLE | PHYSWIN_WINDOW_CLAIMED |
		  PHYSWIN_WINDOW_EXACT, physwin_window_get_flags(w));
	physwin_window_free(w);

	w = physwin_dev_find_window(self->dev, self->ivshmem + IVU_OFF + 5);
	ASSERT_NE(NULL, w);
	ASSERT_EQ(3, physwin_window_get_index(w));
	ASSERT_EQ(PHYSWIN_WINDOW_CLAIMED, physwin_window_get_flags(w));
	physwin_window_free(w);

	errno = 0;
	ASSERT_EQ(NULL, physwin_dev_find_window(self->dev, self->edu + 0x1000));
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(NULL, physwin_dev_get_window(self->dev, 6));
	ASSERT_EQ(ENOENT, errno);
}

/* The pointer is to exactly phys, here a register in mid-page. */
TEST_F(lib, map_any_address)
{
	struct physwin_map *map = physwin_map_new(self->dev, self->edu + 4, 4,
						  PHYSWIN_MAP_WRITE);
	volatile uint32_t *reg;
	uint32_t v;

	ASSERT_NE(NULL, map);
	reg = physwin_map_get_ptr(map);
	*reg = 0x600dcafe;
	ASSERT_EQ(~0x600dcafeU, *reg);
	ASSERT_EQ(0, physwin_map_write32(map, self->edu + 4, 0x13572468));
	ASSERT_EQ(0, physwin_map_read32(map, self->edu + 4, &v));
	ASSERT_EQ(~0x13572468U, v);
	physwin_map_free(map);
}

/*
 * edu tells widths apart: each accessor is exactly one access of its
 * width, or a refusal -- never a split access, also in a 32-bit program.
 */
TEST_F(lib, width_exact_both_paths)
{
	struct physwin_map *map = physwin_map_new(self->dev, self->edu, 0x100,
						  PHYSWIN_MAP_WRITE);
	uint64_t v;

	ASSERT_NE(NULL, map);
	ASSERT_EQ(0, physwin_map_read(map, self->edu, 32, &v));
	ASSERT_EQ(EDU_ID_VALUE, v);
	ASSERT_EQ(0, physwin_dev_read(self->dev, self->edu, 32, &v));
	ASSERT_EQ(EDU_ID_VALUE, v);
	/* the device path keeps the exact window's width */
	ASSERT_EQ(-1, physwin_dev_read(self->dev, self->edu, 64, &v));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, physwin_dev_read(self->dev, self->edu, 16, &v));
	ASSERT_EQ(EINVAL, errno);
	physwin_map_free(map);

	/* the second edu's 64-bit DMA register keeps what one access wrote */
	map = physwin_map_new(self->dev, self->edu2 + 0x80, 8, PHYSWIN_MAP_WRITE);
	ASSERT_NE(NULL, map);
	if (self->maxw == 8) {
		ASSERT_EQ(0, physwin_map_write64(map, self->edu2 + 0x80,
						 0x1122334455667788ULL));
		ASSERT_EQ(0, physwin_dev_read(self->dev, self->edu2 + 0x80, 64, &v));
		ASSERT_EQ(0x1122334455667788ULL, v);
		ASSERT_EQ(0, physwin_dev_write(self->dev, self->edu2 + 0x80, 64,
					       0x8877665544332211ULL));
		ASSERT_EQ(0, physwin_map_read(map, self->edu2 + 0x80, 64, &v));
		ASSERT_EQ(0x8877665544332211ULL, v);
	} else {
		/* a 32-bit kernel makes no 64-bit access: refused, not split */
		ASSERT_EQ(-1, physwin_map_write64(map, self->edu2 + 0x80, 1));
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(-1, physwin_dev_read(self->dev, self->edu2 + 0x80, 64, &v));
		ASSERT_EQ(EINVAL, errno);
	}
	physwin_map_free(map);
}

/*
 * A 32-bit program maps with mmap2(), whose offset counts 4096-byte units
 * in 32 bits: what it cannot express is EOVERFLOW, never another address.
 */
TEST_F(lib, offsets_a_32bit_program_cannot_map)
{
	uint64_t far = 1ULL << 44;

	errno = 0;
	ASSERT_EQ(NULL, physwin_map_new(self->dev, far, 4, 0));
	ASSERT_EQ(sizeof(long) < 8 ? EOVERFLOW : EPERM, errno);
	ASSERT_EQ(NULL, physwin_map_new(self->dev, far - 0x100000, 4, 0));
	ASSERT_EQ(EPERM, errno);
}

TEST_F(lib, blocks_on_the_carveout)
{
	struct physwin_map *map = physwin_map_new(self->dev, self->resv + 0x1003,
						  3000, PHYSWIN_MAP_WRITE);
	uint8_t in[3000], out[3000];
	size_t i;

	ASSERT_NE(NULL, map);
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 37 + 1);
	ASSERT_EQ(0, physwin_map_write_block(map, self->resv + 0x1003, in, sizeof(in)));
	ASSERT_EQ(0, physwin_dev_read_block(self->dev, self->resv + 0x1003, out, sizeof(out)));
	ASSERT_EQ(0, memcmp(in, out, sizeof(in)));
	physwin_map_free(map);
}

TEST_F(lib, misuse_gets_the_design_errno)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t ivu_page = (self->ivshmem + IVU_OFF + page) & ~(page - 1);
	struct physwin_map *map;
	uint64_t v;

	errno = 0;
	ASSERT_EQ(NULL, physwin_map_new(self->dev, self->edu + 0x1000, 4, 0));
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(NULL, physwin_map_new(self->dev, self->edu + 0xffc, 8, 0));
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(NULL, physwin_map_new(self->dev, ivu_page, 4, 0));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, physwin_dev_read(self->dev, self->edu + 0x1000, 32, &v));
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(-1, physwin_dev_read(self->dev, self->edu + 2, 32, &v));
	ASSERT_EQ(EINVAL, errno);
	/* the unaligned window: pread/pwrite reach it, byte-exact */
	ASSERT_EQ(0, physwin_dev_read(self->dev, ivu_page, self->maxw * 8, &v));

	map = physwin_map_new(self->dev, self->edu, 16, 0);
	ASSERT_NE(NULL, map);
	ASSERT_EQ(-1, physwin_map_read(map, self->edu + 16, 32, &v));
	ASSERT_EQ(ERANGE, errno);
	ASSERT_EQ(-1, physwin_map_write(map, self->edu + 4, 32, 1));
	ASSERT_EQ(EACCES, errno);
	physwin_map_free(map);
}

/*
 * The same code on /dev/mem: physwin's claim makes its windows exclusive,
 * so under IO_STRICT_DEVMEM /dev/mem can no longer map them.
 */
TEST_F(lib, dev_mem_shut_out_of_claimed_windows)
{
	struct physwin_dev *mem = physwin_dev_open("/dev/mem", 1);

	ASSERT_NE(NULL, mem);
	errno = 0;
	ASSERT_EQ(NULL, physwin_map_new(mem, self->edu, 4, 0));
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(-1, physwin_dev_get_window_count(mem));
	ASSERT_EQ(ENOTTY, errno);
	physwin_dev_close(mem);
}

/* edu's factorial through the library's batch: write, poll, read */
TEST_F(lib, batch_factorial)
{
	struct physwin_batch *b = physwin_batch_new();

	ASSERT_NE(NULL, b);
	ASSERT_EQ(0, physwin_batch_add_write(b, self->edu + 0x08, 32, 7));
	ASSERT_EQ(1, physwin_batch_add_poll(b, self->edu + 0x20, 32, 1, 0, 1000000));
	ASSERT_EQ(2, physwin_batch_add_read(b, self->edu + 0x08, 32));
	ASSERT_EQ(0, physwin_batch_run(b, self->dev));
	ASSERT_EQ(3, physwin_batch_get_done(b));
	ASSERT_EQ(5040, physwin_batch_get_result(b, 2));

	/* a failing operation stops the batch and says where */
	physwin_batch_free(b);
	b = physwin_batch_new();
	ASSERT_NE(NULL, b);
	physwin_batch_add_read(b, self->edu, 32);
	physwin_batch_add_read(b, self->edu + 0x1000, 32);
	errno = 0;
	ASSERT_EQ(-1, physwin_batch_run(b, self->dev));
	ASSERT_EQ(EPERM, errno);
	ASSERT_EQ(1, physwin_batch_get_done(b));
	ASSERT_EQ(EDU_ID_VALUE, physwin_batch_get_result(b, 0));
	physwin_batch_free(b);
}

TEST_HARNESS_MAIN
