// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the module's window= parser (module/spec.c, built
 * here exactly as the module builds it, minus the kernel).
 *
 * Beyond "no crash, no out-of-bounds read" (ASan, UBSan), every accepted
 * spec must hold the invariants the module relies on, and printing it back
 * in canonical form and parsing that again must give the same result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static int name_ok(const char *name)
{
	size_t n = strnlen(name, PHYSWIN_SPEC_NAME_MAX);

	if (n == 0 || n >= PHYSWIN_SPEC_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* The canonical text of @sp: what a user would write for the same window. */
static void canonical(const struct physwin_spec *sp, char *buf, size_t len)
{
	static const char *const cache[] = { "uc", "wc", "wb" };
	int n;

	if (sp->pci)
		n = snprintf(buf, len, "%s@pci:%04x:%02x:%02x.%x/%u", sp->name,
			     (unsigned int)sp->pci_domain, sp->pci_bus,
			     sp->pci_slot, sp->pci_func, sp->pci_bar);
	else
		n = snprintf(buf, len, "%s@0x%llx+%llu", sp->name,
			     (unsigned long long)sp->base,
			     (unsigned long long)sp->size);
	n += snprintf(buf + n, len - n, ":%s:%s", sp->readonly ? "ro" : "rw",
		      cache[sp->cache]);
	if (sp->width)
		n += snprintf(buf + n, len - n, ":width=%u", sp->width);
	if (sp->exact)
		n += snprintf(buf + n, len - n, ":exact");
	snprintf(buf + n, len - n, ":%s", sp->noclaim ? "noclaim" : "claim");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct physwin_spec sp, again;
	char *s = malloc(size + 1);
	const char *why;
	char text[160];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	why = physwin_spec_parse(s, &sp);
	if (why) {
		/* a reason is a short, printable, non-empty dmesg fragment */
		if (!why[0] || strlen(why) > 80)
			abort();
		free(s);
		return 0;
	}
	/* the name is what the text began with, up to '@' */
	if (!name_ok(sp.name) || strncmp(s, sp.name, strlen(sp.name)) ||
	    s[strlen(sp.name)] != '@')
		abort();
	if (sp.cache > 2)
		abort();
	if (sp.width != 0 && sp.width != 1 && sp.width != 2 && sp.width != 4 &&
	    sp.width != 8)
		abort();
	if (sp.exact && !sp.width)
		abort();
	if (sp.pci && (sp.base || sp.size || sp.pci_domain > 0xffff ||
		       sp.pci_slot > 0x1f || sp.pci_func > 7 || sp.pci_bar > 5))
		abort();

	canonical(&sp, text, sizeof(text));
	why = physwin_spec_parse(text, &again);
	if (why || memcmp(&sp, &again, sizeof(sp))) {
		fprintf(stderr, "round trip failed: '%s' -> '%s': %s\n", s, text,
			why ? why : "different result");
		abort();
	}
	free(s);
	return 0;
}
