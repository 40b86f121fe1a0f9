# SPDX-License-Identifier: GPL-2.0
#
# Load/unload cycles leave nothing behind.
. ./lib.sh
plan 1

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
exit $failed
