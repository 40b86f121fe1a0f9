# SPDX-License-Identifier: GPL-2.0
#
# Counting results against plans, for scripts/check.sh and check-debug.sh
# (sourced).  A run can only be green if every step said how many results
# it would give (TAP's "1..N"), gave exactly that many, none failed, and
# the step itself exited 0: a step that dies half-way, prints nothing, or
# never starts counts as failed, whatever the lines it did print say.
#
#   tap_step NAME FILE STATUS   one step's TAP in FILE; it exited STATUS
#   tap_guest NAME LOG          a guest run's output (see guest/suite.sh):
#                               every step it declared, each as tap_step
#   tap_summary                 the skips with their reasons, the failures,
#                               then "# N skipped" and "N passed, N failed"
#
# TAP as counted here: a plan line "1..N" starts a block of N results
# ("ok ...", "not ok ..."); a step may print several blocks, one after the
# other (a test program inside a script).  "ok ... # SKIP reason" is a
# skip, and so is a whole block "1..0 # SKIP reason"; a skip without a
# reason is a failure.  "Bail out!" is a failure.

passed=0
failed=0
skipped=0
failures=()
skips=()

# tap_fail STEP WHY: one failure that is not a "not ok" line
tap_fail() {
	failed=$((failed + 1))
	failures+=("$1: $2")
	echo "not ok - $1: $2"
}

# tap_skip STEP LINE WHAT: LINE has "# SKIP reason": a skip of WHAT, or a
# failure if the reason is missing
tap_skip() {
	local reason=${2#*# SKIP}

	reason=${reason# }
	if [ -n "$reason" ]; then
		skipped=$((skipped + 1))
		skips+=("$1: $3 ($reason)")
	else
		tap_fail "$1" "'$2' skipped without a reason"
	fi
}

tap_step() {
	local step=$1 file=$2 rc=$3 line plan=-1 count=0 blocks=0

	# _tap_close: check the block that ends here against its plan
	_tap_close() {
		[ "$plan" -ge 0 ] || return 0
		if [ "$count" -lt "$plan" ]; then
			failed=$((failed + plan - count))
			failures+=("$step: $((plan - count)) of $plan planned results never came")
			echo "not ok - $step: only $count of $plan planned results"
		elif [ "$count" -gt "$plan" ]; then
			tap_fail "$step" "$count results, $plan planned"
		fi
		plan=-1
		count=0
	}

	if [ ! -e "$file" ]; then
		tap_fail "$step" "no output at all (exit status $rc)"
		return
	fi
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		1..*)
			_tap_close
			blocks=$((blocks + 1))
			plan=${line#1..}
			plan=${plan%%[!0-9]*}
			[ -n "$plan" ] || { tap_fail "$step" "bad plan line '$line'"; plan=0; }
			if [ "$plan" -eq 0 ]; then
				case $line in
				*"# SKIP"*) tap_skip "$step" "$line" "the whole step" ;;
				*) tap_fail "$step" "plans no results ('$line')" ;;
				esac
			fi
			;;
		"not ok"*)
			[ "$plan" -ge 0 ] || tap_fail "$step" "a result before any plan"
			count=$((count + 1))
			failed=$((failed + 1))
			failures+=("$step: ${line#not ok }")
			;;
		"ok "*)
			[ "$plan" -ge 0 ] || tap_fail "$step" "a result before any plan"
			count=$((count + 1))
			case $line in
			*"# SKIP"*) tap_skip "$step" "$line" "${line%%#*}" ;;
			*) passed=$((passed + 1)) ;;
			esac
			;;
		"Bail out!"*)
			tap_fail "$step" "$line"
			;;
		esac
	done < "$file"
	_tap_close
	[ "$blocks" -gt 0 ] || tap_fail "$step" "printed no plan (exit status $rc)"
	[ "$rc" = 0 ] || tap_fail "$step" "exited with status $rc"
}

# The guest prints, on its test console:
#   PHYSWIN-STEPS a b c      once, first: the steps it will run
#   PHYSWIN-STEP a           before step a's output
#   PHYSWIN-STEP-END a RC    after it, with its exit status
tap_guest() {
	local name=$1 log=$2 dir steps s rc

	dir=$(mktemp -d)
	awk -v dir="$dir" '
		/^PHYSWIN-STEPS / { sub(/^PHYSWIN-STEPS /, ""); print > (dir "/.steps"); next }
		/^PHYSWIN-STEP / {
			cur = $2
			if ((dir "/" cur ".tap") in seen) { print cur > (dir "/.twice") }
			seen[dir "/" cur ".tap"] = 1
			printf "" > (dir "/" cur ".tap")
			next
		}
		/^PHYSWIN-STEP-END / { print $3 > (dir "/" $2 ".rc"); cur = ""; next }
		cur != "" { print > (dir "/" cur ".tap"); next }
		/^(not )?ok / { print > (dir "/.outside") }
	' "$log"

	if [ ! -s "$dir/.steps" ]; then
		tap_fail "$name" "the guest never declared its steps (no PHYSWIN-STEPS line)"
		rm -rf "$dir"
		return
	fi
	read -r steps < "$dir/.steps"
	for s in $steps; do
		if [ ! -e "$dir/$s.tap" ]; then
			tap_fail "$name: $s" "declared but never started"
			continue
		fi
		rc=$(cat "$dir/$s.rc" 2>/dev/null)
		tap_step "$name: $s" "$dir/$s.tap" "${rc:-none (the step never finished)}"
	done
	for f in "$dir"/*.tap; do
		[ -e "$f" ] || continue
		s=$(basename "$f" .tap)
		case " $steps " in
		*" $s "*) ;;
		*) tap_fail "$name: $s" "ran but was not declared" ;;
		esac
	done
	[ ! -s "$dir/.twice" ] || tap_fail "$name" "steps ran twice: $(tr '\n' ' ' < "$dir/.twice")"
	[ ! -s "$dir/.outside" ] ||
		tap_fail "$name" "$(wc -l < "$dir/.outside") results outside any step"
	rm -rf "$dir"
}

tap_summary() {
	local s
	for s in "${skips[@]}"; do
		echo "# SKIPPED: $s"
	done
	for s in "${failures[@]}"; do
		echo "# FAILED: $s"
	done
	[ $((passed + failed)) -gt 0 ] || tap_fail "run" "no results at all"
	echo "# $skipped skipped"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
