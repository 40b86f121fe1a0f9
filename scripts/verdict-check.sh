#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# verdict-check.sh KERNEL: plant each kind of failure that could let a run
# end green with tests failed or never run, and require that it is
# counted.  Prints TAP.
#
#  - the counting itself (scripts/tap.sh), on made-up step outputs: a step
#    that dies half-way, prints nothing, exits non-zero, has no plan, gives
#    more results than planned, skips without a reason, or bails out; a
#    guest that never declares its steps, or declares one it never runs or
#    never finishes, or runs one it did not declare;
#  - the checkers that look at what happened: kcheck.sh without a console
#    log or a taint line, and with a claim freed twice; static-check.sh
#    with checkpatch missing; user-check.sh with nothing built;
#  - one real guest boot (on KERNEL) that loads a module that warns, runs
#    a step that dies half-way on a shell arithmetic error, and a lockdown
#    step whose module cannot be loaded: the detector must see the warning
#    and the taint, the counting must see the dead step and the failed load,
#    and the steps after the dead one must still run.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:?usage: verdict-check.sh KERNEL}
OUT=$TOP/build/check/verdict
rm -rf "$OUT"
mkdir -p "$OUT"

echo "1..26"
n=0
failed=0
line() {	# line NAME STATUS
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n verdict: $1"
	else
		echo "not ok $n verdict: $1"
		failed=1
	fi
}

# count FILE STATUS: "passed failed skipped" as tap_step counts FILE
count() {
	(
		. "$TOP/scripts/tap.sh"
		tap_step planted "$1" "$2" >/dev/null
		echo "$passed $failed $skipped"
	)
}

# counts_as NAME WANT STATUS TAP: the step output TAP, with STATUS, must
# count as WANT ("passed failed skipped")
counts_as() {
	local got
	printf '%s' "$4" > "$OUT/planted.tap"
	got=$(count "$OUT/planted.tap" "$3")
	[ "$got" = "$2" ]
	line "$1 (counted $got)" $?
	[ "$got" = "$2" ] || echo "# want $2"
}

counts_as "a well-formed step counts its results" "3 0 1" 0 \
	"$(printf '1..4\nok 1 a\nok 2 b\nok 3 c # SKIP no such feature\nok 4 d\n')"
counts_as "a whole step skipped with a reason is one skip" "0 0 1" 0 \
	"$(printf '1..0 # SKIP not on this kernel\n')"
counts_as "a step that died half-way: 3 missing results and its status" "2 4 0" 2 \
	"$(printf '1..5\nok 1 a\nok 2 b\n')"
counts_as "a step that printed nothing and failed" "0 2 0" 1 ""
counts_as "a step whose results pass but which exited 1" "2 1 0" 1 \
	"$(printf '1..2\nok 1 a\nok 2 b\n')"
counts_as "results without a plan" "2 3 0" 0 \
	"$(printf 'ok 1 a\nok 2 b\n')"
counts_as "more results than planned" "3 1 0" 0 \
	"$(printf '1..2\nok 1 a\nok 2 b\nok 3 c\n')"
counts_as "a skip without a reason" "1 1 0" 0 \
	"$(printf '1..2\nok 1 a\nok 2 b # SKIP\n')"
counts_as "a bail-out" "1 2 0" 0 \
	"$(printf '1..2\nok 1 a\nBail out! the device is gone\n')"
counts_as "two programs in one step, the second cut short" "3 1 0" 0 \
	"$(printf '1..2\nok 1 a\nok 2 b\n1..2\nok 1 c\n')"

# guest_counts LOG: "passed failed skipped" as tap_guest counts LOG
guest_counts() {
	(
		. "$TOP/scripts/tap.sh"
		tap_guest planted "$1" >/dev/null
		echo "$passed $failed $skipped"
	)
}
printf 'PHYSWIN-STEP a\n1..1\nok 1 x\nPHYSWIN-STEP-END a 0\n' > "$OUT/g1.log"
printf 'PHYSWIN-STEPS a b c\nPHYSWIN-STEP a\n1..1\nok 1 x\nPHYSWIN-STEP-END a 0\nPHYSWIN-STEP b\n1..2\nok 1 y\n' > "$OUT/g2.log"
printf 'PHYSWIN-STEPS a\nPHYSWIN-STEP a\n1..1\nok 1 x\nPHYSWIN-STEP-END a 0\nPHYSWIN-STEP z\n1..1\nok 1 y\nPHYSWIN-STEP-END z 0\nok 9 stray\n' > "$OUT/g3.log"
got=$(guest_counts "$OUT/g1.log")
[ "$got" = "0 1 0" ]
line "a guest that never declared its steps ($got)" $?
got=$(guest_counts "$OUT/g2.log")
[ "$got" = "2 3 0" ]
line "a step cut off and a step never started ($got)" $?
got=$(guest_counts "$OUT/g3.log")
[ "$got" = "1 2 0" ]
line "an undeclared step and a result outside any step ($got)" $?

