# SPDX-License-Identifier: GPL-2.0
#
# Unloads the escape windows (escape.sh), then rmmod races with programs
# that open, read and map the device in a loop: every unload either
# succeeds or is refused as busy, an open finds the device or finds none,
# and an open file always works.
. ./lib.sh
plan 2

esc=$(hex $((PW_IVSHMEM + 0x1000)))
ESC=$(escape_windows)
unload "escape"
insmod "$KO" "$ESC"
# rmmod racing with open, read and mmap: 10 unloads, each retried while
# the churners hold the device
rm -f /tmp/churn-stop
./pwio churn /tmp/churn-stop "$esc" > /tmp/churn1 2>&1 &
c1=$!
./pwio -d /dev/physwin-esc churn /tmp/churn-stop "$esc" > /tmp/churn2 2>&1 &
c2=$!
unloads=0
busy=0
other=
while [ $unloads -lt 10 ] && [ $busy -lt 2000 ] && [ -z "$other" ]; do
	if out=$(rmmod physwin 2>&1); then
		unloads=$((unloads + 1))
		insmod "$KO" "$ESC" || other="insmod failed"
		sleep 0.2
	else
		case $out in
		# held open or mapped: EWOULDBLOCK, or "in use" by refcount
		*"in use"* | *"temporarily unavailable"*) busy=$((busy + 1)) ;;
		*) other=$out ;;
		esac
	fi
done
touch /tmp/churn-stop
wait $c1
st1=$?
wait $c2
st2=$?
rmmod physwin 2>/dev/null
left=$(leftovers)
r1=$(cat /tmp/churn1)
r2=$(cat /tmp/churn2)
case "$st1$st2:$r1:$r2:$other" in
00:"opened "*:"opened "*:)
	if [ $unloads -eq 10 ] && [ -z "$left" ]; then
		pass "escape: rmmod raced open/read/mmap: $unloads unloads, $busy refused busy; /dev/physwin $r1, /dev/physwin-esc $r2"
	else
		fail "escape: rmmod raced open/read/mmap" "unloads $unloads, busy $busy" "$left"
	fi ;;
*)
	fail "escape: rmmod raced open/read/mmap" "churn /dev/physwin: $st1 $r1" \
		"churn /dev/physwin-esc: $st2 $r2" "rmmod: $other" ;;
esac
exit $failed
