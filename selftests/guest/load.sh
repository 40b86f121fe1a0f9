# SPDX-License-Identifier: GPL-2.0
#
# The README's example (base= and size= of one page, here on the
# carve-out), the default mode, and mode=.
. ./lib.sh
plan 4

dmesg -c >/dev/null
line=$(printf '%08x-%08x : physwin' "$PW_RESV" $((PW_RESV + 0xfff)))
if ! insmod "$KO" base="$PW_RESV" size=0x1000; then
	fail "load: base=$PW_RESV size=0x1000" "$(dmesg)"
	fail "mode: default 0600 keeps other users out" "not loaded"
	fail "unload leaves nothing behind" "not loaded"
else
	perms=$(ls -l /dev/physwin | cut -c1-10)
	claim=$(grep -c "$line" /proc/iomem)
	if [ "$perms" = "crw-------" ] && [ "$claim" = 1 ]; then
		pass "load: base=$PW_RESV size=0x1000 (crw-------, claimed)"
	else
		fail "load: base=$PW_RESV size=0x1000" "mode $perms, claims $claim"
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
