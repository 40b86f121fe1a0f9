// SPDX-License-Identifier: GPL-2.0
/*
 * physwin tracepoints: the one place that instantiates them (trace.h).
 */

#define CREATE_TRACE_POINTS
#include "trace.h"
