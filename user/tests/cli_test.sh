#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Host tests of the physwin CLI against a regular file standing in for the
# device: cli_test.sh PHYSWIN [RUNNER...]   (RUNNER: e.g. valgrind).
# Each case checks the exact stdout, stderr's first line and exit status.
# Prints TAP; exits 1 if a test failed.
set -u

tool=$1
shift
runner=("$@")
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
dev=$dir/dev.bin
printf 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz' > "$dev"
truncate -s 8192 "$dev"
printf 'ABCDEFGH' > "$dir/image.bin"

n=0
failed=0
# every case below is one result: a run that dies early comes up short
echo "1..112"

# t NAME WANT-STATUS WANT-STDOUT WANT-STDERR-LINE1 ARGS...
t() {
	local name=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 4
	tc "$name" "$want_rc" "$want_out" "$want_err" -- -d "$dev" "$@"
}

# tc NAME WANT-STATUS WANT-STDOUT WANT-STDERR-LINE1 [PREFIX...] -- ARGS...:
# as t, without -d, the command run behind PREFIX (env, setpriv)
tc() {
	local name=$1 want_rc=$2 want_out=$3 want_err=$4 out err rc pre=()
	shift 4
	while [ "$1" != -- ]; do
		pre+=("$1")
		shift
	done
	shift
	out=$("${pre[@]}" "${runner[@]}" "$tool" "$@" 2>"$dir/err")
	rc=$?
	err=$(grep -v '^==' "$dir/err" | head -n1)
	n=$((n + 1))
	if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ] &&
	   [ "$err" = "$want_err" ]; then
		echo "ok $n cli: $name"
	else
		echo "not ok $n cli: $name"
		echo "# physwin $*"
		echo "# status $rc (want $want_rc)"
		printf '# stdout: %s\n' "$out" "(want) $want_out"
		printf '# stderr: %s\n' "$err" "(want) $want_err"
		failed=1
	fi
}

t "read default width 32" 0 0x44434241 "" read 0
t "read 8/16/64" 0 "0x45" "" read 4 8
t "read 16" 0 "0x4645" "" read 4 16
t "read 64" 0 "0x504f4e4d4c4b4a49" "" read 0x8 64
t "read decimal and octal addresses" 0 "0x4c4b4a49" "" read 010 32
t "read --mmap" 0 0x44434241 "" read --mmap 0
t "read --json" 0 '{"address": "0x4", "width": 32, "value": "0x48474645"}' "" --json read 4
t "write several values, one access each" 0 "" "" write 0x100 16 0x1111 0x2222 0x3333
t "...and read them back" 0 "0x0000333322221111" "" read 0x100 64
t "write --mmap" 0 "" "" --mmap write 0x108 32 0xcafef00d
t "...read back --syscall" 0 "0xcafef00d" "" --syscall read 0x108
t "devmem read (busybox format)" 0 "0x44434241" "" devmem 0
t "devmem width letters" 0 "0x0000333322221111" "" devmem 0x100 l
t "devmem b" 0 "0x41" "" devmem 0 b
t "devmem h" 0 "0x4241" "" devmem 0 h
t "devmem upper-case hex" 0 "0xCAFEF00D" "" devmem 0x108 w
t "devmem write prints nothing" 0 "" "" devmem 0x110 8 0xab
t "...and wrote one byte" 0 "0x000000ab" "" read 0x110
t "dump" 0 "$(printf '%s\n' \
	'00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|' \
	'00000010  51 52 53 54 55                                    |QRSTU|' \
	'00000015')" "" dump 0 21
