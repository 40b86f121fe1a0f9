# SPDX-License-Identifier: GPL-2.0
#
# sysfs, counters and the audit log.
. ./lib.sh
plan 30

S=/sys/class/misc/physwin
SYS_W=$PW_RESV
SYS_RO=$(hex $((PW_RESV + 0x1000)))
SYS_X=$(hex $((PW_RESV + 0x2000)))
SYS_OUT=$(hex $((PW_RESV + 0x800000)))

# sysfs_is NAME FILE WANT
sysfs_is() {
	local got
	got=$(cat "$2" 2>&1)
	[ "$got" = "$3" ] && pass "sysfs: $1" || fail "sysfs: $1" "$2: '$got', want '$3'"
}

if insmod "$KO" base="$SYS_W" size=0x1000 mode=0606 \
	"window=rom@$SYS_RO+4K:ro,x@$SYS_X+16:width=4:exact,fast@$(hex $((PW_RESV + 0x100000)))+1M:wb:noclaim"; then
	got=$(ls "$S/windows" | tr '\n' ' ')
	[ "$got" = "fast rom win0 x " ] && pass "sysfs: one directory per window" ||
		fail "sysfs: one directory per window" "$got"
	got=$(ls "$S/windows/x" | tr '\n' ' ')
	[ "$got" = "access base cache denied exact maps name reads size state width writes " ] &&
		pass "sysfs: the files of a window" || fail "sysfs: the files of a window" "$got"
	sysfs_is "win0 state" "$S/windows/win0/state" live
	# addresses are root's, as in /proc/iomem: base, and the parameters
	got=$(ls -l "$S/windows/win0/base" /sys/module/physwin/parameters/base \
		/sys/module/physwin/parameters/size \
		/sys/module/physwin/parameters/window | cut -c1-10 | tr '\n' ' ')
	[ "$got" = "-r-------- -r-------- -r-------- -r-------- " ]
	check "sysfs: base and the base=, size=, window= parameters are root's (0400)" $? "$got"
	got=$(./pwio -u 1000 open "$S/windows/win0/base" r; ./pwio -u 1000 open "$S/windows/win0/size" r)
	[ "$got" = "EACCES
ok" ]
	check "sysfs: another user cannot read a window's base (EACCES), only its size" $? "$got"
	sysfs_is "win0 name" "$S/windows/win0/name" win0
	sysfs_is "win0 base" "$S/windows/win0/base" "$SYS_W"
	sysfs_is "win0 size" "$S/windows/win0/size" 0x1000
	sysfs_is "win0 access" "$S/windows/win0/access" rw
	sysfs_is "win0 cache" "$S/windows/win0/cache" uc
	sysfs_is "win0 width" "$S/windows/win0/width" "$PW_MAXW"
	sysfs_is "win0 exact" "$S/windows/win0/exact" 0
	sysfs_is "rom access" "$S/windows/rom/access" ro
	sysfs_is "x width" "$S/windows/x/width" 4
	sysfs_is "x exact" "$S/windows/x/exact" 1
	sysfs_is "x size" "$S/windows/x/size" 0x10
	sysfs_is "fast cache" "$S/windows/fast/cache" wb

	# counters move by exactly one per call
	./pwio read "$SYS_W" 4 >/dev/null
	./pwio read "$SYS_W" 4 >/dev/null
	./pwio write "$(hex $((SYS_W + 4)))" 4 1
	./physwin --mmap read "$SYS_W" >/dev/null
	sysfs_is "reads counts read() calls" "$S/windows/win0/reads" 2
	sysfs_is "writes counts write() calls" "$S/windows/win0/writes" 1
	sysfs_is "maps counts mmap() calls" "$S/windows/win0/maps" 1
	dmesg -c >/dev/null
	./pwio write "$SYS_RO" 4 1 >/dev/null
	./pwio read "$((SYS_X + 2))" 2 >/dev/null
	./pwio read "$SYS_OUT" 4 >/dev/null
	sysfs_is "denied counts a write to a read-only window" "$S/windows/rom/denied" 1
	sysfs_is "denied counts an access exact refuses" "$S/windows/x/denied" 1
	sysfs_is "denied outside every window is the device's" "$S/denied" 1
	sysfs_is "a refusal is not a read" "$S/windows/rom/reads" 0

	# the audit line: who, what, where, why
	log=$(dmesg)
	case $log in
	*"physwin: denied write at $SYS_RO in window rom: window is read-only (comm=pwio pid="*" uid=0)"*)
		pass "audit: a refused write names window, reason, comm, pid, uid" ;;
	*) fail "audit: refused write logged" "$log" ;;
	esac
	case $log in
	*"physwin: denied read at $SYS_OUT: outside every window (comm=pwio"*)
		pass "audit: a read outside every window is logged" ;;
	*) fail "audit: read outside logged" "$log" ;;
	esac
	# an unprivileged loop cannot flood the log: 10 lines per 5 s at most
	dmesg -c >/dev/null
	sleep 5
	n_eperm=$(./pwio -u 1000 flood 10000 "$SYS_OUT")
	lines=$(dmesg | grep -c 'physwin: denied')
	[ "$n_eperm" = 10000 ] && pass "audit: uid 1000 gets EPERM 10000 times" ||
		fail "audit: unprivileged flood" "EPERM $n_eperm times"
	sysfs_is "10000 refusals all counted" "$S/denied" 10001
	[ "$lines" -ge 1 ] && [ "$lines" -le 10 ] &&
		pass "audit: 10000 refusals from uid 1000 give $lines log lines (rate-limited)" ||
		fail "audit: rate limit" "$lines lines"
	rmmod physwin
	[ ! -e $S ] && pass "sysfs: gone after unload" || fail "sysfs: gone after unload"
else
	fail "sysfs: load" "$(dmesg | tail -n 3)"
fi
exit $failed
