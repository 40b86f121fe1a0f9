#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian kernel in QEMU (TCG) with physwin's test targets and run a
# command in the guest:
#
#   scripts/vm.sh [--kernel 6.1|6.12|debug] [--timeout SEC] [--out DIR]
#                 [--ivshmem FILE] [--add FILE]... [--qemu ARG]...
#                 [--append KERNEL-ARGS] -- COMMAND...
#
# The guest has the edu device, an ivshmem-plain BAR backed by a host file
# (1 MiB; a fresh one under --out unless --ivshmem names one), and a 16 MiB
# memmap= carve-out at 0x10000000; --qemu adds arguments to QEMU's command
# line (one more device, say), --append to the kernel's.  /physwin in the
# guest holds physwin.ko built for that kernel, the test programs, the
# guest scripts and each --add file.  COMMAND runs under busybox sh in /physwin.
#
# What the guest prints goes to stdout and DIR/output.log; the kernel console
# goes to DIR/console.log.  Exit status 0 only if the command exited 0, the
# guest powered off by itself within the timeout, and the kernel log holds
# no Oops, BUG, WARNING, KASAN/UBSAN/KFENCE, lockdep or RCU report, and no
# taint beyond out-of-tree (O) and unsigned (E) modules.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
kernel=6.1
timeout=300
out=
ivshmem=
adds=()
qemu_args=()
append=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--ivshmem) ivshmem=$2; shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--qemu) qemu_args+=("$2"); shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	--) shift; break ;;
	*) echo "vm.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "vm.sh: no command given" >&2; exit 2; }

if [ "$kernel" = debug ]; then
	# the KASAN/lockdep kernel of make check-debug (built once, cached)
	read -r krel vmlinuz kdir < <("$TOP/scripts/debug-kernel/build.sh")
else
	read -r _ krel vmlinuz kdir < <("$TOP/scripts/kernels.sh" "$kernel")
fi
ko=$TOP/build/kmod/$(basename "$kdir")/physwin.ko
make -s -C "$TOP" module KDIR="$kdir" >/dev/null
make -s -C "$TOP" tests >/dev/null

out=${out:-$(mktemp -d /tmp/physwin-vm.XXXXXX)}
mkdir -p "$out"
if [ -z "$ivshmem" ]; then
	ivshmem=$out/ivshmem.bin
	[ -e "$ivshmem" ] || truncate -s 1M "$ivshmem"
fi

# initramfs: busybox, init, /physwin with everything the tests need
root=$out/root
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,physwin}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$TOP/selftests/guest/init" "$root/init"
chmod +x "$root/init"
# every guest program (all of build/tests but the host's ivshmem_check)
cp "$TOP"/selftests/guest/*.sh "$ko" "$root/physwin/"
for f in "$TOP"/build/tests/*; do
	[ "$(basename "$f")" = ivshmem_check ] || cp "$f" "$root/physwin/"
done
for f in "${adds[@]}"; do cp "$f" "$root/physwin/"; done
printf '%s\n' "$*" > "$root/cmd"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz"

echo "# vm: Debian $kernel ($krel), timeout ${timeout}s, log in $out" >&2
: > "$out/console.log"
set +e
timeout -k 10 "$timeout" qemu-system-x86_64 \
	-accel tcg -m 512 -smp "${PHYSWIN_VM_CPUS:-2}" -nodefaults -display none -no-reboot \
	-kernel "$vmlinuz" -initrd "$out/initrd.gz" \
	-append "console=ttyS0,115200 panic=-1 nokaslr memmap=16M\$0x10000000$append" \
	-serial "file:$out/console.log" -serial stdio \
	-device edu \
	-object "memory-backend-file,id=ivshmem,mem-path=$ivshmem,size=1M,share=on" \
	-device ivshmem-plain,memdev=ivshmem "${qemu_args[@]}" \
	</dev/null | stdbuf -oL tr -d '\r' | tee "$out/output.log"
qrc=${PIPESTATUS[0]}
set -e

fail=0
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "vm: FAIL: guest did not finish within ${timeout}s; console tail:" >&2
	tail -n 30 "$out/console.log" >&2
	echo "vm: guest output tail:" >&2
	tail -n 10 "$out/output.log" >&2
	fail=2
elif [ "$qrc" -ne 0 ]; then
	echo "vm: FAIL: qemu exited with $qrc" >&2
	fail=1
fi

if ! "$TOP/scripts/kcheck.sh" "$out/console.log" "$out/output.log"; then
	fail=1
fi

verdict=$(sed -n 's/^PHYSWIN-VERDICT \([0-9]*\)$/\1/p' "$out/output.log" | tail -n1)
if [ -z "$verdict" ]; then
	echo "vm: FAIL: guest gave no verdict" >&2
	if [ $fail -ne 2 ]; then
		echo "vm: console tail:" >&2
		tail -n 30 "$out/console.log" >&2
	fi
	fail=1
elif [ "$verdict" -ne 0 ]; then
	echo "vm: FAIL: guest command exited with $verdict" >&2
	fail=1
fi
exit $fail
