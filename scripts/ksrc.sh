#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Take the kselftest harness and checkpatch.pl from Debian's linux-source-6.1
# into build/ksrc (ignored by git).  Nothing from the kernel tree is kept in
# the repository.  Does nothing when the files are already there.
set -euo pipefail

out=${1:-build/ksrc}
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
files=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)

have=1
for f in "${files[@]}"; do
	[ -e "$out/$(basename "$f")" ] || have=0
done
[ $have -eq 1 ] && exit 0

if [ -z "$tarball" ]; then
	echo "ksrc: /usr/src/linux-source-6.1.tar.xz missing (run scripts/deps.sh)" >&2
	exit 1
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xJf "$tarball" -C "$tmp" "${files[@]/#/linux-source-6.1/}"
for f in "${files[@]}"; do
	cp "$tmp/linux-source-6.1/$f" "$out/"
done
