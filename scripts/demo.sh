#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot Debian's kernel in QEMU, load physwin over the edu
# device's registers and show it working, and refusing, as a transcript.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
"$TOP/scripts/deps.sh"
make -s -C "$TOP" tests
echo "Booting Debian's kernel in QEMU (about ten seconds)..."
"$TOP/scripts/vm.sh" --kernel "${DEMO_KERNEL:-6.1}" --timeout 300 -- sh demo.sh 2>&1 |
	grep -v '^PHYSWIN-\|^# vm:'
