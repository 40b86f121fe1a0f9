# SPDX-License-Identifier: GPL-2.0
#
# A step that dies half-way, on purpose: never in the suite's own list.
# scripts/verdict-check.sh runs it (PW_STEPS="planted devmem") to prove
# that the host counts the results it never gave as failed, and that the
# step after it still runs.
. ./lib.sh
plan 3

pass "planted: the one result it gives"
# busybox sh aborts a script on an arithmetic error
: $((1 / 0))
pass "planted: never printed"
pass "planted: never printed either"
exit $failed
