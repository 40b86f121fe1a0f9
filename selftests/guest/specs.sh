# SPDX-License-Identifier: GPL-2.0
#
# window= specifications: loads a window of every kind for spec_test and
# leaves them loaded; specs-more.sh unloads them.  Runs after the main
# suite, so the ivshmem windows hold what it wrote; everything here leaves
# them as they are, which the host then checks.
. ./lib.sh
plan 2

EDU_BDF=$PW_EDU_BDF
ROM=$(hex $((PW_IVSHMEM + 0x1000)))
NC=$(hex $((PW_IVSHMEM + 0x8000)))
SPECS="window=edu@pci:$EDU_BDF/0:width=4:exact,rom@$ROM+4K:ro"
SPECS="$SPECS,fast@$(hex $((PW_RESV + 0x100000)))+1M:wb"
SPECS="$SPECS,wcw@$(hex $((PW_RESV + 0x200000)))+1M:wc,nc@$NC+4K:ro:noclaim"
# its end not aligned for any access wider than 2 bytes
SPECS="$SPECS,odd@$(hex $((PW_RESV + 0x380000)))+0xffe"

if load "specs" base="$PW_RESV" size=0x1000 "$SPECS"; then
	claims=$(grep -c ': physwin$' /proc/iomem)
	grep -q "$(printf '%x' $((NC))).* : physwin" /proc/iomem && claims=noclaim-claimed
	[ "$claims" = 6 ]
	check "specs: six claims, none for the noclaim window" $? "$claims" \
		"$(grep physwin /proc/iomem)"
else
	fail "specs: six claims, none for the noclaim window" "not loaded"
fi
exit $failed
