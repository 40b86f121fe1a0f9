# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: after every load and unload of the suite, and before
# lockdown closes debugfs, ask kmemleak for leaks.  Sourced by suite.sh
# when PW_KMEMLEAK is set; suite.sh told kmemleak to forget the suspects
# from boot before physwin was first loaded.

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -w /sys/kernel/debug/kmemleak ]; then
	fail "kmemleak: no /sys/kernel/debug/kmemleak on this kernel"
else
	# twice: an object is reported only once it stayed unreferenced
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	if [ "$leaks" = 0 ]; then
		pass "kmemleak: no leak after the suite"
	else
		fail "kmemleak: $leaks leaks" "$(head -n 40 /sys/kernel/debug/kmemleak)"
	fi
fi
