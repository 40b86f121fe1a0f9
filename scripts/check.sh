#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: install what is missing, build everything from a clean tree,
# run the static checks, the host tests of the library and CLI (under
# valgrind, then built with ASan and UBSan), a short reproducible fuzz run
# of the parsers, the Debian packages (lintian) and DKMS builds of the
# module for both kernels, the VM suite on every configuration with the
# host's own checks (amd64 6.12 on the DKMS-built module), a Debian 12
# system with the packages installed booted twice (scripts/debian-guest.sh),
# prove that the verdict cannot be fooled (planted failures must turn it
# red), and end with "# N skipped" and the line "N passed, N
# failed".
#
# The configurations are KERNEL[:PROGRAMS]: Debian's amd64 6.1 and 6.12,
# arm64 6.1 and 6.12, and armhf 6.1 (LPAE) kernels (scripts/kernels.sh),
# each with programs of its own architecture, and the amd64 and arm64 6.1
# kernels also with 32-bit programs (i386, armhf) -- a 32-bit userland on a
# 64-bit kernel.
#
# Every step is counted against its plan (scripts/tap.sh): a step that
# dies, prints nothing or exits non-zero is a failure, whatever it printed.
# Each step's TAP also goes to build/check/.  CHECK_KERNELS may name a
# subset ("6.1 arm64-6.1:armhf") for a quicker local run; FUZZ_SECONDS
# (default 20) is the fuzz time per parser.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/check
KERNELS=${CHECK_KERNELS:-6.1 6.12 6.1:i386 arm64-6.1 arm64-6.12 arm64-6.1:armhf armhf-6.1}
# The seed of the guest's random tests (confine, stress): new each run,
# printed, and given back with PHYSWIN_SEED=N to repeat its random choices.
SEED=${PHYSWIN_SEED:-$(( $(date +%s) % 1000000 ))}
cd "$TOP"
. "$TOP/scripts/tap.sh"
# the project's own builds treat warnings as errors (the Makefile does not,
# for everybody else's)
export WERROR=1

"$TOP/scripts/deps.sh" || exit 1
# the ARM kernels and every userland's busybox, into the cache
for arch in arm64 armhf i386; do
	"$TOP/scripts/foreign.sh" "$arch" >/dev/null || exit 1
done
rm -rf "$TOP/build"
mkdir -p "$OUT"
make -s tests || exit 1

step() { printf '\n# ==== %s ====\n' "$*"; }

# run_step NAME COMMAND...: run a step, show and keep its output, count it
run_step() {
	local name=$1 st
	shift
	"$@" > "$OUT/$name.tap" 2>&1
	st=$?
	cat "$OUT/$name.tap"
	tap_step "$name" "$OUT/$name.tap" $st
}

# host_check NAME STATUS: one result of the host's own
host_check() {
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - host: $1"
	else
		tap_fail "host" "$1"
	fi
}

# vm_check NAME DIR STATUS: the host's result for one boot of vm.sh, with
# its reasons (DIR/vm.fail, the first lines) when it failed
vm_check() {
	local why=
	[ "$3" -eq 0 ] || why=$(head -n 3 "$2/vm.fail" 2>/dev/null | tr '\n' ';')
	host_check "$1${why:+: $why}" "$3"
}

step "static analysis"
run_step static "$TOP/scripts/static-check.sh"

step "libphyswin and the physwin CLI on the host (valgrind)"
make -s user > "$OUT/user-build.log" 2>&1
host_check "make user builds the library and the CLI" $?
LD_LIBRARY_PATH=$TOP/build/user run_step user \
	"$TOP/scripts/user-check.sh" "$TOP/build/user"

step "libphyswin and the physwin CLI on the host (ASan, UBSan)"
run_step user-san make -s user-sanitize