# the checkers that look at the outcome
printf 'PHYSWIN-TAINT 12288\nPHYSWIN-VERDICT 0\n' > "$OUT/out.log"
printf '[    0.0] Linux version 6.1\n' > "$OUT/console.log"
"$TOP/scripts/kcheck.sh" "$OUT/console.log" "$OUT/out.log" 2>/dev/null
line "kcheck passes a clean log (the control)" $?
! "$TOP/scripts/kcheck.sh" "$OUT/missing.log" "$OUT/out.log" 2>/dev/null
line "kcheck fails without a console log" $?
printf 'PHYSWIN-VERDICT 0\n' > "$OUT/notaint.log"
! "$TOP/scripts/kcheck.sh" "$OUT/console.log" "$OUT/notaint.log" 2>/dev/null
line "kcheck fails without a taint line" $?
printf '[    0.0] Linux version 6.1\n[    9.0] Trying to free nonexistent resource <0xfe900000-0xfe900fff>\n' > "$OUT/freed.log"
! "$TOP/scripts/kcheck.sh" "$OUT/freed.log" "$OUT/out.log" 2>/dev/null
line "kcheck fails on a claim freed twice" $?
# a guest that boots twice (the Debian guest): the first boot's taint counts
printf 'PHYSWIN-TAINT 512\nPHYSWIN-TAINT 12288\nPHYSWIN-VERDICT 0\n' > "$OUT/twoboots.log"
! "$TOP/scripts/kcheck.sh" "$OUT/console.log" "$OUT/twoboots.log" 2>/dev/null
line "kcheck fails on a taint in the first of two boots" $?
# the verdict after QEMU (vm.sh, debian-guest.sh): clean logs but a
# timeout, and a clean run but a non-zero verdict, are both red
mkdir -p "$OUT/gv"
cp "$OUT/console.log" "$OUT/gv/console.log"
printf 'PHYSWIN-TAINT 0\nPHYSWIN-VERDICT 0\n' > "$OUT/gv/output.log"
"$TOP/scripts/guest-verdict.sh" "$OUT/gv" 0 60 2>/dev/null && g0=0 || g0=1
! "$TOP/scripts/guest-verdict.sh" "$OUT/gv" 124 60 2>/dev/null && g1=0 || g1=1
printf 'PHYSWIN-TAINT 0\nPHYSWIN-VERDICT 3\n' > "$OUT/gv/output.log"
! "$TOP/scripts/guest-verdict.sh" "$OUT/gv" 0 60 2>/dev/null && g2=0 || g2=1
grep -q 'guest command exited with 3' "$OUT/gv/vm.fail"
[ $((g0 | g1 | g2 | $?)) -eq 0 ]
line "guest-verdict: clean passes; a timeout and a verdict of 3 fail, said in vm.fail" $?
PHYSWIN_CHECKPATCH=$OUT/no-checkpatch.pl "$TOP/scripts/static-check.sh" checkpatch \
	> "$OUT/static.tap" 2>&1
got=$(count "$OUT/static.tap" $?)
[ "$got" = "0 2 0" ]
line "static-check with checkpatch missing is red, not clean ($got)" $?
mkdir -p "$OUT/empty"
"$TOP/scripts/user-check.sh" "$OUT/empty" > "$OUT/user.tap" 2>&1
st=$?
grep -q '^not ok 3 user: libphyswin.so exports' "$OUT/user.tap" &&
	[ "$(count "$OUT/user.tap" $st | cut -d' ' -f2)" -ge 4 ]
line "user-check with nothing built is red, the export check included" $?

# A real boot: a module that warns, a step that dies, a load that fails.
read -r _ _ _ _ kdir < <("$TOP/scripts/kernels.sh" "$kernel")
fdir=$TOP/build/faulty/$(basename "$kdir")
mkdir -p "$fdir"
ln -sfn "$TOP/selftests/faulty/Kbuild" "$fdir/Kbuild"
ln -sfn "$TOP/selftests/faulty/faulty.c" "$fdir/faulty.c"
make -s -C "$kdir" M="$fdir" modules > "$OUT/faulty-build.log" 2>&1
"$TOP/scripts/vm.sh" --kernel "$kernel" --timeout 300 --out "$OUT/vm" \
	--add "$fdir/physwin_faulty.ko" -- 'insmod physwin_faulty.ko;' \
	'PW_KO=/nonexistent.ko PW_STEPS="planted devmem lockdown" sh suite.sh' \
	> "$OUT/vm.log" 2>&1
st=$?
sed 's/^/# /' "$OUT/vm.log" | grep 'kcheck\|vm:'
[ $st -ne 0 ]
line "the planted boot fails as a whole (vm.sh status $st)" $?
grep -q 'kcheck:.*WARNING:' "$OUT/vm.log" &&
	grep -q 'kcheck: FAIL: kernel tainted' "$OUT/vm.log"
line "the detector saw the warning and the taint" $?
awk '/^PHYSWIN-STEP planted/,/^PHYSWIN-STEP-END planted/' "$OUT/vm/output.log" > "$OUT/dead.tap"
rc=$(sed -n 's/^PHYSWIN-STEP-END planted //p' "$OUT/dead.tap")
got=$(count "$OUT/dead.tap" "${rc:-none}")
[ "$got" = "1 3 0" ]
line "the step that died half-way: 2 missing results and its status ($got)" $?
awk '/^PHYSWIN-STEP devmem/,/^PHYSWIN-STEP-END devmem/' "$OUT/vm/output.log" > "$OUT/after.tap"
got=$(count "$OUT/after.tap" "$(sed -n 's/^PHYSWIN-STEP-END devmem //p' "$OUT/after.tap")")
[ "$got" = "9 0 0" ]
line "the step after it still ran and passed ($got)" $?
awk '/^PHYSWIN-STEP lockdown/,/^PHYSWIN-STEP-END lockdown/' "$OUT/vm/output.log" > "$OUT/lockdown.tap"
got=$(count "$OUT/lockdown.tap" "$(sed -n 's/^PHYSWIN-STEP-END lockdown //p' "$OUT/lockdown.tap")")
case $got in
"0 "[1-9]*" 0") st=0 ;;
*) st=1 ;;
esac
line "a lockdown step whose module does not load fails, it is no skip ($got)" $st
exit $failed