t "dump matches hexdump -C" 0 "$(busybox hexdump -C -n 64 "$dev")" "" dump 0 64
t "save to stdout" 0 "ABCDEFGH" "" save 0 8 -
t "load a file" 0 "" "" load 0x1000 "$dir/image.bin"
t "...bytes arrived" 0 "0x4847464544434241" "" read 0x1000 64
t "load --mmap from stdin" 0 "" "" --mmap load 0x1004 - < "$dir/image.bin"
t "...bytes arrived" 0 "0x4443424144434241" "" read 0x1000 64
t "save --mmap to a file" 0 "" "" save 0x1004 8 "$dir/saved.bin" --mmap
t "typo in an address is an error, not 0" 2 "" "physwin: invalid address '0x10zz'" read 0x10zz
t "empty address" 2 "" "physwin: invalid address ''" read ""
t "signed address" 2 "" "physwin: invalid address '+4'" read +4
t "blank before a number" 2 "" "physwin: invalid address ' 4'" read " 4"
t "0x alone" 2 "" "physwin: invalid address '0x'" read 0x
t "address too large" 2 "" "physwin: invalid address '0x10000000000000000'" read 0x10000000000000000
t "bad width" 2 "" "physwin: invalid width '12': use 8, 16, 32 or 64" read 0 12
t "misaligned address" 2 "" "physwin: address 0x2 is not a multiple of 4 bytes" read 2
t "value too wide for the width" 2 "" "physwin: value '0x100' does not fit in 8 bits" write 0 8 0x100
t "no value written when one is bad" 2 "" "physwin: invalid value 'x'" write 0x200 8 1 x
t "...nothing written" 0 "0x00" "" read 0x200 8
t "devmem bad width letter" 2 "" "physwin: bad width 'x': use 8, 16, 32, 64 or b, h, w, l" devmem 0 x
t "devmem extra argument" 2 "" "physwin: devmem: unexpected argument '4'" devmem 0 8 1 4
t "length 0" 2 "" "physwin: length must not be 0" dump 0 0
t "bad length suffix" 2 "" "physwin: invalid length '1X'" dump 0 1X
t "length overflow" 2 "" "physwin: invalid length '99999999999999999G'" dump 0 99999999999999999G
t "range wraps" 2 "" "physwin: address range wraps past the top of the address space" dump 0xffffffffffffffff 2
t "missing argument" 2 "" "physwin: write: missing argument" write 0 8
t "unknown command" 2 "" "physwin: unknown command 'peek'" peek 0
t "unknown option" 2 "" "physwin: unknown option '--bogus'" read --bogus 0
t "--mmap with --syscall" 2 "" "physwin: --mmap and --syscall exclude each other" -m -s read 0
t "--json where it means nothing" 2 "" "physwin: --json is for list and read" --json dump 0 4
printf 'read 0 32\n' > "$dir/ok.txt"
printf '# comment\n\nread 0 32\nfrob 0 32\n' > "$dir/bad-op.txt"
printf 'poll 0 32 1\n' > "$dir/bad-args.txt"
printf 'write 0 8 0x100\n' > "$dir/bad-value.txt"
printf 'read 2 32\n' > "$dir/bad-align.txt"
printf 'read 0x10zz 32 # typo\n' > "$dir/bad-addr.txt"
t "batch: unknown operation names its line" 2 "" "physwin: line 4: unknown operation 'frob' (read, write, rmw, poll)" batch "$dir/bad-op.txt"
t "batch: wrong argument count" 2 "" "physwin: line 1: poll takes 5 arguments" batch "$dir/bad-args.txt"
t "batch: value too wide" 2 "" "physwin: line 1: value '0x100' does not fit in 8 bits" batch "$dir/bad-value.txt"
t "batch: misaligned" 2 "" "physwin: line 1: address 0x2 is not a multiple of 4 bytes" batch "$dir/bad-align.txt"
t "batch: typo in an address" 2 "" "physwin: line 1: invalid address '0x10zz'" batch "$dir/bad-addr.txt"
t "batch: empty script" 2 "" "physwin: -: no operations" batch < /dev/null
t "batch on a non-physwin device" 1 "" "physwin: $dev is not a physwin device: it has no batch call" batch "$dir/ok.txt"
t "list on a non-physwin device" 1 "" "physwin: $dev is not a physwin device: it has no window list" list
t "read past the end of the device" 1 "" "physwin: read 0x2000: Operation not permitted" read 0x2000
t "missing file" 1 "" "physwin: $dir/none: No such file or directory" load 0 "$dir/none"

# checks on more than one line of output
check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n cli: $1"
	else
		echo "not ok $n cli: $1"
		printf '# got:  %s\n# want: %s\n' "$2" "$3"
		failed=1
	fi
}
check "save wrote the bytes at the address" "$(cat "$dir/saved.bin")" "ABCDEFGH"
check "size suffix K: 1K is 1024 bytes" \
	"$("$tool" -d "$dev" dump 0 1K | tail -n 1)" "00000400"
"$tool" >/dev/null 2>&1
check "no command: status 2" "$?" 2
check "--help: status 0, usage on stdout" \
	"$("$tool" --help | head -n 1; echo "${PIPESTATUS[0]}")" \
	"$(printf 'usage: physwin [OPTIONS] COMMAND [ARGS]\n0')"
