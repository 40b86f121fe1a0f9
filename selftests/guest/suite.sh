# SPDX-License-Identifier: GPL-2.0
#
# The in-guest test suite, run by scripts/check.sh through scripts/vm.sh.
# Prints TAP lines ("ok N name", "not ok N name") and exits non-zero if any
# test failed.  physwin_test's own TAP output is part of the stream.
#
# Module-level tests live here: parameters that must be refused (each its
# own insmod that must fail with the exact errno message and one dmesg line,
# and leave /proc/iomem, /dev and /sys/module clean), rmmod while in use,
# load/unload cycles, the mode parameter, and kernel lockdown.

KO=/physwin/physwin.ko
IVW=$(printf '0x%x' $((PW_IVSHMEM + 0x1000)))
IVU=$(printf '0x%x' $((PW_IVSHMEM + 0x3010)))
IVC=$(printf '0x%x' $((PW_IVSHMEM + 0x8000)))
CONFIG="base=$PW_EDU,$IVW,$PW_RESV,$IVU,$IVC size=0x1000,0x1000,$PW_RESV_SIZE,0x1ff0,0x1000"
export IVC

n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n $1"; }
fail() {
	n=$((n + 1))
	echo "not ok $n $1"
	shift
	for line in "$@"; do echo "# $line"; done
	failed=1
}

# expect NAME WANT-STATUS WANT-OUTPUT COMMAND... (stdout and stderr together)
expect() {
	local name=$1 want_rc=$2 want=$3 got rc
	shift 3
	got=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "\$ $*" "status $rc (want $want_rc)" \
			"got:  $got" "want: $want"
	fi
}

# Why the system is not clean of physwin, or nothing.
leftovers() {
	grep -q physwin /proc/iomem && echo "/proc/iomem still has a physwin claim"
	ls /dev/physwin* >/dev/null 2>&1 && echo "$(ls /dev/physwin*) still exist"
	[ -d /sys/module/physwin ] && echo "the module is still loaded"
	[ -e /sys/class/misc/physwin ] && echo "/sys/class/misc/physwin still exists"
	[ -e /sys/class/physwin ] && echo "/sys/class/physwin still exists"
}

# expect_refused NAME STRERROR DMESG-TEXT PARAM...
expect_refused() {
	local name=$1 err=$2 why=$3 out left log
	shift 3
	dmesg -c >/dev/null
	if out=$(insmod "$KO" "$@" 2>&1); then
		rmmod physwin
		fail "refused: $name" "insmod succeeded with: $*"
		return
	fi
	log=$(dmesg)
	left=$(leftovers)
	case $out in
	*": $err") ;;
	*) fail "refused: $name" "insmod said: $out" "expected: ...: $err"; return ;;
	esac
	case $log in
	*"$why"*) ;;
	*) fail "refused: $name" "dmesg lacks '$why':" "$log"; return ;;
	esac
	[ -z "$left" ] || { fail "refused: $name" "$left"; return; }
	pass "refused: $name ($err)"
}

# make check-debug: forget what kmemleak suspects from boot, before physwin
# is ever loaded, so that the scan at the end reports what the suite leaked.
if [ -n "${PW_KMEMLEAK:-}" ]; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	echo scan > /sys/kernel/debug/kmemleak
	echo clear > /sys/kernel/debug/kmemleak
fi

# Before physwin is loaded, /dev/mem reaches the edu registers: physwin
# devmem on /dev/mem must print exactly what busybox devmem prints.
for w in "" 8 16 32 64 b h w l; do
	want=$(devmem "$PW_EDU" $w 2>&1)
	got=$(./physwin devmem --device /dev/mem "$PW_EDU" $w 2>&1)
	if [ "$got" = "$want" ]; then
		pass "cli: physwin devmem = busybox devmem on /dev/mem (width ${w:-default}: $got)"
	else
		fail "cli: physwin devmem = busybox devmem on /dev/mem (width ${w:-default})" \
			"busybox: $want" "physwin: $got"
	fi
done

too_many_base=
too_many_size=
for i in $(seq 0 16); do
	too_many_base=$too_many_base${too_many_base:+,}$(printf '0x%x' $((PW_RESV + i * 0x1000)))
	too_many_size=$too_many_size${too_many_size:+,}0x1000
done
phys_limit=$(printf '0x%x' $((1 << PW_PHYS_BITS)))
resv_last_page=$(printf '0x%x' $((PW_RESV + PW_RESV_SIZE - 0x1000)))

expect_refused "no windows" "Invalid argument" "no windows given"
expect_refused "base= without size=" "Invalid argument" \
	"base= has 1 values but size= has 0" base="$PW_RESV"
expect_refused "unequal base=/size= counts" "Invalid argument" \
	"base= has 2 values but size= has 1" base="$PW_RESV,$IVW" size=0x1000
expect_refused "size 0" "Invalid argument" "size is 0" \
	base="$PW_RESV" size=0
expect_refused "wrap-around" "Value too large for defined data type" \
	"wraps past the top of the address space" \
	base=0xfffffffffffff000 size=0x2000
expect_refused "beyond the physical address limit" \
	"Numerical result out of range" \
	"beyond the platform's physical address limit" \
	base="$phys_limit" size=0x1000
expect_refused "straddling the physical address limit" \
	"Numerical result out of range" \
	"beyond the platform's physical address limit" \
	base="$(printf '0x%x' $((phys_limit - 0x1000)))" size=0x2000
