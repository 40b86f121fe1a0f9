#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build everything from a clean tree,
# run the static checks, the host tests of the library and CLI (under
# valgrind, then built with ASan and UBSan), a short reproducible fuzz run
# of the parsers, the VM suite on Debian 6.1 and 6.12 with the host's own
# checks, prove the kernel-report detector works, and end with the line
# "N passed, N failed".
#
# Every step's TAP goes to stdout and to build/check/.  CHECK_KERNELS may
# name a subset ("6.1") for a quicker local run; FUZZ_SECONDS (default 20)
# is the fuzz time per parser.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/check
KERNELS=${CHECK_KERNELS:-6.1 6.12}
# The seed of the guest's random tests (confine, stress): new each run,
# printed, and given back with PHYSWIN_SEED=N to repeat its random choices.
SEED=${PHYSWIN_SEED:-$(( $(date +%s) % 1000000 ))}
cd "$TOP"

"$TOP/scripts/deps.sh" || exit 1
rm -rf "$TOP/build"
mkdir -p "$OUT"
make -s tests || exit 1

passed=0
failed=0
skipped=0
failures=()

# tally FILE: add FILE's TAP results to the totals
tally() {
	local line
	while IFS= read -r line; do
		case $line in
		"not ok "*) failed=$((failed + 1)); failures+=("${line#not ok }") ;;
		"ok "*"# SKIP"*) skipped=$((skipped + 1)) ;;
		"ok "*) passed=$((passed + 1)) ;;
		esac
	done < "$1"
}

# host NAME STATUS: one result of the host's own
host() {
	if [ "$2" -eq 0 ]; then
		echo "ok - host: $1" | tee -a "$OUT/host.tap"
	else
		echo "not ok - host: $1" | tee -a "$OUT/host.tap"
	fi
}
: > "$OUT/host.tap"

step() { printf '\n# ==== %s ====\n' "$*"; }

step "static analysis"
"$TOP/scripts/static-check.sh" | tee "$OUT/static.tap"
tally "$OUT/static.tap"

step "libphyswin and the physwin CLI on the host (valgrind)"
make -s user || exit 1
LD_LIBRARY_PATH=$TOP/build/user "$TOP/scripts/user-check.sh" "$TOP/build/user" |
	grep -v '^==' | tee "$OUT/user.tap"
tally "$OUT/user.tap"

step "libphyswin and the physwin CLI on the host (ASan, UBSan)"
make -s user-sanitize 2>&1 | grep -v '^==' | tee "$OUT/user-san.tap"
tally "$OUT/user-san.tap"

step "fuzzing the window= and CLI parsers (libFuzzer, seed 1, ${FUZZ_SECONDS:-20} s each)"
"$TOP/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}" 1 | tee "$OUT/fuzz.tap"
tally "$OUT/fuzz.tap"

for k in $KERNELS; do
	step "VM suite on Debian $k (seed $SEED: PHYSWIN_SEED=$SEED repeats it)"
	start=$SECONDS
	vm=$OUT/vm-$k
	mkdir -p "$vm"
	build/tests/ivshmem_check fill "$vm/ivshmem.bin"
	"$TOP/scripts/vm.sh" --kernel "$k" --timeout 900 --out "$vm" \
		--ivshmem "$vm/ivshmem.bin" -- PW_SEED="$SEED" sh suite.sh
	grep -q '^PHYSWIN-VERDICT ' "$vm/output.log"
	host "$k: guest ran the suite to the end and powered off" $?
	"$TOP/scripts/kcheck.sh" "$vm/console.log" "$vm/output.log"
	host "$k: guest kernel log has no Oops/BUG/WARNING/splat, taint O/E only" $?
	tally "$vm/output.log"
	build/tests/ivshmem_check verify "$vm/ivshmem.bin" "$vm/output.log" | tee "$vm/ivshmem.tap"
	tally "$vm/ivshmem.tap"
	echo "# Debian $k: $((SECONDS - start)) s"
done

step "kernel-report detector self-check"
first=${KERNELS%% *}
read -r _ _ _ kdir < <("$TOP/scripts/kernels.sh" "$first")
fdir=$TOP/build/faulty/$(basename "$kdir")
mkdir -p "$fdir"
ln -sfn "$TOP/selftests/faulty/Kbuild" "$fdir/Kbuild"
ln -sfn "$TOP/selftests/faulty/faulty.c" "$fdir/faulty.c"
make -s -C "$kdir" M="$fdir" modules >/dev/null 2>&1
if "$TOP/scripts/vm.sh" --kernel "$first" --timeout 300 --out "$OUT/faulty" \
	--add "$fdir/physwin_faulty.ko" -- insmod physwin_faulty.ko \
	> "$OUT/faulty.log" 2>&1; then
	host "detector fails a run whose kernel warned" 1
else
	grep -q 'kcheck:.*WARNING:' "$OUT/faulty.log" &&
		grep -q 'kcheck: FAIL: kernel tainted' "$OUT/faulty.log"
	host "detector fails a run whose kernel warned (WARNING and taint W seen)" $?
fi
sed 's/^/# /' "$OUT/faulty.log" | grep kcheck
tally "$OUT/host.tap"

step "summary"
for f in "${failures[@]}"; do
	echo "# FAILED: $f"
done
[ $((passed + failed)) -gt 0 ] || failed=1
[ "$skipped" -eq 0 ] || echo "# $skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
