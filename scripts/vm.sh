#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian kernel in QEMU (TCG) with physwin's test targets and run a
# command in the guest:
#
#   scripts/vm.sh [--kernel NAME] [--user ARCH] [--timeout SEC] [--out DIR]
#                 [--ivshmem FILE] [--add FILE]... [--qemu ARG]...
#                 [--append KERNEL-ARGS] [--mem MIB] [--ko FILE] -- COMMAND...
#
# NAME is one of scripts/kernels.sh (6.1, 6.12, arm64-6.1, arm64-6.12,
# armhf-6.1) or "debug" (make check-debug's kernel); ARCH the Debian
# architecture the test programs are built for (amd64, i386, arm64,
# armhf), by default the kernel's own: i386 on an amd64 kernel and armhf
# on an arm64 one run 32-bit programs on a 64-bit kernel.
#
# The guest has two edu devices, an ivshmem-plain BAR backed by a host file
# (1 MiB; a fresh one under --out unless --ivshmem names one), and a 16 MiB
# reserved carve-out followed by a 64 KiB one: memmap= on x86, no-map
# /reserved-memory nodes added to the machine's device tree on ARM (with
# a third outside RAM).  --qemu adds arguments to QEMU's
# command line (one more device, say), --append to the kernel's; --mem sets
# the guest's memory (512 MiB by default).  /physwin
# in the guest holds physwin.ko built for that kernel (or --ko FILE, a
# module built elsewhere: by DKMS, say), the test programs,
# the guest scripts and each --add file.  COMMAND runs under busybox sh in
# /physwin.
#
# x86 guests are a PC; ARM guests QEMU's "virt" board (cortex-a57 for
# arm64, cortex-a15 with LPAE for armhf).  The kernel console goes to the
# first serial port, the tests' output to a second channel (ttyS1 on x86,
# a virtio console on ARM), so kernel messages never break a TAP line.
# What the guest prints goes to stdout and DIR/output.log; the kernel
# console to DIR/console.log.  Exit status 0 only if the command exited 0,
# the guest powered off by itself within the timeout, and the kernel log
# holds no Oops, BUG, WARNING, KASAN/UBSAN/KFENCE, lockdep or RCU report,
# and no taint beyond out-of-tree (O) and unsigned (E) modules.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
kernel=6.1
uarch=
timeout=300
out=
ivshmem=
adds=()
qemu_args=()
append=
mem=512
ko=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--user) uarch=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--ivshmem) ivshmem=$2; shift 2 ;;
	--add) adds+=("$2"); shift 2 ;;
	--ko) ko=$(realpath "$2"); shift 2 ;;
	--qemu) qemu_args+=("$2"); shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "vm.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "vm.sh: no command given" >&2; exit 2; }

if [ "$kernel" = debug ]; then
	# the KASAN/lockdep kernel of make check-debug (built once, cached)
	karch=amd64
	read -r krel vmlinuz kdir < <("$TOP/scripts/debug-kernel/build.sh")
else
	read -r _ karch krel vmlinuz kdir < <("$TOP/scripts/kernels.sh" "$kernel")
fi
uarch=${uarch:-$karch}
if [ -z "$ko" ]; then
	ko=$TOP/build/kmod/$(basename "$kdir")/physwin.ko
	make -s -C "$TOP" module KDIR="$kdir" KARCH="$karch" >/dev/null
fi
[ "$(basename "$ko")" = physwin.ko ] || { echo "vm.sh: --ko must name a physwin.ko" >&2; exit 2; }
make -s -C "$TOP" tests UARCH="$uarch" >/dev/null

out=${out:-$(mktemp -d /tmp/physwin-vm.XXXXXX)}
mkdir -p "$out"
if [ -z "$ivshmem" ]; then
	ivshmem=$out/ivshmem.bin
	[ -e "$ivshmem" ] || truncate -s 1M "$ivshmem"
fi

devices=(-device edu -device edu
	-object "memory-backend-file,id=ivshmem,mem-path=$ivshmem,size=1M,share=on"
	-device ivshmem-plain,memdev=ivshmem "${qemu_args[@]}")
mods=()
# the shell and tools are the userland's: a 32-bit busybox for a 32-bit one
if [ "$uarch" = amd64 ]; then
	busybox=/bin/busybox
else
	busybox=$(cat "${PHYSWIN_CACHE:-/var/cache/physwin}/foreign/$uarch/current" 2>/dev/null)/bin/busybox
