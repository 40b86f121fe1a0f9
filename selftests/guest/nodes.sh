# SPDX-License-Identifier: GPL-2.0
#
# Per-window nodes /dev/physwin-<name> and access without root.  uid 1000
# gets the per-window nodes (win_mode=0606) and not /dev/physwin (mode
# 0600).
. ./lib.sh
plan 15

N_ROM=$PW_RESV
if insmod "$KO" "window=win0@$PW_EDU+0x1000:$EDU_SPEC,rom@$N_ROM+4K:ro" \
	win_mode=0606; then
	got=$(ls -l /dev/physwin /dev/physwin-win0 /dev/physwin-rom | cut -c1-10 | tr '\n' ' ')
	[ "$got" = "crw------- crw----rw- crw----rw- " ] &&
		pass "nodes: /dev/physwin-win0 and -rom with win_mode, /dev/physwin with mode" ||
		fail "nodes: modes" "$got"
	expect "nodes: uid 1000 cannot open /dev/physwin (EACCES)" 1 EACCES \
		./pwio -u 1000 read "$PW_EDU" 4
	expect "nodes: uid 1000 reads edu through /dev/physwin-win0" 0 0x010000ed \
		./pwio -u 1000 -d /dev/physwin-win0 read "$PW_EDU" 4
	./pwio -u 1000 -d /dev/physwin-win0 write "$(printf '0x%x' $((PW_EDU + 4)))" 4 0x0000ffff
	expect "nodes: uid 1000 writes edu through its node" 0 0xffff0000 \
		./pwio -d /dev/physwin-win0 read "$(printf '0x%x' $((PW_EDU + 4)))" 4
	expect "nodes: a window node does not reach the other windows (EPERM)" 1 EPERM \
		./pwio -u 1000 -d /dev/physwin-win0 read "$N_ROM" 4
	expect "nodes: ...nor map them (EPERM)" 1 EPERM \
		./pwio -u 1000 -d /dev/physwin-win0 hold "$N_ROM" mmap
	expect "nodes: read-only holds through the window's node (EACCES)" 1 EACCES \
		./pwio -u 1000 -d /dev/physwin-rom write "$N_ROM" 4 1
	expect "nodes: same offsets: the rom node reads its window" 0 \
		"$(./pwio read "$N_ROM" 4)" ./pwio -u 1000 -d /dev/physwin-rom read "$N_ROM" 4
	got=$(./physwin -d /dev/physwin-rom list | tail -n +2)
	echo "$got" | grep -q "^0 *rom *0x0*${N_ROM#0x} *0x1000 *ro " &&
		[ "$(echo "$got" | wc -l)" = 1 ] &&
		pass "nodes: a window node lists its one window as index 0" ||
		fail "nodes: list through a window node" "$got"
	rmmod physwin
	left=$(ls /dev/physwin* /sys/class/physwin 2>/dev/null)
	[ -z "$left" ] && pass "nodes: all gone after unload" || fail "nodes: gone after unload" "$left"
else
	fail "nodes: load with win_mode" "$(dmesg | tail -n 3)"
fi

# win_uid/win_gid: the nodes belong to uid 1000 from the moment they appear
if insmod "$KO" "window=win0@$PW_EDU+0x1000:$EDU_SPEC" win_uid=1000 win_gid=1001 win_mode=0640; then
	got=$(ls -ln /dev/physwin-win0 | awk '{print $1, $3, $4}')
	[ "$got" = "crw-r----- 1000 1001" ] &&
		pass "nodes: win_uid=1000 win_gid=1001 win_mode=0640 give crw-r----- 1000 1001" ||
		fail "nodes: win_uid/win_gid" "$got"
	expect "nodes: the owner reads and writes through its node" 0 "" \
		./pwio -u 1000 -d /dev/physwin-win0 write "$(printf '0x%x' $((PW_EDU + 4)))" 4 0
	expect "nodes: another uid is kept out (EACCES)" 1 EACCES \
		./pwio -u 1002 -d /dev/physwin-win0 read "$PW_EDU" 4
	rmmod physwin
else
	fail "nodes: load with win_uid/win_gid" "$(dmesg | tail -n 3)"
fi
expect_refused "win_uid that is not a valid uid" "Invalid argument" \
	"win_uid=4294967295 win_gid=0: not a valid user and group" \
	base="$PW_EDU" size=0x1000 win_uid=4294967295
expect_refused "win_mode with more than permission bits" "Invalid argument" \
	"win_mode=01666: only permission bits" base="$PW_EDU" size=0x1000 win_mode=01666
exit $failed
