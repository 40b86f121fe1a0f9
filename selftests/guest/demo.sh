# SPDX-License-Identifier: GPL-2.0
#
# The transcript "make demo" shows: physwin over the edu device's registers.

run() {
	echo "\$ $*"
	"$@" 2>&1
	echo
}

cat <<EOT
The QEMU 'edu' PCI device has 1 MiB of registers at $PW_EDU (from sysfs).
Register 0x00 reads 0x010000ed; register 0x04 reads back the inverse of
what was written.  physwin opens one page of it and nothing else.

EOT
run insmod physwin.ko base="$PW_EDU" size=0x1000
run ls -l /dev/physwin
run grep physwin /proc/iomem

echo "# the physwin CLI: the windows, then one 32-bit read of the ID register"
run ./physwin list
run ./physwin read "$PW_EDU" 32
echo "# write the liveness register, read back its inverse"
run ./physwin write "$(printf '0x%x' $((PW_EDU + 4)))" 32 0x12345678
run ./physwin read "$(printf '0x%x' $((PW_EDU + 4)))" 32

echo "# the kernel's /dev/mem refuses the claimed registers (IO_STRICT_DEVMEM)"
run devmem "$PW_EDU" 32
echo "# unmodified busybox devmem works once /dev/physwin stands in for /dev/mem"
run mount --bind /dev/physwin /dev/mem
run devmem "$PW_EDU" 32
echo "# one byte past the window, and System RAM: refused"
run devmem "$(printf '0x%x' $((PW_EDU + 0x1000)))" 32
run ./physwin read "$(printf '0x%x' $((PW_EDU + 0x1000)))" 32
run ./physwin read "$PW_RAM" 32
run umount /dev/mem
run rmmod physwin