fi
[ -x "$busybox" ] || { echo "vm.sh: no $uarch busybox (run scripts/foreign.sh $uarch)" >&2; exit 2; }
case $karch in
amd64)
	qemu=(qemu-system-x86_64 -m "$mem")
	# no_timer_check: under a loaded host, TCG can miss the kernel's
	# IO-APIC timer check, which then panics the boot ("IO-APIC + timer
	# doesn't work!") before init runs; the check proves nothing here
	cmdline="console=ttyS0,115200 nokaslr no_timer_check"
	cmdline+=" memmap=16M\$0x10000000 memmap=64K\$0x11000000"
	outdev=(-serial "file:$out/console.log" -serial stdio)
	guestout=ttyS1
	;;
arm64 | armhf)
	froot=${kdir%/usr/src/*}
	if [ "$karch" = arm64 ]; then
		qemu=(qemu-system-aarch64 -machine virt -cpu cortex-a57 -m "$mem")
		bits=44		# the cortex-a57's physical address size
	else
		qemu=(qemu-system-arm -machine virt,highmem=on -cpu cortex-a15 -m "$mem")
		bits=40		# LPAE
	fi
	# no firmware tells the guest its physical address size: the rig does
	cmdline="console=ttyAMA0 PW_CPU_PHYS_BITS=$bits"
	outdev=(-serial "file:$out/console.log" -device virtio-serial-device
		-chardev stdio,id=out -device virtconsole,chardev=out)
	guestout=hvc0
	# the carve-out: a no-map /reserved-memory node in the board's own
	# device tree, 256 MiB into RAM; a second one right after it; and one
	# outside RAM, in the platform bus's empty window (not memory, so wb
	# must be refused there)
	"${qemu[@]}" -accel tcg -smp "${PHYSWIN_VM_CPUS:-2}" -nodefaults \
		-display none -machine "dumpdtb=$out/virt.dtb" \
		>/dev/null 2>&1 </dev/null || true
	{
		dtc -q -I dtb -O dts "$out/virt.dtb"
		cat <<-'EOF'
		/ {
			reserved-memory {
				#address-cells = <2>;
				#size-cells = <2>;
				ranges;
				physwin@50000000 {
					reg = <0x0 0x50000000 0x0 0x1000000>;
					no-map;
				};
				physwin-next@51000000 {
					reg = <0x0 0x51000000 0x0 0x10000>;
					no-map;
				};
				physwin-notmem@c000000 {
					reg = <0x0 0x0c000000 0x0 0x10000>;
					no-map;
				};
			};
		};
		EOF
	} | dtc -q -I dts -O dtb -o "$out/physwin.dtb"
	qemu+=(-dtb "$out/physwin.dtb")
	# the virtio console, where the kernel has it as a module
	for m in virtio/virtio_mmio char/virtio_console; do
		for f in "$froot/lib/modules/$krel/kernel/drivers/$m".ko{,.xz}; do
			[ -e "$f" ] && mods+=("$f")
		done
	done
	;;
*)
	echo "vm.sh: no QEMU machine for architecture '$karch'" >&2
	exit 2
	;;
esac

# initramfs: busybox, init, /physwin with everything the tests need
root=$out/root
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,physwin/mods}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$TOP/selftests/guest/init" "$root/init"
chmod +x "$root/init"
cp "$TOP"/selftests/guest/*.sh "$ko" "$root/physwin/"
for f in "$TOP/build/guest-$uarch"/*; do
	[ -f "$f" ] && [ -x "$f" ] && cp "$f" "$root/physwin/"
done
for f in "${adds[@]}"; do cp "$f" "$root/physwin/"; done
for f in "${mods[@]}"; do
	case $f in
	*.xz) xz -dc "$f" > "$root/physwin/mods/$(basename "$f" .xz)" ;;
	*) cp "$f" "$root/physwin/mods/" ;;
	esac
done
# the order to load them in, and where the tests' output goes
for f in "${mods[@]}"; do basename "${f%.xz}"; done > "$root/physwin/mods/order"
echo "$guestout" > "$root/physwin/outdev"
printf '%s\n' "$*" > "$root/cmd"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz"

echo "# vm: Debian $kernel ($krel, $karch, programs $uarch), timeout ${timeout}s, log in $out" >&2
: > "$out/console.log"
set +e
timeout -k 10 "$timeout" "${qemu[@]}" \
	-accel tcg -smp "${PHYSWIN_VM_CPUS:-2}" -nodefaults -display none -no-reboot \
	-kernel "$vmlinuz" -initrd "$out/initrd.gz" \
	-append "$cmdline panic=-1$append" \
	"${outdev[@]}" "${devices[@]}" \
	</dev/null | stdbuf -oL tr -d '\r' | tee "$out/output.log"
qrc=${PIPESTATUS[0]}
set -e

"$TOP/scripts/guest-verdict.sh" "$out" "$qrc" "$timeout"
