# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the guest's init: find the test targets and export them.
#   PW_EDU          edu BAR0 (1 MiB of registers)
#   PW_EDU_BDF      the edu device's PCI address (DDDD:BB:DD.F)
#   PW_IVSHMEM      ivshmem-plain BAR2 (shared memory the host can read)
#   PW_RESV         the memmap= reserved-RAM carve-out, PW_RESV_SIZE long
#   PW_RAM          an address inside System RAM
#   PW_BUSY         a busy non-RAM resource (the IOAPIC, which the kernel
#                   claims IORESOURCE_BUSY), PW_BUSY_SIZE long
#   PW_PHYS_BITS    the CPU's physical address bits

pw_pci_bar() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "$1" ] || continue
		[ "$(cat "$d/device")" = "$2" ] || continue
		printf '0x%x\n' "$(sed -n "$(($3 + 1))p" "$d/resource" | cut -d' ' -f1)"
		return
	done
}

# "start-end : name" lines of /proc/iomem, top level or nested
pw_iomem() {
	sed -n "s/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : $1\$/0x\1 0x\2/p" /proc/iomem
}

PW_EDU=$(pw_pci_bar 0x1234 0x11e8 0)
PW_EDU_BDF=$(basename "$(dirname "$(grep -l 0x11e8 /sys/bus/pci/devices/*/device)")")
PW_IVSHMEM=$(pw_pci_bar 0x1af4 0x1110 2)
set -- $(pw_iomem 'Reserved' | awk '$1 == "0x10000000"')
PW_RESV=$1
PW_RESV_SIZE=$(printf '0x%x' $(($2 - $1 + 1)))
# 16 MiB into the largest System RAM range
pw_best=0
PW_RAM=
for r in $(pw_iomem 'System RAM' | tr ' ' '-'); do
	s=${r%-*}
	e=${r#*-}
	if [ $((e - s)) -gt $pw_best ]; then
		pw_best=$((e - s))
		PW_RAM=$(printf '0x%x' $((s + 0x1000000)))
	fi
done
set -- $(pw_iomem 'IOAPIC 0')
PW_BUSY=$1
PW_BUSY_SIZE=$(printf '0x%x' $(($2 - $1 + 1)))
PW_PHYS_BITS=$(sed -n 's/^address sizes.*: \([0-9]*\) bits physical.*/\1/p' /proc/cpuinfo | head -n1)
export PW_EDU PW_EDU_BDF PW_IVSHMEM PW_RESV PW_RESV_SIZE PW_RAM PW_BUSY PW_BUSY_SIZE PW_PHYS_BITS
