# SPDX-License-Identifier: GPL-2.0
#
# Each bad module parameter as its own insmod that must fail with the
# exact errno message and one dmesg line, and leave /proc/iomem, /dev and
# /sys/module clean.
. ./lib.sh
plan 17

too_many_base=
too_many_size=
for i in $(seq 0 16); do
	too_many_base=$too_many_base${too_many_base:+,}$(hex $((PW_RESV + i * 0x1000)))
	too_many_size=$too_many_size${too_many_size:+,}0x1000
done
phys_limit=$(hex $((1 << PW_PHYS_BITS)))
# the last page of reserved memory, with System RAM after it
resv_last_page=$(hex $((PW_RESV_NEXT + PW_RESV_NEXT_SIZE - 0x1000)))

expect_refused "no windows" "Invalid argument" "no windows given"
expect_refused "base= without size=" "Invalid argument" \
	"base= has 1 values but size= has 0" base="$PW_RESV"
expect_refused "unequal base=/size= counts" "Invalid argument" \
	"base= has 2 values but size= has 1" base="$PW_RESV,$IVW" size=0x1000
expect_refused "size 0" "Invalid argument" "size is 0" \
	base="$PW_RESV" size=0
expect_refused "wrap-around" "Value too large for defined data type" \
	"wraps past the top of the address space" \
	base=0xfffffffffffff000 size=0x2000
expect_refused "beyond the physical address limit" \
	"Numerical result out of range" \
	"beyond the platform's physical address limit" \
	base="$phys_limit" size=0x1000
expect_refused "straddling the physical address limit" \
	"Numerical result out of range" \
	"beyond the platform's physical address limit" \
	base="$(hex $((phys_limit - 0x1000)))" size=0x2000
# The limit physwin enforces is the CPU's (cpuinfo on x86, what the rig
# emulates on ARM), and a window may end right at it.
if [ "$PW_KPHYS_BITS" = "$PW_PHYS_BITS" ]; then
	pass "physical address limit: $PW_PHYS_BITS bits, as the CPU has"
else
	fail "physical address limit" "physwin says ${PW_KPHYS_BITS:-nothing}, the CPU has $PW_PHYS_BITS bits"
fi
top_page=$(hex $((phys_limit - 0x1000)))
dmesg -c >/dev/null
if insmod "$KO" base="$top_page" size=0x1000 2>/dev/null; then
	rmmod physwin && [ -z "$(leftovers)" ] &&
		pass "a window ending at the limit loads ($top_page+4K)" ||
		fail "a window ending at the limit" "unload left: $(leftovers)"
else
	fail "a window ending at the limit loads ($top_page+4K)" "$(dmesg | tail -n 2)"
fi
expect_refused "overlapping windows" "Invalid argument" \
	"overlaps window win0" \
	base="$PW_RESV,$(hex $((PW_RESV + 0x800)))" size=0x1000,0x1000
expect_refused "System RAM" "Operation not permitted" \
	"overlaps System RAM" base="$PW_RAM" size=0x1000
expect_refused "partly System RAM" "Operation not permitted" \
	"window win1 (base $resv_last_page size 0x2000): overlaps System RAM" \
	base="$PW_EDU,$resv_last_page" size=0x1000,0x2000
expect_refused "busy range, earlier claims undone" \
	"Device or resource busy" "window win1 (base $PW_BUSY" \
	base="$PW_RESV,$PW_BUSY" size="0x1000,$PW_BUSY_SIZE"
expect_refused "more than 16 windows" "Invalid argument" \
	"can only take 16 arguments" \
	base="$too_many_base" size="$too_many_size"
expect_refused "malformed number" "Invalid argument" \
	"invalid for parameter \`base'" base=0x1000zz size=0x1000
expect_refused "negative size" "Invalid argument" \
	"invalid for parameter \`size'" base="$PW_RESV" size=-1
expect_refused "mode with more than permission bits" "Invalid argument" \
	"only permission bits" $CONFIG mode=01666
exit $failed
