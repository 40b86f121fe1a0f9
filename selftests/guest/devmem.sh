# SPDX-License-Identifier: GPL-2.0
#
# Before physwin is loaded, /dev/mem reaches the PCI BARs: physwin devmem
# on /dev/mem must print exactly what busybox devmem prints, and both must
# succeed (two tools that die the same way are not a match).  The target is
# the ivshmem BAR, memory that takes every width (edu's registers take
# 4-byte accesses only: narrower ones are an abort on ARM).
. ./lib.sh
plan 9

for w in "" 8 16 32 64 b h w l; do
	want=$(devmem "$IVW" $w 2>&1)
	wrc=$?
	if [ "$w" = 64 ] && [ "$PW_PROG_BITS" = 32 ]; then
		# a 32-bit program's 64-bit load through a mapping is two
		# 32-bit ones, which busybox makes and physwin refuses
		want="physwin: read $IVW: Operation not supported"
		wrc=1
	fi
	got=$(./physwin devmem --device /dev/mem "$IVW" $w 2>&1)
	grc=$?
	same_as_busybox "cli: physwin devmem = busybox devmem on /dev/mem (width ${w:-default}: $got)" \
		"$want" $wrc "$got" $grc
done
exit $failed
