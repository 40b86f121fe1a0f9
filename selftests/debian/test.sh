#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tests of the Debian guest (scripts/debian-guest.sh), run at boot by
# physwin-test.service as a user's system runs things: physwin installed
# from its Debian packages (DKMS-built module, udev rule, group "physwin"),
# loaded at boot by /etc/modules-load.d with its windows from
# /etc/modprobe.d.  The first boot checks loading, modinfo, the nodes'
# group and mode, the CLI and Python as a member of group "physwin" and as
# a non-member, then reboots; the second checks that the same windows come
# back, then removes the packages and checks what is left.  TAP in the
# PHYSWIN-STEPS protocol of selftests/guest/suite.sh, on ttyS1.
set -u
exec > /dev/ttyS1 2>&1

STATE=/var/lib/physwin-test
EDU_BDF=0000:00:04.0
EDU=$(printf '0x%x' "$(cut -d' ' -f1 "/sys/bus/pci/devices/$EDU_BDF/resource" | head -n1)")
LIVE=$(printf '0x%x' $((EDU + 4)))
mkdir -p "$STATE"
udevadm settle

n=0
st=0
ok() {
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then echo "ok $n $1"; else echo "not ok $n $1"; st=1; fi
}
# as USER CMD...: run CMD as USER, stdout to $STATE/out, stderr to $STATE/err
as() {
	local u=$1
	shift
	runuser -u "$u" -- "$@" > "$STATE/out" 2> "$STATE/err"
}
show() { sed 's/^/#   /' "$STATE/out" "$STATE/err"; }
windows() { ls /sys/class/misc/physwin/windows 2>/dev/null | tr '\n' ' '; }

boot() {
	echo "1..20"
	[ -d /sys/module/physwin ]
	ok "physwin is loaded at boot (/etc/modules-load.d/physwin.conf)" $?
	systemctl is-active -q systemd-modules-load.service
	ok "systemd-modules-load.service succeeded" $?
	path=$(modinfo -n physwin)
	echo "# module: $path"
	case $path in /lib/modules/"$(uname -r)"/updates/dkms/physwin.ko*) true ;; *) false ;; esac
	ok "the module was built by DKMS for the running kernel" $?
	[ "$(windows)" = "buf edu shm " ]
	ok "the windows of /etc/modprobe.d/physwin.conf: $(windows)" $?
	windows > "$STATE/windows"
	missing=
	for p in base size window mode win_mode win_uid win_gid; do
		modinfo -F parm physwin | grep -q "^$p:[^ ].* ([a-z ]*)$" || missing="$missing $p"
	done
	[ -z "$missing" ] && [ "$(modinfo -F parm physwin | wc -l)" = 7 ]
	ok "modinfo documents every parameter${missing:+ (missing:$missing)}" $?
	gid=$(getent group physwin | cut -d: -f3)
	[ -n "$gid" ] && [ "$gid" -lt 1000 ]
	ok "the packages created the system group physwin (gid $gid)" $?
	for w in edu shm buf; do
		[ "$(stat -c '%U %G %a' "/dev/physwin-$w")" = "root physwin 660" ]
		ok "/dev/physwin-$w: root, group physwin, 0660 (udev rule)" $?
	done
	[ "$(stat -c '%U %G %a' /dev/physwin)" = "root root 600" ]
	ok "/dev/physwin stays root-only" $?

	as alice physwin list
	grep -q ' edu .* /dev/physwin-edu$' "$STATE/out" &&
		grep -q ' shm .* /dev/physwin-shm$' "$STATE/out" &&
		grep -q ' buf .* /dev/physwin-buf$' "$STATE/out"
	ok "member: physwin list shows the windows it reaches, and through which node" $?
	show
	as alice physwin read "$EDU" 32
	[ "$(cat "$STATE/out")" = 0x010000ed ]
	ok "member: physwin read of edu's ID register, no sudo, no --device" $?
	show
	as alice physwin write "$LIVE" 32 0x12345678 && as alice physwin read "$LIVE" 32 &&
		[ "$(cat "$STATE/out")" = 0xedcba987 ]
	ok "member: physwin write, then read back the liveness register's inverse" $?
	show
	as alice physwin devmem "$EDU" 32
	[ "$(tr A-F a-f < "$STATE/out")" = 0x010000ed ]
	ok "member: physwin devmem" $?
	show
	as bob physwin read "$EDU" 32
	rc=$?
	[ $rc = 1 ] && grep -q '/dev/physwin-edu' "$STATE/err" &&
		grep -qi 'permission denied' "$STATE/err"
	ok "non-member: refused, and told which node and permission (status $rc)" $?
	show
	as alice dd if=/dev/physwin bs=4 count=1 status=none
	grep -qi 'permission denied' "$STATE/err"
	ok "member: /dev/physwin itself is refused" $?
	as alice python3 /usr/local/lib/physwin-test/regs.py /dev/physwin-edu "$EDU"
	printf 'id 0x010000ed liveness 0xedcba987\nmapped: id 0x010000ed liveness 0x3501ffff\n' |
		cmp -s - "$STATE/out"
	ok "member: the README's Python example (os.pread/pwrite, mmap, struct)" $?
	show
	as bob python3 /usr/local/lib/physwin-test/regs.py /dev/physwin-edu "$EDU"
	grep -q PermissionError "$STATE/err"
	ok "non-member: Python gets PermissionError" $?
	as alice physwin read 0x1000 32
	[ $? = 1 ] && grep -q '^physwin: no node you can open holds 0x1000; tried:$' "$STATE/err"
	ok "member: an address in no window is refused, and said so" $?
	show
	touch "$STATE/rebooting"
	ok "first boot done, rebooting" 0
}

