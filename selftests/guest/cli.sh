# SPDX-License-Identifier: GPL-2.0
#
# The physwin CLI against the real module, while the six windows of the
# main run are loaded (main.sh).  What it writes into the IVC window is
# checked again by the host afterwards.
. ./lib.sh
plan 38

P=./physwin
EDU4=$(hex $((PW_EDU + 4)))
DMA2=$(hex $((PW_EDU2 + 0x80)))
BITS=$((PW_MAXW * 8))

expect "cli: read the edu ID" 0 0x010000ed $P read "$PW_EDU"
expect "cli: read --mmap" 0 0x010000ed $P --mmap read "$PW_EDU"
expect "cli: read 64 on the 32-bit exact window is refused" 1 \
	"physwin: read $PW_EDU: Invalid argument" $P read "$PW_EDU" 64
expect "cli: write the liveness register" 0 "" $P write "$EDU4" 32 0x12345678
expect "cli: ...and read its inverse" 0 0xedcba987 $P read "$EDU4" 32
expect "cli: write --mmap" 0 "" $P write --mmap "$EDU4" 32 0x0f0f0f0f
expect "cli: ...and read its inverse" 0 0xf0f0f0f0 $P read "$EDU4"
# the second edu's 64-bit register: one 64-bit access where this kernel
# makes them, a refusal where it does not -- never two halves
if [ "$PW_MAXW" = 8 ]; then
	expect "cli: 64-bit register through one 64-bit write" 0 "" \
		$P write "$DMA2" 64 0x0123456789abcdef
	expect "cli: ...read back whole" 0 0x0123456789abcdef $P read "$DMA2" 64
else
	expect "cli: a 64-bit write where the kernel makes no 64-bit access is refused" 1 \
		"physwin: write $DMA2: Invalid argument" $P write "$DMA2" 64 0x0123456789abcdef
	expect "cli: ...and so is a 64-bit read" 1 \
		"physwin: read $DMA2: Invalid argument" $P read "$DMA2" 64
fi
expect "cli: read --json" 0 \
	"{\"address\": \"$PW_EDU\", \"width\": 32, \"value\": \"0x010000ed\"}" \
	$P read --json "$PW_EDU"

list=$($P list)
if echo "$list" | grep -q "^0 *win0 *0x0*${PW_EDU#0x} *0x1000 *rw *uc *32 *mappable,claimed,exact$" &&
   echo "$list" | grep -q "^3 *win3 *0x0*${IVU#0x} *0x1ff0 *rw *uc *$BITS *claimed$" &&
   echo "$list" | grep -q "^5 *win5 *0x0*${PW_EDU2#0x} *0x1000 *rw *uc *$BITS *mappable,claimed,exact$" &&
   [ "$(echo "$list" | wc -l)" = 7 ]; then
	pass "cli: list shows the six windows"
else
	fail "cli: list shows the six windows" "$list"
fi
json=$($P list --json)
case $json in
"["*"\"name\": \"win4\", \"base\": \"$IVC\", \"size\": \"0x1000\""*"]") pass "cli: list --json" ;;
*) fail "cli: list --json" "$json" ;;
esac

# devmem through /dev/physwin bind-mounted over /dev/mem: busybox's output,
# at every width on the ivshmem window (memory, which takes them all)
mount --bind /dev/physwin /dev/mem
for w in "" 8 16 32 64 b h w l; do
	want=$(devmem "$IVW" $w 2>&1)
	wrc=$?
	if [ "$w" = 64 ] && [ "$PW_PROG_BITS" = 32 ] && [ "$PW_MAXW" = 4 ]; then
		# a 32-bit program's 64-bit access goes through the device,
		# and a 32-bit kernel makes none: refused, never two halves
		want="physwin: read $IVW: Invalid argument"
		wrc=1
	fi
	got=$($P devmem "$IVW" $w 2>&1)
	grc=$?
	same_as_busybox "cli: physwin devmem = busybox devmem on /dev/physwin (width ${w:-default})" \
		"$want" $wrc "$got" $grc
done
# each tool writes a value the other did not, and each reads the other's
devmem "$EDU4" 32 0x11111111
a=$($P devmem "$EDU4")
$P devmem "$EDU4" 32 0x22222222
prc=$?
b=$(devmem "$EDU4")
[ "$a" = 0xEEEEEEEE ] && [ "$b" = 0xDDDDDDDD ] && [ $prc = 0 ] &&
	pass "cli: physwin devmem writes as busybox devmem does" ||
	fail "cli: physwin devmem write" "busybox wrote, physwin read: $a" \
		"physwin wrote (status $prc), busybox read: $b"
umount /dev/mem

# batch: edu computes 6! while the script polls its busy bit
printf '%s\n' "# factorial of 6" "write $(hex $((PW_EDU + 8))) 32 6" \
	"poll $(hex $((PW_EDU + 0x20))) 32 1 0 1000000   # until not computing" \
	"read $(hex $((PW_EDU + 8))) 32" > /tmp/fact.txt
