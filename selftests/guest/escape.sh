# SPDX-License-Identifier: GPL-2.0
#
# Escape attempts: physwin gets a read-write window "esc" on IVW, a
# read-only one "esro" on IVRO (ivshmem_plan.h) and an exact one "esx" on
# the carve-out, and leaves them loaded for escape_test, which tries every
# way out of them, one test each; escape-race.sh unloads them.
. ./lib.sh
plan 1

load "escape" "$(escape_windows)"
exit $failed
