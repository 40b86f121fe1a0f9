# SPDX-License-Identifier: GPL-2.0
#
# The in-guest test suite, run by scripts/check.sh through scripts/vm.sh.
# It is a list of steps, each a shell script (NAME.sh) or a test program
# (NAME) printing TAP with its plan.  The host counts every step against
# its plan (scripts/tap.sh): a step that dies half-way, a step that never
# starts and a step that exits non-zero are failures, whatever it printed.
#
# The guest prints "PHYSWIN-STEPS ..." first, then "PHYSWIN-STEP NAME" and
# "PHYSWIN-STEP-END NAME STATUS" around each step.  Steps run one after
# the other in their own shell, so one that dies cannot take the rest with
# it; a step may leave physwin loaded for the next (main, busy).
# PW_STEPS="a b" runs only those steps.

STEPS="devmem params load
	main physwin_test lib_vm_test batch_test cli busy
	specs spec_test specs-more sysfs nodes trace confine
	escape escape_test escape-race stress cycles
	revoke revoke_test revoke-rescan initfail"
# make check-debug: leaks, while debugfs is still open
[ -n "${PW_KMEMLEAK:-}" ] && STEPS="$STEPS kmemleak"
# last, since it cannot be undone
STEPS="$STEPS lockdown"
STEPS=$(echo ${PW_STEPS:-$STEPS})

# make check-debug: forget what kmemleak suspects from boot, before physwin
# is ever loaded, so that the scan at the end reports what the suite leaked.
if [ -n "${PW_KMEMLEAK:-}" ]; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	echo scan > /sys/kernel/debug/kmemleak
	echo clear > /sys/kernel/debug/kmemleak
fi

# What this kernel lets physwin do, as physwin reports it: the tests'
# expectations follow these, never the architecture's name.
#   PW_MAXW         the widest single access (8, or 4 on 32-bit kernels)
#   PW_PTRACE       1 if ptrace and /proc/PID/mem reach a mapping
#   PW_KPHYS_BITS   the physical address limit physwin enforces, in bits
if insmod "${PW_KO:-/physwin/physwin.ko}" base="$PW_RESV" size=0x1000 2>/dev/null; then
	PW_MAXW=$(cat /sys/class/misc/physwin/max_width)
	PW_PTRACE=$(cat /sys/class/misc/physwin/ptrace)
	PW_KPHYS_BITS=$(cat /sys/class/misc/physwin/phys_addr_bits)
	rmmod physwin
fi
# and the test programs' own: 32 or 64 (their ELF class)
case $(od -An -tu1 -j4 -N1 ./physwin | tr -d ' ') in
1) PW_PROG_BITS=32 ;;
*) PW_PROG_BITS=64 ;;
esac
export PW_MAXW PW_PTRACE PW_KPHYS_BITS PW_PROG_BITS

echo "PHYSWIN-STEPS $STEPS"
status=0
for step in $STEPS; do
	echo "PHYSWIN-STEP $step"
	if [ -e "./$step.sh" ]; then
		sh "./$step.sh"
	else
		"./$step"
	fi
	rc=$?
	echo "PHYSWIN-STEP-END $step $rc"
	[ $rc -eq 0 ] || status=1
done
exit $status