expect "cli: batch script: write, poll the busy bit, read 6! = 0x2d0" 0 \
	"$(printf '0x00000000\n0x000002d0')" $P batch /tmp/fact.txt
zero=$(printf "0x%0$((BITS / 4))x" 0)
abcd=$(printf "0x%0$((BITS / 4))x" 0xabcd0000)
expect "cli: batch from stdin: rmw prints the old value" 0 \
	"$(printf '%s\n%s' "$zero" "$abcd")" sh -c \
	"printf 'write $PW_RESV $BITS 0\nrmw $PW_RESV $BITS 0xffff0000 0xabcd0000\nread $PW_RESV $BITS\n' | $P batch"
expect "cli: batch poll that times out" 1 \
	"physwin: line 1: poll $PW_EDU: Connection timed out" \
	sh -c "echo 'poll $PW_EDU 32 0xffffffff 0 2000' | $P batch"

# IVC: load, save, dump; the host checks the bytes afterwards
./pwio pattern 0x8000 0x800 > /tmp/ivc-lo.bin
./pwio pattern 0x8800 0x800 > /tmp/ivc-hi.bin
./pwio pattern 0x8000 0x1000 > /tmp/ivc.bin
expect "cli: load (pread/pwrite path)" 0 "" $P load "$IVC" /tmp/ivc-lo.bin
expect "cli: load --mmap from stdin" 0 "" \
	sh -c "$P load --mmap $(hex $((IVC + 0x800))) - < /tmp/ivc-hi.bin"
for how in --syscall --mmap; do
	rm -f /tmp/ivc-back.bin
	$P save $how "$IVC" 4K /tmp/ivc-back.bin &&
		cmp /tmp/ivc.bin /tmp/ivc-back.bin &&
		pass "cli: save $how gives back what load wrote" ||
		fail "cli: save $how gives back what load wrote"
done
want=$(hexdump -C -n 64 /tmp/ivc.bin | cut -c9- | sed '$d')
for how in --syscall --mmap; do
	got=$($P dump $how "$IVC" 64 | cut -c$((${#IVC} - 1))- | sed '$d')
	[ "$got" = "$want" ] && pass "cli: dump $how matches hexdump -C" ||
		fail "cli: dump $how matches hexdump -C" "$got" "want:" "$want"
done

# the carve-out, a whole mebibyte
./pwio pattern 0 0x100000 > /tmp/mib.bin
out=$($P load "$PW_RESV" /tmp/mib.bin 2>&1 &&
      $P save --mmap "$PW_RESV" 1M /tmp/mib-back.bin 2>&1 &&
      cmp /tmp/mib.bin /tmp/mib-back.bin 2>&1)
[ $? = 0 ] && [ "$(wc -c < /tmp/mib-back.bin)" = 1048576 ] &&
	pass "cli: 1 MiB load and save --mmap on the carve-out" ||
	fail "cli: 1 MiB load and save on the carve-out" "$out"

# refusals
out=$($P read "$(hex $((PW_EDU + 0x1000)))" 2>&1)
rc=$?
case $out in
"physwin: $(hex $((PW_EDU + 0x1000))) is outside every window; try 'physwin list'
physwin:   win0: $PW_EDU-$(hex $((PW_EDU + 0xfff)))"*"win4: $IVC-"*)
	[ $rc = 1 ] && pass "cli: a refused address names the windows (status 1)" ||
		fail "cli: refused address status" "status $rc" ;;
*) fail "cli: a refused address names the windows" "$out" ;;
esac
expect "cli: System RAM refused" 1 "" sh -c "$P read $PW_RAM 2>/dev/null"
expect "cli: dump past a window's end" 1 \
	"physwin: $(hex $((PW_EDU + 0xff0)))+0x20 runs past the end of window win0 ($PW_EDU-$(hex $((PW_EDU + 0xfff))))" \
	$P dump "$(hex $((PW_EDU + 0xff0)))" 32
expect "cli: mmap of the unaligned window" 1 \
	"physwin: read $(hex $((IVU + 0xff0))): Invalid argument" \
	$P read --mmap "$(hex $((IVU + 0xff0)))"
# IVU holds ivshmem_written() since physwin_test: write it again, read it
v=$(./pwio pattern 0x4000 4 | hexdump -e '1/4 "0x%08x\n"')
expect "cli: ...which pwrite and pread reach" 0 "$v" \
	sh -c "$P write $(hex $((IVU + 0xff0))) 32 $v && $P read $(hex $((IVU + 0xff0)))"
expect "cli: a typo is not address 0" 2 \
	"physwin: invalid address '${PW_EDU}g'
physwin: try 'physwin read --help'" $P read "${PW_EDU}g"
exit $failed