expect_refused "overlapping windows" "Invalid argument" \
	"overlaps window win0" \
	base="$PW_RESV,$(printf '0x%x' $((PW_RESV + 0x800)))" size=0x1000,0x1000
expect_refused "System RAM" "Operation not permitted" \
	"overlaps System RAM" base="$PW_RAM" size=0x1000
expect_refused "partly System RAM" "Operation not permitted" \
	"window win1 (base $resv_last_page size 0x2000): overlaps System RAM" \
	base="$PW_EDU,$resv_last_page" size=0x1000,0x2000
expect_refused "busy range, earlier claims undone" \
	"Device or resource busy" "window win1 (base $PW_BUSY" \
	base="$PW_RESV,$PW_BUSY" size="0x1000,$PW_BUSY_SIZE"
expect_refused "more than 16 windows" "Invalid argument" \
	"can only take 16 arguments" \
	base="$too_many_base" size="$too_many_size"
expect_refused "malformed number" "Invalid argument" \
	"invalid for parameter \`base'" base=0x1000zz size=0x1000
expect_refused "negative size" "Invalid argument" \
	"invalid for parameter \`size'" base="$PW_RESV" size=-1
expect_refused "mode with more than permission bits" "Invalid argument" \
	"only permission bits" $CONFIG mode=01666

# The README's example, verbatim: the carve-out starts at 0x10000000.
dmesg -c >/dev/null
if ! insmod "$KO" base=0x10000000 size=0x1000; then
	fail "load: base=0x10000000 size=0x1000" "$(dmesg)"
else
	perms=$(ls -l /dev/physwin | cut -c1-10)
	claim=$(grep -c '10000000-10000fff : physwin' /proc/iomem)
	if [ "$perms" = "crw-------" ] && [ "$claim" = 1 ]; then
		pass "load: base=0x10000000 size=0x1000 (crw-------, claimed)"
	else
		fail "load: base=0x10000000 size=0x1000" "mode $perms, claims $claim"
	fi
	if ./pwio -u 1000 open /dev/physwin | grep -qx EACCES; then
		pass "mode: default 0600 keeps other users out (EACCES)"
	else
		fail "mode: default 0600 keeps other users out"
	fi
	rmmod physwin
	left=$(leftovers)
	[ -z "$left" ] && pass "unload leaves nothing behind" ||
		fail "unload leaves nothing behind" "$left"
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

# The main run: the C tests against all four windows.
if insmod "$KO" $CONFIG; then
	claims=$(grep -c ': physwin$' /proc/iomem)
	[ "$claims" = 5 ] && pass "load: 5 windows claimed in /proc/iomem" ||
		fail "load: 5 windows claimed" "$claims claims" "$(cat /proc/iomem)"
	./physwin_test || failed=1
	./lib_vm_test || failed=1
	./batch_test || failed=1
	. ./cli.sh

	# rmmod is refused while the device is open, and while only mapped
	for how in open mmap; do
		rm -f /tmp/hold
		if [ $how = open ]; then
			./pwio hold "$PW_EDU" >/tmp/hold &
		else
			./pwio hold "$PW_EDU" mmap >/tmp/hold &
		fi
		pid=$!
		i=0
		while ! grep -q holding /tmp/hold 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		out=$(rmmod physwin 2>&1)
		rc=$?
		kill $pid
		wait $pid 2>/dev/null
		if [ $rc -ne 0 ] && [ -e /dev/physwin ]; then
			pass "rmmod refused while $how ($out)"
		else
			fail "rmmod refused while $how" "rmmod said: $out"
			insmod "$KO" $CONFIG
		fi
	done
	rmmod physwin || fail "rmmod after the holders exit"
else
	fail "load: 5 windows" "$(dmesg | tail -n 5)"
fi

# window= specifications and their attributes
. ./specs.sh
# sysfs, counters and audit
. ./sysfs.sh
# per-window nodes, and access without root
. ./nodes.sh
# tracepoints
. ./trace.sh
# the confinement proof: random operations against a model
. ./confine.sh
# escape attempts, one test each, and rmmod racing with users
. ./escape.sh
# threads, a second process and module reloads on one window
. ./stress.sh

# Load/unload cycles leave nothing behind.
cycles=0
while [ $cycles -lt 50 ]; do
	insmod "$KO" $CONFIG || break
	./pwio read "$PW_EDU" 4 >/dev/null || break
	rmmod physwin || break
	cycles=$((cycles + 1))
done
left=$(leftovers)
if [ $cycles -eq 50 ] && [ -z "$left" ]; then
	pass "50 load/unload cycles leave nothing behind"
else
	fail "50 load/unload cycles" "stopped after $cycles" "$left"
fi

# make check-debug: leaks, while debugfs is still open
[ -n "${PW_KMEMLEAK:-}" ] && . ./kmemleak.sh

# Last, since it cannot be undone: lockdown closes /dev/physwin as /dev/mem.
if [ -w /sys/kernel/security/lockdown ] && insmod "$KO" $CONFIG; then
	echo integrity > /sys/kernel/security/lockdown
	res=$(./pwio open /dev/physwin)
	[ "$res" = EPERM ] && pass "lockdown: open refused (EPERM)" ||
		fail "lockdown: open refused" "open gave: $res"
	rmmod physwin
else
	echo "ok $((n + 1)) lockdown: open refused # SKIP no lockdown LSM"
	n=$((n + 1))
fi

exit $failed
