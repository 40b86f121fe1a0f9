# SPDX-License-Identifier: GPL-2.0
#
# The README's example verbatim, the default mode, and mode=.
. ./lib.sh
plan 4

# The carve-out starts at 0x10000000.
dmesg -c >/dev/null
if ! insmod "$KO" base=0x10000000 size=0x1000; then
	fail "load: base=0x10000000 size=0x1000" "$(dmesg)"
	fail "mode: default 0600 keeps other users out" "not loaded"
	fail "unload leaves nothing behind" "not loaded"
else
	perms=$(ls -l /dev/physwin | cut -c1-10)
	claim=$(grep -c '10000000-10000fff : physwin' /proc/iomem)
	if [ "$perms" = "crw-------" ] && [ "$claim" = 1 ]; then
		pass "load: base=0x10000000 size=0x1000 (crw-------, claimed)"
	else
		fail "load: base=0x10000000 size=0x1000" "mode $perms, claims $claim"
	fi
	res=$(./pwio -u 1000 open /dev/physwin)
	[ "$res" = EACCES ]
	check "mode: default 0600 keeps other users out (EACCES)" $? "open as uid 1000: $res"
	unload "load"
fi

if insmod "$KO" $CONFIG mode=0606; then
	perms=$(ls -l /dev/physwin | cut -c1-10)
	res=$(./pwio -u 1000 open /dev/physwin)
	if [ "$perms" = "crw----rw-" ] && [ "$res" = ok ]; then
		pass "mode: mode=0606 lets another user open /dev/physwin"
	else
		fail "mode: mode=0606" "mode $perms, open as uid 1000: $res"
	fi
	rmmod physwin
else
	fail "mode: mode=0606" "insmod failed"
fi
exit $failed