step "Debian packages (dpkg-buildpackage, lintian) and DKMS for both kernels' headers"
"$TOP/scripts/deb.sh" "$TOP/build/deb" > "$OUT/deb.log" 2>&1
host_check "dpkg-buildpackage -us -uc -b builds physwin-dkms, libphyswin1, libphyswin-dev, physwin-tools; lintian: no error" $?
sed -n 's/^[WE]: /# lintian: &/p' "$OUT/deb.log"
run_step dkms "$TOP/scripts/dkms-check.sh" "$(ls "$TOP"/build/deb/physwin-dkms_*.deb)" \
	"$TOP/build/dkms" 6.1 6.12

step "fuzzing the window= and CLI parsers (libFuzzer, seed 1, ${FUZZ_SECONDS:-20} s each)"
run_step fuzz "$TOP/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}" 1

for run in $KERNELS; do
	k=${run%%:*}
	u=${run#"$k"}
	u=${u#:}
	step "VM suite on Debian $k${u:+ with $u programs} (seed $SEED: PHYSWIN_SEED=$SEED repeats it)"
	start=$SECONDS
	vm=$OUT/vm-${run/:/-}
	mkdir -p "$vm"
	build/host/ivshmem_check fill "$vm/ivshmem.bin"
	# the amd64 6.12 suite runs on the module DKMS built (above)
	ko=() how=
	if [ "$run" = 6.12 ]; then
		read -r _ _ krel _ < <(scripts/kernels.sh "$k")
		ko=(--ko "$TOP/build/dkms/$krel/physwin.ko")
		how=", on the DKMS-built module"
	fi
	"$TOP/scripts/vm.sh" --kernel "$k" ${u:+--user "$u"} --timeout 1500 \
		"${ko[@]}" --out "$vm" --ivshmem "$vm/ivshmem.bin" -- PW_SEED="$SEED" sh suite.sh
	vm_check "$run: guest finished, exit status 0, no kernel report (vm.sh)$how" \
		"$vm" $?
	tap_guest "$run" "$vm/output.log"
	run_step "ivshmem-$run" build/host/ivshmem_check verify "$vm/ivshmem.bin" \
		"$vm/output.log"
	# a guest of its own: a device whose BAR cannot be assigned moves the
	# others, so it stays out of the main suite's machine (PCs only)
	if [ "$(scripts/kernels.sh "$k" | cut -d' ' -f2)" = amd64 ] && [ -z "$u" ]; then
		"$TOP/scripts/vm.sh" --kernel "$k" --timeout 300 --out "$vm-bar" \
			--qemu -device --qemu pci-testdev,membar=1T -- \
			PW_STEPS=unassigned sh suite.sh
		vm_check "$k: the unassigned-BAR guest finished clean (vm.sh)" \
			"$vm-bar" $?
		tap_guest "$k-bar" "$vm-bar/output.log"
	fi
	echo "# Debian $run: $((SECONDS - start)) s"
done

first=${KERNELS%% *}
# make bench, short, once: its table and goals are in the log, no time is
# asserted; that every case could be measured is (bench.sh)
step "make bench, short (Debian ${first%%:*}): physwin against /dev/mem, sysfs and memcpy"
"$TOP/scripts/vm.sh" --kernel "${first%%:*}" --mem 1024 --timeout 600 \
	--append 'memmap=256M$0x20000000' --out "$OUT/bench" \
	-- PW_BENCH=short PW_STEPS=bench sh suite.sh
vm_check "${first%%:*}: the benchmark guest finished clean (vm.sh)" "$OUT/bench" $?
tap_guest "bench" "$OUT/bench/output.log"

step "a Debian 12 system with systemd and udev: the packages, two boots (mmdebstrap)"
start=$SECONDS
"$TOP/scripts/debian-guest.sh" "$TOP/build/deb" "$OUT/debian"
vm_check "the Debian guest booted twice, powered off, no kernel report (debian-guest.sh)" \
	"$OUT/debian" $?
tap_guest "debian" "$OUT/debian/output.log"
echo "# the Debian guest: $((SECONDS - start)) s"

step "the verdict cannot be fooled: planted failures must be counted"
run_step verdict "$TOP/scripts/verdict-check.sh" "${first%%:*}"

step "summary"
tap_summary
