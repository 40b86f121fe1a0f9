# SPDX-License-Identifier: GPL-2.0
#
# Tracepoints.  Every bus access of read()/write() is one
# physwin_read/physwin_write event, every batch operation one physwin_batch
# event.
. ./lib.sh

T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
if [ ! -d $T/events ]; then
	echo "1..0 # SKIP no tracefs in this kernel"
	exit 0
fi
plan 7
if insmod "$KO" base="$PW_EDU" size=0x1000; then
	echo > $T/trace
	echo 1 > $T/events/physwin/enable
	./pwio read "$PW_EDU" 4 >/dev/null
	./pwio write "$(hex $((PW_EDU + 4)))" 4 0x12345678
	./pwio read "$(hex $((PW_EDU + 0x80)))" 8 >/dev/null
	./physwin read "$PW_EDU" 16 >/dev/null
	printf 'write %s 32 4\npoll %s 32 1 0 1000000\n' \
		"$(hex $((PW_EDU + 8)))" "$(hex $((PW_EDU + 0x20)))" | ./physwin batch >/dev/null
	echo 0 > $T/events/physwin/enable
	tr=$(cat $T/trace)
	for want in \
		"physwin_read: window=win0 addr=$PW_EDU width=4 value=0x10000ed" \
		"physwin_write: window=win0 addr=$(hex $((PW_EDU + 4))) width=4 value=0x12345678" \
		"physwin_read: window=win0 addr=$(hex $((PW_EDU + 0x80))) width=8 " \
		"physwin_read: window=win0 addr=$PW_EDU width=2 value=0x0" \
		"physwin_batch: window=win0 op=write addr=$(hex $((PW_EDU + 8))) width=4 value=0x4 mask=0x0 result=0x0 err=0" \
		"physwin_batch: window=win0 op=poll addr=$(hex $((PW_EDU + 0x20))) width=4 value=0x0 mask=0x1 result=0x0 err=0"; do
		case $tr in
		*"$want"*) pass "trace: $want" ;;
		*) fail "trace: $want" "$(grep physwin $T/trace | head -n 20)" ;;
		esac
	done
	# 4 events for pwio and 1 for the 8-byte read: one per bus access
	got=$(grep -c 'physwin_read: .*width=8 ' $T/trace)
	[ "$got" = 1 ] && pass "trace: an 8-byte read is one event of width 8" ||
		fail "trace: one event per access" "$got events of width 8"
	rmmod physwin
else
	fail "trace: load" "$(dmesg | tail -n 3)"
fi
exit $failed
