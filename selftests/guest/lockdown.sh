# SPDX-License-Identifier: GPL-2.0
#
# Last, since it cannot be undone: lockdown closes /dev/physwin as it
# closes /dev/mem.  A kernel without the lockdown LSM skips this, with the
# reason; a load that fails is a failure, not a skip.
. ./lib.sh

if [ ! -w /sys/kernel/security/lockdown ]; then
	echo "1..0 # SKIP no lockdown LSM (/sys/kernel/security/lockdown)"
	exit 0
fi
plan 2
if load "lockdown" $CONFIG; then
	echo integrity > /sys/kernel/security/lockdown
	res=$(./pwio open /dev/physwin)
	[ "$res" = EPERM ]
	check "lockdown: open refused (EPERM)" $? "open gave: $res"
	rmmod physwin
else
	fail "lockdown: open refused (EPERM)" "not loaded"
fi
exit $failed
