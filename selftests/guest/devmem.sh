# SPDX-License-Identifier: GPL-2.0
#
# Before physwin is loaded, /dev/mem reaches the edu registers: physwin
# devmem on /dev/mem must print exactly what busybox devmem prints, and
# both must succeed (two tools that die the same way are not a match).
. ./lib.sh
plan 9

for w in "" 8 16 32 64 b h w l; do
	want=$(devmem "$PW_EDU" $w 2>&1)
	wrc=$?
	got=$(./physwin devmem --device /dev/mem "$PW_EDU" $w 2>&1)
	grc=$?
	if [ "$got" = "$want" ] && [ $wrc = 0 ] && [ $grc = 0 ]; then
		pass "cli: physwin devmem = busybox devmem on /dev/mem (width ${w:-default}: $got)"
	else
		fail "cli: physwin devmem = busybox devmem on /dev/mem (width ${w:-default})" \
			"busybox: $want (status $wrc)" "physwin: $got (status $grc)"
	fi
done
exit $failed
