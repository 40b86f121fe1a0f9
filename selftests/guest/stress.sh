# SPDX-License-Identifier: GPL-2.0
#
# Stress.  Each of PW_STRESS_ROUNDS rounds loads physwin with window "st"
# on IVS (ivshmem_plan.h), runs PW_STRESS_THREADS threads of PW_STRESS_OPS
# operations each with a second process opening and closing the device
# throughout (stress.c), and unloads the module.  The data lives on in the
# BAR across reloads; each thread checks its own.  The last round leaves
# the pattern the host checks.
. ./lib.sh

: "${PW_STRESS_ROUNDS:=3}"
: "${PW_STRESS_THREADS:=4}"
: "${PW_STRESS_OPS:=20000}"
plan $((PW_STRESS_ROUNDS + 1))
st=$(hex $((PW_IVSHMEM + 0x90000)))
round=1
while [ $round -le "$PW_STRESS_ROUNDS" ]; do
	final=
	[ $round -eq "$PW_STRESS_ROUNDS" ] && final=final
	if ! insmod "$KO" "window=st@$st+0x10000"; then
		fail "stress: round $round: load" "$(dmesg | tail -n 3)"
		round=$((round + 1))
		continue
	fi
	start=$(date +%s)
	out=$(./stress "$PW_STRESS_THREADS" "$PW_STRESS_OPS" "${PW_SEED:-1}$round" $final)
	st_rc=$?
	echo "$out" | grep '^#'
	res=$(echo "$out" | sed -n 's/^ok - //p; s/^not ok - //p')
	rmmod physwin || fail "stress: round $round: rmmod"
	if [ $st_rc -eq 0 ]; then
		pass "$res (round $round, $(($(date +%s) - start)) s)"
	else
		fail "${res:-stress: round $round}" "exit status $st_rc"
	fi
	round=$((round + 1))
done
left=$(leftovers)
[ -z "$left" ] && pass "stress: nothing left behind after $PW_STRESS_ROUNDS reloads" ||
	fail "stress: nothing left behind" "$left"
exit $failed
