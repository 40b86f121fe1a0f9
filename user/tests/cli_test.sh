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
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
dev=$dir/dev.bin
printf 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz' > "$dev"
truncate -s 8192 "$dev"
printf 'ABCDEFGH' > "$dir/image.bin"

n=0
failed=0
# every case below is one result: a run that dies early comes up short
echo "1..64"

# t NAME WANT-STATUS WANT-STDOUT WANT-STDERR-LINE1 ARGS...
t() {
	local name=$1 want_rc=$2 want_out=$3 want_err=$4 out err rc
	shift 4
	out=$("${runner[@]}" "$tool" -d "$dev" "$@" 2>"$dir/err")
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
exit $failed