check "command --help: the command's usage" \
	"$("$tool" read --help | head -n 1)" \
	"usage: physwin read ADDR [8|16|32|64] [--mmap|--syscall] [--json]"
check "--version" "$("$tool" --version)" "physwin $PHYSWIN_VERSION"

# ---- issue 12: option errors, long script lines, checks before access ----
t "option without its argument" 2 "" "physwin: option '--device' needs an argument" read 0 --device
tc "-d without its argument" 2 "" "physwin: option '-d' needs an argument" -- -d
x600=$(printf 'x%.0s' $(seq 600))
printf 'read 0 32 #%swrite 0x1004 32 5\n' "$x600" > "$dir/long.txt"
t "batch: a line too long is an error naming it" 2 "" "physwin: line 1: longer than 511 characters; nothing was run" batch "$dir/long.txt"
printf 'read 0 32\n\nread 0 32 #%s\n' "$x600" > "$dir/long3.txt"
t "batch: ...on any line" 2 "" "physwin: line 3: longer than 511 characters; nothing was run" batch "$dir/long3.txt"
printf 'read 0 32 #\0%swrite 4 32 0x55\n' "$x600" > "$dir/nul.txt"
t "batch: a NUL byte cannot hide a line's tail" 2 "" "physwin: line 1: holds a NUL byte; nothing was run" batch "$dir/nul.txt"
printf 'read 0 32 #%s\n' "${x600:0:500}" > "$dir/long511.txt"
t "batch: 511 characters are a line" 1 "" "physwin: $dev is not a physwin device: it has no batch call" batch "$dir/long511.txt"
printf 'read 0 32 #%s\n' "${x600:0:501}" > "$dir/long512.txt"
t "batch: 512 are too many" 2 "" "physwin: line 1: longer than 511 characters; nothing was run" batch "$dir/long512.txt"
t "batch: a script that cannot be read" 1 "" "physwin: $dir: Is a directory" batch "$dir"
tc "a device directory that is not one" 1 "" "physwin: /etc/passwd/physwin: Not a directory" \
	env PHYSWIN_DEV_DIR=/etc/passwd -- read 0
tc "usage errors come before the device is opened" 2 "" "physwin: invalid width '12': use 8, 16, 32 or 64" \
	env PHYSWIN_DEV_DIR="$dir/none" -- read 0 12
tc "...a bad batch script too" 2 "" "physwin: line 1: poll takes 5 arguments" \
	env PHYSWIN_DEV_DIR="$dir/none" -- batch "$dir/bad-args.txt"
if [ -e /sys/module/physwin ] || [ -e /sys/class/misc/physwin ]; then
	n=$((n + 1)); echo "ok $n cli: no device and no module: asks whether it is loaded # SKIP physwin is loaded"
else
	tc "no device and no module: asks whether it is loaded" 1 "" \
		"physwin: $dir/none/physwin: No such file or directory (is the physwin module loaded? (modprobe physwin))" \
		env PHYSWIN_DEV_DIR="$dir/none" -- read 0
fi

# tf NAME WANT-STDERR-LINE1 ARGS...: stdout is /dev/full, status must be 1
tf() {
	local name=$1 want_err=$2 rc err
	shift 2
	"${runner[@]}" "$tool" "$@" >/dev/full 2>"$dir/err"
	rc=$?
	err=$(grep -v '^==' "$dir/err" | head -n1)
	n=$((n + 1))
	if [ "$rc" = 1 ] && [ "$err" = "$want_err" ]; then
		echo "ok $n cli: $name"
	else
		echo "not ok $n cli: $name"
		printf '# status %s (want 1), stderr: %s\n# (want) %s\n' "$rc" "$err" "$want_err"
		failed=1
	fi
}
full="physwin: standard output: No space left on device"
tf "read to a full stdout fails" "$full" -d "$dev" read 0
tf "dump to a full stdout fails" "$full" -d "$dev" dump 0 64
tf "save - to a full stdout fails" "$full" -d "$dev" save 0 8 -
tf "--help to a full stdout fails" "$full" --help

# Fake per-window nodes: regular files that fake_node.so (LD_PRELOAD) makes
# answer physwin's ioctls for the windows PHYSWIN_FAKE_<name> gives.
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:verify_asan_link_order=0"
${CC:-cc} -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
	-I"$top/include/uapi" -shared -fPIC -o "$dir/fake_node.so" \
	"$top/user/tests/fake_node.c" 2>&1 | sed 's/^/# /'