reboot_check() {
	echo "1..5"
	[ -e "$STATE/rebooting" ]
	ok "this is the second boot" $?
	[ -d /sys/module/physwin ]
	ok "physwin is loaded again after the reboot" $?
	[ "$(windows)" = "$(cat "$STATE/windows")" ]
	ok "with the same windows ($(windows))" $?
	[ "$(stat -c '%G %a' /dev/physwin-edu)" = "physwin 660" ]
	ok "/dev/physwin-edu is the group's again" $?
	as alice physwin read "$EDU" 32 && [ "$(cat "$STATE/out")" = 0x010000ed ]
	ok "member: physwin read works again" $?
	show
}

remove() {
	echo "1..7"
	dpkg -r physwin-tools libphyswin-dev libphyswin1 physwin-dkms > "$STATE/remove.log" 2>&1
	ok "dpkg -r of the four packages" $?
	sed 's/^/#   /' "$STATE/remove.log" | tail -n 5
	[ -d /sys/module/physwin ] && [ -e /dev/physwin-edu ]
	ok "removing them unloads nothing: physwin is still loaded" $?
	left=$(find /lib/modules /usr/src /var/lib/dkms -name '*physwin*' 2>/dev/null)
	[ -z "$left" ]
	ok "no module file or DKMS tree is left${left:+: $left}" $?
	! command -v physwin >/dev/null && [ ! -e /lib/udev/rules.d/60-physwin.rules ]
	ok "the CLI and the udev rule are gone" $?
	[ -e /etc/modprobe.d/physwin.conf ]
	ok "the edited conffile stays until purge" $?
	dpkg --purge physwin-dkms > /dev/null 2>&1 && [ ! -e /etc/modprobe.d/physwin.conf ]
	ok "purge removes /etc/modprobe.d/physwin.conf" $?
	rmmod physwin
	ok "physwin unloads cleanly" $?
}

if [ ! -e "$STATE/rebooting" ]; then
	echo "PHYSWIN-STEPS boot reboot remove"
	echo "PHYSWIN-STEP boot"
	boot
	echo "PHYSWIN-STEP-END boot $st"
	echo "$st" > "$STATE/boot-status"
	echo "PHYSWIN-TAINT $(cat /proc/sys/kernel/tainted)"
	sync
	systemctl reboot
else
	echo "PHYSWIN-STEP reboot"
	reboot_check
	echo "PHYSWIN-STEP-END reboot $st"
	r=$((st | $(cat "$STATE/boot-status" 2>/dev/null || echo 1)))
	st=0
	n=0
	echo "PHYSWIN-STEP remove"
	remove
	echo "PHYSWIN-STEP-END remove $st"
	echo "PHYSWIN-TAINT $(cat /proc/sys/kernel/tainted)"
	echo "PHYSWIN-VERDICT $((r | st))"
	sync
	systemctl poweroff
fi
