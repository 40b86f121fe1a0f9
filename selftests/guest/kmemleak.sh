# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: after every load and unload of the suite, and before
# lockdown closes debugfs, ask kmemleak for leaks.  A step when PW_KMEMLEAK
# is set; suite.sh told kmemleak to forget the suspects from boot before
# physwin was first loaded.
. ./lib.sh
plan 1

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -w /sys/kernel/debug/kmemleak ]; then
	fail "kmemleak: no /sys/kernel/debug/kmemleak on this kernel"
else
	# twice: an object is reported only once it stayed unreferenced
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	# One report is the kernel's, not physwin's: 6.1's __class_register()
	# frees its private data but not the name it just set when
	# kset_register() fails, which initfail makes happen.  Such reports
	# (the name allocated by kobject_set_name() called from
	# __class_register()) are listed, not counted.
	rm -f /tmp/kmemleak.known /tmp/kmemleak.leaks
	awk '
		/^unreferenced object/ { flush(); rec = $0; next }
		{ rec = rec "\n" $0 }
		END { flush() }
		function flush() {
			if (rec == "")
				return
			if (rec ~ /kobject_set_name[^\n]*\n[^\n]*__class_register/)
				print "known" > "/tmp/kmemleak.known"
			else
				print rec > "/tmp/kmemleak.leaks"
			rec = ""
		}' /sys/kernel/debug/kmemleak
	known=$(cat /tmp/kmemleak.known 2>/dev/null | wc -l)
	leaks=$(grep -c '^unreferenced object' /tmp/kmemleak.leaks 2>/dev/null)
	[ "$known" = 0 ] || echo "# kmemleak: $known report(s) of the kernel's own __class_register() leak, not counted"
	if [ "${leaks:-0}" = 0 ]; then
		pass "kmemleak: no leak after the suite"
	else
		fail "kmemleak: $leaks leaks" "$(head -n 40 /tmp/kmemleak.leaks)"
	fi
fi
exit $failed