nodes=$dir/nodes
mkdir "$nodes"
truncate -s $((0x30000)) "$nodes/physwin-fpga" "$nodes/physwin-uart"
printf 'main' > "$nodes/physwin"
fake=(env LD_PRELOAD="$dir/fake_node.so" PHYSWIN_FAKE_fpga=0x10000+0x10000
      PHYSWIN_FAKE_uart=0x20000+0x100)
fpga=$nodes/physwin-fpga
tc "write: registers past the window's end are refused first" 1 "" \
	"physwin: 0x1fffc+0x8 runs past the end of window fpga (0x10000-0x1ffff)" \
	"${fake[@]}" -- -d "$fpga" write 0x1fffc 32 0x11 0x22
tc "...none was written" 0 "0x00000000" "" "${fake[@]}" -- -d "$fpga" read 0x1fffc
head -c $((0x10010)) /dev/zero | tr '\0' 'Z' > "$dir/big.bin"
tc "load: a file longer than its window is refused first" 1 "" \
	"physwin: $dir/big.bin: longer than the 0x10000 bytes from 0x10000 to the end of window fpga; nothing written" \
	"${fake[@]}" -- -d "$fpga" load 0x10000 "$dir/big.bin"
tc "...none of it was written" 0 "0x00000000" "" "${fake[@]}" -- -d "$fpga" read 0x10000
tc "load: standard input too" 1 "" \
	"physwin: standard input: longer than the 0x10 bytes from 0x1fff0 to the end of window fpga; nothing written" \
	"${fake[@]}" -- -d "$fpga" load 0x1fff0 - < "$dir/big.bin"
tc "...none of it was written" 0 "0x0000000000000000" "" "${fake[@]}" -- -d "$fpga" read 0x1fff0 64
tc "load: a file that fits to the last byte" 0 "" "" "${fake[@]}" -- -d "$fpga" load 0x1fff8 "$dir/image.bin"
tc "...arrived" 0 "0x4847464544434241" "" "${fake[@]}" -- -d "$fpga" read 0x1fff8 64
tc "save: a range past the window's end is refused first" 1 "" \
	"physwin: 0x1fff8+0x10 runs past the end of window fpga (0x10000-0x1ffff)" \
	"${fake[@]}" -- -d "$fpga" save 0x1fff8 16 "$dir/notsaved.bin"
check "...and made no file" "$([ -e "$dir/notsaved.bin" ] && echo made)" ""
tc "a write through the node as root" 0 "" "" "${fake[@]}" -- -d "$fpga" write 0x10010 32 0xcafe
# the node must not become stdout: the read's value would land in it
# (a window at physical 0, where the descriptor's position is)
truncate -s 4096 "$dir/physwin-low"
# (more output than stdio buffers, so it is written while the device is open)
{ echo 'write 0x20 32 0x11'; for i in $(seq 500); do echo 'read 0x20 32'; done; } > "$dir/rw.txt"
"${fake[@]}" PHYSWIN_FAKE_low=0x0+0x1000 "${runner[@]}" "$tool" \
	-d "$dir/physwin-low" batch "$dir/rw.txt" >&- 2>/dev/null
check "a closed stdout is not where the device is opened" \
	"$?: $(head -c 4 "$dir/physwin-low" | od -An -tx1 | tr -d ' ')" "0: 00000000"
tc "load: an address in no window is refused first" 1 "" \
	"physwin: 0x5000 is outside every window; try 'physwin list'" \
	"${fake[@]}" -- -d "$fpga" load 0x5000 "$dir/image.bin"

