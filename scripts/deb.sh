#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [OUTDIR]: build physwin's Debian packages (physwin-dkms,
# libphyswin1, libphyswin-dev, physwin-tools) with "dpkg-buildpackage -us
# -uc -b" from a copy of the source tree (the files git knows, committed
# or not), so that nothing lands beside the checkout, then run lintian on
# them.  OUTDIR (default build/deb) receives the .deb files, the .changes,
# build.log and lintian.txt.  Exits non-zero if the build fails or lintian
# reports an error; its warnings are in lintian.txt (docs/decisions.md
# says why each stays).
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(realpath -m "${1:-$TOP/build/deb}")
version=$(sed -n '1s/^physwin (\([^-)]*\).*/\1/p' "$TOP/debian/changelog")
src=$OUT/physwin-$version
rm -rf "$OUT"
mkdir -p "$src"
# (a file deleted in the work tree but still known to git is left out)
(cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do
		if [ -e "$f" ]; then printf '%s\0' "$f"; fi
	done | tar --null -T - -cf -) | tar -C "$src" -xf -

cd "$src"
# built as a user or a distribution would: without make check's WERROR=1
unset WERROR
if ! dpkg-buildpackage -us -uc -b > "$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log" >&2
	echo "deb: dpkg-buildpackage failed (log: $OUT/build.log)" >&2
	exit 1
fi
changes=$(ls "$OUT"/physwin_*.changes)
# lintian exits 1 on errors (its default --fail-on); keep every tag
lst=0
lintian --no-cfg --display-info --fail-on error "$changes" > "$OUT/lintian.txt" 2>&1 || lst=$?
rm -rf "$src"
ls "$OUT"/*.deb
cat "$OUT/lintian.txt"
exit $lst
