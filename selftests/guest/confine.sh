# SPDX-License-Identifier: GPL-2.0
#
# The confinement proof.  physwin gets two adjacent windows in the middle
# of the ivshmem BAR, "rnd" read-write and "rro" read-only (ivshmem_plan.h:
# IVR, IVRO), and the seeded random driver (confine.c) runs PW_CONFINE_OPS
# operations against /dev/physwin and /dev/physwin-rnd, checking each
# against its model; it prints one result.  Its PHYSWIN-SHADOW lines let
# the host compare the model with the backing file, byte for byte
# (ivshmem_check verify).
. ./lib.sh
plan 3

: "${PW_SEED:=1}"
: "${PW_CONFINE_OPS:=20000}"
rnd=$(hex $((PW_IVSHMEM + 0x80000)))
rro=$(hex $((PW_IVSHMEM + 0x84000)))
if load "confine" "window=rnd@$rnd+0x4000,rro@$rro+0x1000:ro"; then
	start=$(date +%s)
	if ./confine "$PW_SEED" "$PW_CONFINE_OPS"; then
		echo "# confine: $PW_CONFINE_OPS operations in $(($(date +%s) - start)) s"
	else
		failed=1
	fi
	unload "confine"
else
	fail "confine: the random driver" "not loaded"
	fail "confine: unload" "not loaded"
fi
exit $failed
