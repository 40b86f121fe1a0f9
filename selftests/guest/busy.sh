# SPDX-License-Identifier: GPL-2.0
#
# rmmod is refused while the device is open, and while it is only mapped;
# then the main run's windows are unloaded.
. ./lib.sh
plan 3

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
unload "main"
exit $failed
