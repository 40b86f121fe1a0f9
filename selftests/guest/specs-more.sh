# SPDX-License-Identifier: GPL-2.0
#
# window= specifications, continued: unloads what specs.sh loaded, then
# noclaim, and every malformed or impossible spec.  (width= without exact
# is in trace.sh, where the events show the accesses.)
. ./lib.sh
# a device tree gives one more case (two results): a no-map node that is
# not memory
if [ -n "$PW_NOTMEM" ]; then plan 31; else plan 29; fi

EDU_BDF=$PW_EDU_BDF
unload "specs"

# noclaim reaches a range a driver holds busy (read-only here, and 32-bit
# registers: the IOAPIC, or the console UART on ARM)
busy="window=busy@$PW_BUSY+$PW_BUSY_SIZE:ro:width=4:exact"
if insmod "$KO" "$busy:noclaim"; then
	./physwin read "$PW_BUSY" >/dev/null &&
		pass "specs: noclaim opens a busy range (read-only)" ||
		fail "specs: noclaim read of a busy range"
	rmmod physwin
else
	fail "specs: noclaim on a busy range" "$(dmesg | tail -n 3)"
fi
expect_refused "window=: the same busy range without noclaim" \
	"Device or resource busy" "range is busy" "$busy"

# Every malformed or impossible spec refuses the whole load (README table).
R=$PW_RESV
R1=$(hex $((PW_RESV + 0x1000)))
long=abcdefghijabcdefghijabcdefghij12
many=
for i in $(seq 0 15); do many=$many${many:+,}w$i@$(hex $((PW_RESV + i * 0x1000)))+4K; done
expect_refused "window=: no size" "Invalid argument" \
	"window=fpga@$R: expected '+SIZE' after the base" "window=fpga@$R"
expect_refused "window=: no name" "Invalid argument" "missing name" "window=@$R+4K"
expect_refused "window=: upper-case name" "Invalid argument" \
	"name must be [a-z0-9_-]" "window=Fpga@$R+4K"
expect_refused "window=: name too long" "Invalid argument" \
	"name longer than 31 characters" "window=$long@$R+4K"
expect_refused "window=: unknown attribute" "Invalid argument" \
	"window=a@$R+4K:fast: unknown attribute" "window=a@$R+4K:fast"
expect_refused "window=: conflicting attributes" "Invalid argument" \
	"attribute given twice or conflicting" "window=a@$R+4K:ro:rw"
expect_refused "window=: empty attribute" "Invalid argument" \
	"empty attribute" "window=a@$R+4K::ro"
expect_refused "window=: bad width" "Invalid argument" \
	"width must be 1, 2, 4 or 8" "window=a@$R+4K:width=3"
expect_refused "window=: exact without width" "Invalid argument" \
	"exact needs width=" "window=a@$R+4K:exact"
expect_refused "window=: junk after the size" "Invalid argument" \
	"junk after the address" "window=a@$R+4Q"
expect_refused "window=: typo in the base" "Invalid argument" \
	"expected '+SIZE' after the base" "window=a@0x1000000g+4K"
expect_refused "window=: size 0" "Invalid argument" "size is 0" "window=a@$R+0"
expect_refused "window=: size too large" "Invalid argument" \
	"size too large" "window=a@$R+99999999999G"
expect_refused "window=: wraps" "Value too large for defined data type" \
	"wraps past the top" "window=a@0xfffffffffffff000+8K"
expect_refused "window=: System RAM" "Operation not permitted" \
	"overlaps System RAM" "window=a@$PW_RAM+4K"
expect_refused "window=: overlaps a base= window" "Invalid argument" \
	"window a (base $R size 0x1000): overlaps window win0" \
	base=$R size=0x2000 "window=a@$R+4K"
expect_refused "window=: duplicate name" "Invalid argument" \
	"window a (base $R1 size 0x1000): duplicate name" \
	"window=a@$R+4K,a@$R1+4K"
expect_refused "window=: name taken by a base= window" "Invalid argument" \
	"window win0 (base $R1 size 0x1000): duplicate name" \
	base=$R size=0x1000 "window=win0@$R1+4K"
expect_refused "window=: exact window not aligned to its width" \
	"Invalid argument" "exact: base and size must be multiples of the width" \
	"window=a@$(hex $((R + 2)))+8:width=4:exact"
expect_refused "window=: wb on device memory" "Invalid argument" \
	"wb is for reserved memory only" "window=a@$PW_EDU+4K:wb"
# wb needs reserved memory throughout: across two reserved ranges that
# meet, it loads; on a no-map node that is not memory it is refused, and
# the same range uncached loads (the refusal is about wb, nothing else)
span=$(hex $((PW_RESV_NEXT - 0x1000)))
dmesg -c >/dev/null
if insmod "$KO" "window=span@$span+8K:wb" 2>/dev/null && rmmod physwin; then
	pass "specs: wb across two adjacent reserved ranges ($span+8K)"
else
	fail "specs: wb across two adjacent reserved ranges ($span+8K)" "$(dmesg | tail -n 2)"
fi
if [ -n "$PW_NOTMEM" ]; then
	expect_refused "window=: wb on a no-map node outside memory" \
		"Invalid argument" "wb is for reserved memory only" \
		"window=a@$PW_NOTMEM+4K:wb"
	if insmod "$KO" "window=a@$PW_NOTMEM+4K" 2>/dev/null && rmmod physwin; then
		pass "specs: the same range uncached loads"
	else
		fail "specs: the same range uncached loads" "$(dmesg | tail -n 2)"
	fi
fi
expect_refused "window=: no such PCI device" "No such device" \
	"window=a@pci:0000:00:1f.0/0: no such PCI device" "window=a@pci:0000:00:1f.0/0"
expect_refused "window=: no such BAR" "No such device" \
	"the PCI device has no such BAR, or none assigned" "window=a@pci:$EDU_BDF/1"
expect_refused "window=: BAR out of range" "Invalid argument" \
	"PCI BAR must be 0 to 5" "window=a@pci:$EDU_BDF/6"
expect_refused "window=: malformed PCI address" "Invalid argument" \
	"malformed PCI address" "window=a@pci:0:0:2.0/0"
expect_refused "window=: more than 16 windows in all" "Invalid argument" \
	"17 windows given, at most 16 are supported" \
	base="$(hex $((R + 0x100000)))" size=0x1000 "window=$many"
exit $failed
