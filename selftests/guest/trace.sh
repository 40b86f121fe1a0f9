# SPDX-License-Identifier: GPL-2.0
#
# Tracepoints.  Every bus access of read()/write() is one
# physwin_read/physwin_write event, every batch operation one physwin_batch
# event: the events show each access's width.  edu's registers take 4-byte
# accesses (its window is exact); the narrow accesses go to ivshmem, which
# is memory and takes them all.
. ./lib.sh

T=/sys/kernel/tracing
mount -t tracefs nodev $T 2>/dev/null
if [ ! -d $T/events ]; then
	echo "1..0 # SKIP no tracefs in this kernel"
	exit 0
fi
plan 12
DMA2=$(hex $((PW_EDU2 + 0x80)))
WBW=$(hex $((PW_RESV + 0x500000)))
if load "trace" "window=edu@$PW_EDU+0x1000:$EDU_SPEC,edu2@$PW_EDU2+0x1000:width=$PW_MAXW:exact,ivw@$IVW+0x1000,nar@$IVC+0x1000:width=2,wbw@$WBW+0x1000:wb"; then
	echo > $T/trace
	# no comm recording: it hooks sched_switch and sched_wakeup, patching
	# the scheduler's text while the other vCPU runs it, which QEMU's TCG
	# once turned into an int3 Oops in ttwu_do_activate() (6.12)
	echo 0 > $T/options/record-cmd 2>/dev/null
	echo 1 > $T/events/physwin/enable
	./pwio read "$PW_EDU" 4 >/dev/null
	./pwio write "$(hex $((PW_EDU + 4)))" 4 0x12345678
	./pwio read "$DMA2" 8 >/dev/null
	./physwin read "$IVW" 16 >/dev/null
	./pwio read "$IVC" 4 >/dev/null
	# a wb window's register-sized write and read: bytes in memory order
	./pwio write "$WBW" 2 0x1122
	wbr=$(./pwio read "$WBW" 1)
	printf 'write %s 32 4\npoll %s 32 1 0 1000000\n' \
		"$(hex $((PW_EDU + 8)))" "$(hex $((PW_EDU + 0x20)))" | ./physwin batch >/dev/null
	echo 0 > $T/events/physwin/enable
	tr=$(cat $T/trace)
	for want in \
		"physwin_read: window=edu addr=$PW_EDU width=4 value=0x10000ed" \
		"physwin_write: window=edu addr=$(hex $((PW_EDU + 4))) width=4 value=0x12345678" \
		"physwin_read: window=ivw addr=$IVW width=2 " \
		"physwin_read: window=nar addr=$(hex $((IVC + 2))) width=2 " \
		"physwin_write: window=wbw addr=$WBW width=2 value=0x1122" \
		"physwin_read: window=wbw addr=$WBW width=1 value=0x22" \
		"physwin_batch: window=edu op=write addr=$(hex $((PW_EDU + 8))) width=4 value=0x4 mask=0x0 result=0x0 err=0" \
		"physwin_batch: window=edu op=poll addr=$(hex $((PW_EDU + 0x20))) width=4 value=0x0 mask=0x1 result=0x0 err=0"; do
		case $tr in
		*"$want"*) pass "trace: $want" ;;
		*) fail "trace: $want" "$(grep physwin $T/trace | head -n 20)" ;;
		esac
	done
	# one event per access: the 8-byte read is as many as the window's
	# width makes it, the 4-byte read of the width=2 window two
	got=$(grep -c "physwin_read: window=edu2 .*width=$PW_MAXW " $T/trace)
	[ "$got" = $((8 / PW_MAXW)) ]
	check "trace: an 8-byte read of a $PW_MAXW-byte window is $((8 / PW_MAXW)) event(s)" $? \
		"$got events of width $PW_MAXW"
	got=$(grep -c 'physwin_read: window=nar .*width=2 ' $T/trace)
	[ "$got" = 2 ]
	check "trace: width=2 splits a 4-byte read into two 2-byte accesses" $? "$got events"
	[ "$wbr" = 0x22 ]
	check "trace: the wb window's first byte is the value's low byte" $? "$wbr"
	rmmod physwin
else
	for i in 1 2 3 4 5 6 7 8 9 10 11; do fail "trace: event $i" "not loaded"; done
fi
exit $failed
