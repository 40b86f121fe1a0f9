#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fuzz.sh SECONDS [SEED]: run each libFuzzer target (fuzz/*_fuzz.c, built
# with ASan and UBSan) for SECONDS, starting from its committed seed corpus
# in fuzz/corpus/<name>/.  New inputs go to build/fuzz/corpus-<name>/, never
# into the source tree.  A fixed SEED makes the run reproducible (make check
# uses 1); without one libFuzzer picks a seed and prints it.  Prints TAP,
# one line per target with the number of inputs run.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/fuzz
secs=${1:?usage: fuzz.sh SECONDS [SEED]}
seed=${2:-}
make -s -C "$TOP" fuzz-build >/dev/null || exit 1

# one result per fuzz target in the tree, built or not
targets=("$TOP"/fuzz/*_fuzz.c)
echo "1..${#targets[@]}"
n=0
failed=0
for src in "${targets[@]}"; do
	bin=$OUT/$(basename "$src" .c)
	name=$(basename "$bin" _fuzz)
	case $name in
	spec) what="the window= parser (module/spec.c)" ;;
	parse) what="the CLI's number parsers (user/parse.c)" ;;
	*) what=$name ;;
	esac
	n=$((n + 1))
	mkdir -p "$OUT/corpus-$name" "$OUT/crash-$name"
	log=$OUT/$name.log
	start=$SECONDS
	"$bin" -max_total_time="$secs" ${seed:+-seed=$seed} -print_final_stats=1 \
		-artifact_prefix="$OUT/crash-$name/" \
		"$OUT/corpus-$name" "$TOP/fuzz/corpus/$name" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n1)
	used=$(sed -n 's/^INFO: Seed: \([0-9]*\)$/\1/p' "$log" | head -n1)
	if [ $rc -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $n fuzz: $what, $runs inputs in $((SECONDS - start)) s (seed $used), no failure"
	else
		echo "not ok $n fuzz: $what failed (seed $used); log $log, input in $OUT/crash-$name/"
		grep -E 'ERROR|runtime error|round trip|reference|^artifact' "$log" | head -n 5 | sed 's/^/# /'
		failed=1
	fi
done
exit $failed