# Without -d: /dev/physwin (here $nodes/physwin) if it opens, else the node
# whose window holds the address, for a member of the node's group and a
# non-member (uid 65534, group 4242 given or not).
printf 'read 0x10010 32\n' > "$dir/ok10010.txt"
mkdir "$dir/main"
cp "$dev" "$dir/main/physwin"
tc "/dev/physwin opens: it is used" 0 "0x44434241" "" env PHYSWIN_DEV_DIR="$dir/main" -- read 0
chmod 755 "$dir" "$nodes"
chmod 644 "$dir/fake_node.so"
chmod 600 "$nodes/physwin"
chgrp 4242 "$fpga"
chmod 660 "$fpga"
chmod 644 "$nodes/physwin-uart"
as=("${fake[@]}" PHYSWIN_DEV_DIR="$nodes" setpriv --reuid=65534 --regid=65534)
member=("${as[@]}" --groups=4242)
other=("${as[@]}" --clear-groups)
hdr="INDEX NAME             BASE               SIZE         ACCESS CACHE WIDTH FLAGS NODE"
row_fpga="-     fpga             0x0000000000010000 0x10000      rw     uc    64    - $fpga"
row_uart="-     uart             0x0000000000020000 0x100        rw     uc    64    - $nodes/physwin-uart"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	tc "member: read through the node holding the address" 0 "0x0000cafe" "" "${member[@]}" -- read 0x10010
	tc "member: write through it" 0 "" "" "${member[@]}" -- write 0x10014 16 0xbeef
	tc "...written" 0 "0xbeef" "" "${member[@]}" -- read 0x10014 16
	tc "member: batch through it" 0 "0x0000cafe" "" "${member[@]}" -- batch "$dir/ok10010.txt"
	tc "member: list shows the windows it reaches, each with its node" 0 \
		"$(printf '%s\n' "$hdr" "$row_fpga" "$row_uart")" "" "${member[@]}" -- list
	tc "member: list --json names the node" 0 "$(printf '%s\n' '[' \
		"  {\"node\": \"$fpga\", \"name\": \"fpga\", \"base\": \"0x10000\", \"size\": \"0x10000\", \"access\": \"rw\", \"cache\": \"uc\", \"width\": 64, \"mappable\": false, \"claimed\": false, \"exact\": false, \"gone\": false}," \
		"  {\"node\": \"$nodes/physwin-uart\", \"name\": \"uart\", \"base\": \"0x20000\", \"size\": \"0x100\", \"access\": \"rw\", \"cache\": \"uc\", \"width\": 64, \"mappable\": false, \"claimed\": false, \"exact\": false, \"gone\": false}" \
		']')" "" "${member[@]}" -- --json list
	tc "member: a write where its mode gives read only names the node" 1 "" \
		"physwin: $nodes/physwin-uart: Permission denied (needs read and write; you are not in group root, and others get read only)" \
		"${member[@]}" -- write 0x20000 8 1
	tc "member: an address no node holds" 1 "" \
		"physwin: no node you can open holds 0x5000; tried:" "${member[@]}" -- read 0x5000
	check "...every node tried is named, with its window" \
		"$(grep -v '^==' "$dir/err" | tail -n +2)" "$(printf '%s\n' \
		"physwin:   $nodes/physwin: Permission denied (needs read; you are not in group root, and others get none)" \
		"physwin:   $fpga: window fpga, 0x10000-0x1ffff" \
		"physwin:   $nodes/physwin-uart: window uart, 0x20000-0x200ff")"
	tc "non-member: refused, the node and the permission named" 1 "" \
		"physwin: $fpga: Permission denied (needs read; you are not in group 4242, and others get none)" \
		"${other[@]}" -- read 0x10010
	tc "non-member: list shows only what it reaches" 0 \
		"$(printf '%s\n' "$hdr" "$row_uart")" "" "${other[@]}" -- list
	tc "non-member: a write no node allows" 1 "" \
		"physwin: no node you can open holds 0x20000; tried:" "${other[@]}" -- write 0x20000 8 1
	tc "-d DEV is used as given, nodes or not" 1 "" "physwin: $fpga: Permission denied" \
		"${other[@]}" -- -d "$fpga" read 0x10010
	printf 'read 0x20000 8\n' > "$dir/read20000.txt"
	tc "member: a batch that only reads opens a node it may only read" 0 "0x00" "" \
		"${member[@]}" -- batch "$dir/read20000.txt"
	printf 'write 0x10018 32 0x77\nread 0x20000 8\n' > "$dir/twonodes.txt"
	tc "member: a batch that needs two nodes runs nothing" 1 "" \
		"physwin: line 2: read 0x20000 is in no window of $fpga; nothing was run" \
		"${member[@]}" -- batch "$dir/twonodes.txt"
	tc "...its first write did not happen" 0 "0x00000000" "" "${member[@]}" -- read 0x10018
	chmod 600 "$nodes/physwin-uart"
	tc "non-member: list with no node it can open" 1 "" "physwin: no window you can reach; tried:" \
		"${other[@]}" -- list
	chmod 644 "$nodes/physwin-uart"
	"${member[@]}" "$tool" list >/dev/full 2>"$dir/err"
	check "list to a full stdout fails" "$?: $(head -n1 "$dir/err")" "1: $full"
else
	for i in $(seq 18); do
		n=$((n + 1)); echo "ok $n cli: per-window node case $i # SKIP needs root and setpriv"
	done
fi
exit $failed
