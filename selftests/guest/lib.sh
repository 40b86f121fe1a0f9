# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every guest test step (see suite.sh): the targets' derived
# addresses, and the TAP helpers.  A step says first how many results it
# will give ("plan N"); the host counts any it did not give as failed.

KO=${PW_KO:-/physwin/physwin.ko}
hex() { printf '0x%x' "$1"; }

# The six windows of the main run: edu's 32-bit registers, as a user
# describes them on any platform (4-byte accesses only: narrower ones are
# an abort on ARM); three on ivshmem (ivshmem_plan.h: IVW, IVU, IVC); the
# carve-out; and the second edu's 64-bit registers, as wide as this
# kernel's accesses go (suite.sh: PW_MAXW).
IVW=$(hex $((PW_IVSHMEM + 0x1000)))
IVU=$(hex $((PW_IVSHMEM + 0x3010)))
IVC=$(hex $((PW_IVSHMEM + 0x8000)))
EDU_SPEC="width=4:exact"
CONFIG="window=win0@$PW_EDU+0x1000:$EDU_SPEC,win1@$IVW+0x1000"
CONFIG="$CONFIG,win2@$PW_RESV+$PW_RESV_SIZE,win3@$IVU+0x1ff0,win4@$IVC+0x1000"
CONFIG="$CONFIG,win5@$PW_EDU2+0x1000:width=${PW_MAXW:-8}:exact"

n=0
failed=0
plan() { echo "1..$1"; }
pass() { n=$((n + 1)); echo "ok $n $1"; }
fail() {
	n=$((n + 1))
	echo "not ok $n $1"
	shift
	for line in "$@"; do echo "# $line"; done
	failed=1
}
# check NAME STATUS [DIAGNOSTIC...]: pass if STATUS is 0
check() {
	local name=$1 st=$2
	shift 2
	if [ "$st" = 0 ]; then pass "$name"; else fail "$name" "$@"; fi
}

# same_as_busybox NAME WANT WANT-STATUS GOT GOT-STATUS: one result, the
# output and exit status of physwin devmem equal busybox devmem's
same_as_busybox() {
	if [ "$4" = "$2" ] && [ "$5" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "busybox: $2 (status $3)" "physwin: $4 (status $5)"
	fi
}

# pm_idle_status BDF: let the device runtime-suspend when idle
# (control auto), give it a second, and print its runtime status
pm_idle_status() {
	echo auto > "/sys/bus/pci/devices/$1/power/control"
	sleep 1
	cat "/sys/bus/pci/devices/$1/power/runtime_status"
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

# expect_refused NAME STRERROR DMESG-TEXT PARAM...: insmod must fail with
# STRERROR, say DMESG-TEXT in the kernel log, and leave nothing behind
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

# load NAME PARAM...: insmod as one result; status 0 if loaded
load() {
	local name=$1 out
	shift
	dmesg -c >/dev/null
	if out=$(insmod "$KO" "$@" 2>&1); then
		pass "$name: load"
		return 0
	fi
	fail "$name: load" "insmod $*: $out" "$(dmesg | tail -n 3)"
	return 1
}

# unload NAME: rmmod as one result, and nothing may be left behind
unload() {
	local out left
	out=$(rmmod physwin 2>&1)
	left=$(leftovers)
	if [ -z "$out" ] && [ -z "$left" ]; then
		pass "$1: unload leaves nothing behind"
	else
		fail "$1: unload leaves nothing behind" "rmmod: $out" "$left"
	fi
}

# The windows of the escape steps (escape.sh, escape_test, escape-race.sh)
escape_windows() {
	echo "window=esc@$(hex $((PW_IVSHMEM + 0x1000)))+0x1000,esro@$(hex $((PW_IVSHMEM + 0x84000)))+0x1000:ro,esx@$(hex $((PW_RESV + 0x300000)))+0x2000:width=4:exact"
}
