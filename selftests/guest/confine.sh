# SPDX-License-Identifier: GPL-2.0
#
# The confinement proof: sourced by suite.sh (its pass, fail, leftovers and
# KO).  physwin gets two adjacent windows in the middle of the ivshmem BAR,
# "rnd" read-write and "rro" read-only (ivshmem_plan.h: IVR, IVRO), and
# the seeded random driver (confine.c) runs PW_CONFINE_OPS operations
# against /dev/physwin and /dev/physwin-rnd, checking each against its
# model.  Its PHYSWIN-SHADOW lines let the host compare the model with the
# backing file, byte for byte (ivshmem_check verify).

: "${PW_SEED:=1}"
: "${PW_CONFINE_OPS:=20000}"
rnd=$(printf '0x%x' $((PW_IVSHMEM + 0x80000)))
rro=$(printf '0x%x' $((PW_IVSHMEM + 0x84000)))
if insmod "$KO" "window=rnd@$rnd+0x4000,rro@$rro+0x1000:ro"; then
	start=$(date +%s)
	if ./confine "$PW_SEED" "$PW_CONFINE_OPS"; then
		echo "# confine: $PW_CONFINE_OPS operations in $(($(date +%s) - start)) s"
	else
		failed=1
	fi
	rmmod physwin || fail "confine: rmmod after the driver"
	left=$(leftovers)
	if [ -z "$left" ]; then
		pass "confine: nothing left behind"
	else
		fail "confine: nothing left behind" "$left"
	fi
else
	fail "confine: load windows rnd and rro" "$(dmesg | tail -n 3)"
fi
