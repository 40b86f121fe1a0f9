/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ivshmem contract between the host and the guest tests.
 *
 * The host fills the ivshmem backing file with ivshmem_prefill() before the
 * guest boots.  Three windows are opened on the BAR: IVW (page-aligned, also
 * written through mmap), IVU (not page-aligned: read/write only) and IVC.  The
 * guest writes ivshmem_written() into every byte of both windows, through
 * every width and alignment, and tries to write past their edges; the
 * physwin CLI writes IVC the same way.  After the
 * guest powers off, the host checks the whole file: ivshmem_expected() for
 * every byte, so a byte outside a window that changed, or a byte inside one
 * that was not written, is found.  IVR, the confinement driver's window, is
 * compared with the model the driver printed instead.
 */
#ifndef PHYSWIN_IVSHMEM_PLAN_H
#define PHYSWIN_IVSHMEM_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#define IVSHMEM_SIZE	0x100000ULL	/* BAR2, the backing file */

#define IVW_OFF		0x1000ULL	/* window 1: page-aligned */
#define IVW_SIZE	0x1000ULL
#define IVU_OFF		0x3010ULL	/* window 3: not page-aligned */
#define IVU_SIZE	0x1ff0ULL
#define IVC_OFF		0x8000ULL	/* window 4: written by the physwin CLI */
#define IVC_SIZE	0x1000ULL
/*
 * The confinement driver's windows (confine.c), in the middle of the BAR:
 * IVR read-write, IVRO read-only right after it.  IVR ends up holding what
 * the driver's model says, which it prints for the host; IVRO never changes.
 */
#define IVR_OFF		0x80000ULL
#define IVR_SIZE	0x4000ULL
#define IVRO_OFF	(IVR_OFF + IVR_SIZE)
#define IVRO_SIZE	0x1000ULL
/*
 * The stress test's window (stress.c): a private part per thread, then
 * words shared by all.  Its last round leaves ivshmem_written() in it all.
 */
#define IVS_OFF		0x90000ULL
#define IVS_SIZE	0x10000ULL
#define IVS_PRIVATE	0x1000ULL

static inline uint8_t ivshmem_prefill(uint64_t off)
{
	return (uint8_t)(off * 131 + (off >> 8) + 7);
}

/* Differs from ivshmem_prefill() in every byte (bit 7 always flips). */
static inline uint8_t ivshmem_written(uint64_t off)
{
	return ivshmem_prefill(off) ^ (uint8_t)(0x80 | (off * 7 + (off >> 9)));
}

static inline bool ivshmem_in_window(uint64_t off)
{
	return (off >= IVW_OFF && off < IVW_OFF + IVW_SIZE) ||
	       (off >= IVU_OFF && off < IVU_OFF + IVU_SIZE) ||
	       (off >= IVC_OFF && off < IVC_OFF + IVC_SIZE) ||
	       (off >= IVS_OFF && off < IVS_OFF + IVS_SIZE);
}

static inline uint8_t ivshmem_expected(uint64_t off)
{
	return ivshmem_in_window(off) ? ivshmem_written(off) :
					ivshmem_prefill(off);
}

#endif /* PHYSWIN_IVSHMEM_PLAN_H */
