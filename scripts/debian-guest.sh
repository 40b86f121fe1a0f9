#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-guest.sh DEBDIR OUTDIR: physwin as a Debian user runs it.  Build a
# Debian 12 system with mmdebstrap (systemd, udev, Debian's 6.1 kernel and
# its headers, DKMS, python3), install the packages of DEBDIR
# (scripts/deb.sh) into it -- DKMS builds the module there, as on a user's
# machine -- configure physwin the documented way (/etc/modprobe.d,
# /etc/modules-load.d), add a member of group "physwin" (alice) and a
# non-member (bob), and boot it in QEMU with the rig's targets (edu,
# ivshmem, a memmap= carve-out).  selftests/debian/test.sh runs at boot,
# reboots the guest once, and powers it off at the end.  Its output goes to
# stdout and OUTDIR/output.log (PHYSWIN-STEPS protocol), the console to
# OUTDIR/console.log.  Exit status 0 only if the guest gave verdict 0 and
# powered off by itself, and the kernel logged no report (kcheck.sh).
# Downloaded packages are kept in the cache (PHYSWIN_CACHE,
# /var/cache/physwin/debian-debs) for the next run.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
debdir=$(realpath "$1")
out=$(realpath -m "$2")
timeout=${PHYSWIN_DEBIAN_TIMEOUT:-1200}
cache=${PHYSWIN_CACHE:-/var/cache/physwin}/debian-debs
mkdir -p "$out" "$cache"
rm -f "$out/vm.fail"
why() {
	echo "debian-guest: FAIL: $*" >&2
	echo "$*" >> "$out/vm.fail"
}

root=$out/root
rm -rf "$root" "$out/disk.img"
debs=$(ls "$debdir"/physwin-dkms_*.deb "$debdir"/libphyswin1_*.deb \
	"$debdir"/libphyswin-dev_*.deb "$debdir"/physwin-tools_*.deb | tr '\n' ' ')
sed -n '/^```python example$/,/^```$/p' "$TOP/README.md" | sed '1d;$d' > "$out/regs.py"
[ -s "$out/regs.py" ] || { why "no Python example in README.md"; exit 1; }

# the windows: edu's registers, the ivshmem BAR, and the carve-out
conf="options physwin window=edu@pci:0000:00:04.0/0,shm@pci:0000:00:05.0/2,buf@0x10000000+16M:wb"

mirror=http://deb.debian.org/debian
start=$SECONDS
# The archive is sometimes mid-sync for one index ("File has unexpected
# size"): try again before calling it a failure.
build_root() {
	rm -rf "$root"
	mmdebstrap --variant=minbase --mode=root --skip=download/empty \
	--include="systemd-sysv,udev,kmod,linux-image-amd64,linux-headers-amd64,dkms,adduser,python3" \
	--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\"; cp $cache/*.deb \"\$1/var/cache/apt/archives/\" 2>/dev/null || true" \
	--customize-hook="cp \"\$1\"/var/cache/apt/archives/*.deb $cache/ 2>/dev/null; rm -f \"\$1\"/var/cache/apt/archives/*.deb" \
	--customize-hook="mkdir -p \"\$1/tmp/physwin\"" \
	--customize-hook="copy-in $debs /tmp/physwin/" \
	--customize-hook="chroot \"\$1\" sh -c 'dpkg -i /tmp/physwin/*.deb && rm -r /tmp/physwin'" \
	--customize-hook="echo '$conf' >> \"\$1/etc/modprobe.d/physwin.conf\"" \
	--customize-hook="echo physwin > \"\$1/etc/modules-load.d/physwin.conf\"" \
	--customize-hook="chroot \"\$1\" adduser --quiet --disabled-password --gecos '' alice" \
	--customize-hook="chroot \"\$1\" adduser --quiet --disabled-password --gecos '' bob" \
	--customize-hook="chroot \"\$1\" adduser --quiet alice physwin" \
	--customize-hook="mkdir -p \"\$1/usr/local/lib/physwin-test\"" \
	--customize-hook="copy-in $TOP/selftests/debian/test.sh $out/regs.py /usr/local/lib/physwin-test/" \
	--customize-hook="copy-in $TOP/selftests/debian/physwin-test.service /etc/systemd/system/" \
	--customize-hook="chroot \"\$1\" systemctl enable -q physwin-test.service" \
	--customize-hook="echo physwin-guest > \"\$1/etc/hostname\"" \
	--customize-hook="printf '/dev/vda / ext4 rw 0 1\n' > \"\$1/etc/fstab\"" \
	bookworm "$root" \
	"deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
	"deb http://deb.debian.org/debian-security bookworm-security main" \
	> "$out/mmdebstrap.log" 2>&1
}
for try in 1 2 3; do
	build_root && break
	if [ "$try" -eq 3 ]; then
		tail -n 30 "$out/mmdebstrap.log" >&2
		why "mmdebstrap failed three times (log: $out/mmdebstrap.log)"
		exit 1
	fi
	echo "# debian-guest: mmdebstrap failed (try $try of 3), again in $((try * 30)) s" >&2
	sleep $((try * 30))
done
echo "# debian-guest: root file system built in $((SECONDS - start)) s" >&2

vmlinuz=$(ls "$root"/boot/vmlinuz-* | tail -n1)
initrd=$(ls "$root"/boot/initrd.img-* | tail -n1)
cp "$vmlinuz" "$out/vmlinuz"
cp "$initrd" "$out/initrd.img"
mkfs.ext4 -q -F -L root -d "$root" "$out/disk.img" 4G
rm -rf "$root"

truncate -s 1M "$out/ivshmem.bin"
: > "$out/console.log"
echo "# debian-guest: booting $(basename "$vmlinuz"), timeout ${timeout}s, log in $out" >&2
start=$SECONDS
set +e
timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg -m 1024 \
	-smp "${PHYSWIN_VM_CPUS:-2}" -nodefaults -display none \
	-kernel "$out/vmlinuz" -initrd "$out/initrd.img" \
	-append "root=/dev/vda rw console=ttyS0,115200 loglevel=7 nokaslr no_timer_check memmap=16M\$0x10000000 panic=-1" \
	-drive "file=$out/disk.img,if=none,id=root,format=raw" \
	-device virtio-blk-pci,drive=root,addr=0x3 \
	-device edu,addr=0x4 \
	-object "memory-backend-file,id=ivshmem,mem-path=$out/ivshmem.bin,size=1M,share=on" \
	-device ivshmem-plain,memdev=ivshmem,addr=0x5 \
	-serial "file:$out/console.log" -serial stdio \
	</dev/null | stdbuf -oL tr -d '\r' | tee "$out/output.log"
qrc=${PIPESTATUS[0]}
set -e
echo "# debian-guest: two boots in $((SECONDS - start)) s" >&2

rm -f "$out/disk.img"
"$TOP/scripts/guest-verdict.sh" "$out" "$qrc" "$timeout"
