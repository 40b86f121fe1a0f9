# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the guest's init: find the test targets, on any architecture,
# and export them.  Nothing here is an address written down: each comes
# from what the kernel shows.
#   PW_EDU          edu BAR0 (1 MiB of registers)
#   PW_EDU_BDF      the edu device's PCI address (DDDD:BB:DD.F)
#   PW_EDU2         the second edu device's BAR0 (its 64-bit registers are
#                   the target of the 64-bit access tests), PW_EDU2_BDF
#   PW_IVSHMEM      ivshmem-plain BAR2 (shared memory the host can read),
#                   PW_IVSHMEM_BDF its device
#   PW_RESV         the reserved carve-out, PW_RESV_SIZE long: a
#                   /reserved-memory node named physwin@... in the device
#                   tree (ARM), else the memmap= range of the kernel's
#                   command line (x86)
#   PW_RESV_NEXT    a second reserved range, PW_RESV_NEXT_SIZE long,
#                   starting where the carve-out ends (node
#                   physwin-next@..., or the second memmap=)
#   PW_BIG          make bench's large carve-out, PW_BIG_SIZE long: a third
#                   memmap= (x86), only in the benchmark's boot
#   PW_NOTMEM       a no-map /reserved-memory node outside the memory the
#                   device tree declares (physwin-notmem@...), 64 KiB: set
#                   only where there is a device tree
#   PW_RAM          an address inside System RAM
#   PW_BUSY         a busy non-RAM resource, PW_BUSY_SIZE long: one the
#                   kernel or a driver claimed (the IOAPIC on x86, the
#                   console UART's registers on ARM)
#   PW_PHYS_BITS    the CPU's physical address bits: /proc/cpuinfo where
#                   the kernel says (x86); elsewhere the rig passes what it
#                   emulates on the kernel command line (PW_CPU_PHYS_BITS)

# pw_pci_dev VENDOR DEVICE [N]: the N-th such device (from 1)
pw_pci_dev() {
	local n=${3:-1}
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ] || continue
		n=$((n - 1))
		[ $n -eq 0 ] && echo "$d" && return
	done
}

pw_pci_bar() {
	printf '0x%x\n' "$(sed -n "$(($2 + 1))p" "$1/resource" | cut -d' ' -f1)"
}

# "start-end : name" lines of /proc/iomem matching NAME-REGEX, top level or
# nested, as "0xSTART 0xEND"
pw_iomem() {
	sed -n "s/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : $1\$/0x\1 0x\2/p" /proc/iomem
}

# Without firmware (ARM) nothing enables a driverless device's memory
# decoding; on x86 the BIOS did, and enabling again changes nothing.
pw_edu_dev=$(pw_pci_dev 0x1234 0x11e8)
pw_edu2_dev=$(pw_pci_dev 0x1234 0x11e8 2)
pw_ivshmem_dev=$(pw_pci_dev 0x1af4 0x1110)
for d in $pw_edu_dev $pw_edu2_dev $pw_ivshmem_dev; do
	echo 1 > "$d/enable"
done
PW_EDU=$(pw_pci_bar "$pw_edu_dev" 0)
PW_EDU_BDF=$(basename "$pw_edu_dev")
PW_EDU2=$(pw_pci_bar "$pw_edu2_dev" 0)
PW_EDU2_BDF=$(basename "$pw_edu2_dev")
PW_IVSHMEM=$(pw_pci_bar "$pw_ivshmem_dev" 2)
PW_IVSHMEM_BDF=$(basename "$pw_ivshmem_dev")

# The rig's reserved ranges: device tree nodes (two cells of address and
# size), else memmap=SIZE$ADDR on the command line, in the order given.
pw_dt_reg() {	# pw_dt_reg NODE-PREFIX: "ADDR SIZE" of its node, if any
	local n
	n=$(ls -d /proc/device-tree/reserved-memory/"$1"@* 2>/dev/null | head -n1)
	[ -n "$n" ] || return 1
	set -- $(od -An -v -tx1 "$n/reg" | tr -d ' \n' | sed 's/\(.\{16\}\)\(.\{16\}\)/\1 \2/')
	printf '0x%x 0x%x\n' "0x$1" "0x$2"
}
pw_memmap() {	# pw_memmap N: "ADDR SIZE" of the N-th memmap=SIZE$ADDR
	local n=$1 w sh_
	for w in $(cat /proc/cmdline); do
		case $w in memmap=*\$*) ;; *) continue ;; esac
		n=$((n - 1))
		[ $n -eq 0 ] || continue
		set -- $(echo "$w" | sed -n 's/memmap=\([0-9]*\)\([KMG]\)\$\(0x[0-9a-fA-F]*\)/\1 \2 \3/p')
		case $2 in K) sh_=10 ;; M) sh_=20 ;; G) sh_=30 ;; esac
		printf '%s 0x%x\n' "$3" $(($1 << sh_))
		return 0
	done
	return 1
}
set -- $(pw_dt_reg physwin || pw_memmap 1)
PW_RESV=$1 PW_RESV_SIZE=$2
set -- $(pw_dt_reg physwin-next || pw_memmap 2)
PW_RESV_NEXT=${1:-} PW_RESV_NEXT_SIZE=${2:-}
set -- $(pw_memmap 3)
PW_BIG=${1:-} PW_BIG_SIZE=${2:-}
set -- $(pw_dt_reg physwin-notmem)
PW_NOTMEM=${1:-}

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

# a range the kernel (IOAPIC) or a driver (the PL011 UART) holds busy
set -- $( (pw_iomem 'IOAPIC 0'; pw_iomem '[0-9a-f]*\.pl011 .*') | head -n1)
PW_BUSY=$(printf '0x%x' "$1")
PW_BUSY_SIZE=$(printf '0x%x' $(($2 - $1 + 1)))

PW_PHYS_BITS=$(sed -n 's/^address sizes.*: \([0-9]*\) bits physical.*/\1/p' /proc/cpuinfo | head -n1)
PW_PHYS_BITS=${PW_PHYS_BITS:-${PW_CPU_PHYS_BITS:-}}
export PW_EDU PW_EDU_BDF PW_EDU2 PW_EDU2_BDF PW_IVSHMEM PW_IVSHMEM_BDF PW_BIG PW_BIG_SIZE PW_RESV PW_RESV_SIZE PW_RESV_NEXT PW_RESV_NEXT_SIZE PW_NOTMEM PW_RAM PW_BUSY PW_BUSY_SIZE PW_PHYS_BITS
