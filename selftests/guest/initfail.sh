# SPDX-License-Identifier: GPL-2.0
#
# Every allocation of loading physwin fails in turn (initfail.c): each
# failed load leaves nothing behind, and no open succeeds while a load is
# failing.  Kernels without fault injection skip it, with the reason.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
IVW=$(printf '0x%x' $((PW_IVSHMEM + 0x1000)))
exec ./initfail /physwin/physwin.ko \
	"window=edu@pci:$PW_EDU_BDF/0,ivw@$IVW+4K" /dev/physwin-ivw
