# SPDX-License-Identifier: GPL-2.0
#
# physwin top-level Makefile.
#
#   make                 module (for KDIR) and the test programs
#   make module KDIR=…   the module for another kernel tree
#   make check           everything from a clean tree: static analysis,
#                        then the VM suite on Debian 6.1 and 6.12
#   make check-debug     the VM suite on a KASAN/lockdep/UBSAN/kmemleak
#                        kernel built from linux-source-6.1 (cached)
#   make demo            boot a VM and show /dev/physwin at work
#   make deb             the Debian packages into build/deb/, then lintian
#   make install         library, CLI, man page, udev rule (PREFIX, DESTDIR)
#   make install-module  the module into /lib/modules/<KREL>/updates
#   make dkms-install    the module's source to /usr/src, built by DKMS
#   make bench           physwin against /dev/mem, sysfs and memcpy, one
#                        boot per Debian kernel (BENCH_KERNELS)
#   make static-check    checkpatch, sparse and W=1 on both kernels
#   make fuzz            fuzz the window= and CLI parsers (FUZZ_SECONDS each)
#   make user-sanitize   host library/CLI tests under ASan and UBSan
#
# Objects never land in the source tree: each kernel gets its own
# build/kmod/<release>/ with links to the sources.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build

# Default kernel tree: the running kernel's, else Debian's 6.1 headers.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(word 5,$(shell $(TOP)/scripts/kernels.sh 6.1 2>/dev/null)))
KREL = $(notdir $(realpath $(KDIR)))
KOUT = $(BUILD)/kmod/$(KREL)

MODULE_SRCS := Kbuild $(wildcard module/*.c module/*.h)

CC ?= cc

# Kernel architectures other than the host's (KARCH=arm64|armhf): the
# cross compiler Debian's headers expect (their .kernelvariables set ARCH).
KCROSS_arm64 := aarch64-linux-gnu-
KCROSS_armhf := arm-linux-gnueabihf-
KARCH ?= amd64
KCROSS := $(if $(KCROSS_$(KARCH)),CROSS_COMPILE=$(KCROSS_$(KARCH)))

# The guest's programs, built for UARCH (amd64, i386, arm64 or armhf) into
# build/guest-UARCH/, static: the guest has no C library.  i386 uses the
# host's gcc with -m32: Debian's gcc-multilib conflicts with the ARM cross
# compilers, so only the asm include link it would add is made here.
UARCH ?= amd64
GCC_amd64 := $(CC)
GCC_i386 := $(CC) -m32 -I$(BUILD)/inc32
GCC_arm64 := aarch64-linux-gnu-gcc
GCC_armhf := arm-linux-gnueabihf-gcc
GCC := $(GCC_$(UARCH))
GOUT := $(BUILD)/guest-$(UARCH)
TEST_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE \
	-D_FILE_OFFSET_BITS=64 -I$(TOP)/include/uapi -isystem $(BUILD)/ksrc \
	-I$(TOP)/selftests
HARNESS_TESTS := physwin_test spec_test batch_test escape_test revoke_test \
	lib_vm_test
PLAIN_TESTS := pwio confine stress initfail bench
GUEST_PROGS := $(addprefix $(GOUT)/,$(HARNESS_TESTS) $(PLAIN_TESTS) physwin)
HOST_PROGS := $(BUILD)/host/ivshmem_check

.PHONY: all module tests user user-check install install-module dkms-install deb check check-debug demo bench static-check \
	clean deps fuzz fuzz-build user-sanitize

all: module user tests

deps:
	@$(TOP)/scripts/deps.sh

module:
	@test -n "$(KREL)" || { echo "no kernel tree at KDIR='$(KDIR)': make KDIR=/path/to/kernel/build, or run scripts/deps.sh" >&2; exit 1; }
	@mkdir -p $(KOUT)/module $(KOUT)/include
	@for f in $(MODULE_SRCS); do ln -sfn $(TOP)/$$f $(KOUT)/$$f; done
	@ln -sfn $(TOP)/include/uapi $(KOUT)/include/uapi
	$(MAKE) -C $(KDIR) M=$(KOUT) $(KCROSS) $(KBUILD_ARGS) modules
	@echo "module: $(KOUT)/physwin.ko"

tests: $(GUEST_PROGS) $(HOST_PROGS)

$(BUILD)/ksrc/kselftest_harness.h:
	@$(TOP)/scripts/ksrc.sh $(BUILD)/ksrc

$(BUILD)/inc32/asm:
	@mkdir -p $(dir $@)
	ln -sfn /usr/include/x86_64-linux-gnu/asm $@

GUEST_DEPS := selftests/ivshmem_plan.h selftests/test_env.h \
	include/uapi/linux/physwin.h $(BUILD)/ksrc/kselftest_harness.h \
	$(if $(filter i386,$(UARCH)),$(BUILD)/inc32/asm)

# kselftest-harness tests, and the plain test programs
$(addprefix $(GOUT)/,$(HARNESS_TESTS)): $(GOUT)/%: selftests/%.c $(GUEST_DEPS) \
		$(GOUT)/libphyswin.a
	@mkdir -p $(dir $@)
	$(GCC) $(TEST_CFLAGS) -I$(TOP)/user -Wno-unused-parameter -static -pthread \
		-o $@ $< $(GOUT)/libphyswin.a -lpthread

$(addprefix $(GOUT)/,$(PLAIN_TESTS)): $(GOUT)/%: selftests/%.c $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	$(GCC) $(TEST_CFLAGS) -static -pthread -o $@ $< -lpthread

$(BUILD)/host/ivshmem_check: selftests/ivshmem_check.c selftests/ivshmem_plan.h
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $<

# ---- libphyswin and the physwin CLI ----

VERSION := 0.1.0
SOMAJOR := 1
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
# udev reads rules from /etc/udev/rules.d and /lib/udev/rules.d only:
# packages put theirs in the latter, a local install in the former
UDEVRULESDIR ?= /etc/udev/rules.d
UOUT := $(BUILD)/user

# The library and the CLI honour the usual CFLAGS, CPPFLAGS and LDFLAGS
# (a distribution's hardening flags, say).  Warnings are errors only in the
# project's own checks (WERROR=1, as make check builds): a newer compiler
# must not break somebody else's build.
CFLAGS ?= -O2 -g
WERROR ?= 0
USER_COMMON := -Wall -Wextra -std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 \
	-I$(TOP)/include/uapi -I$(TOP)/user -DPHYSWIN_VERSION='"$(VERSION)"'
USER_CFLAGS := $(USER_COMMON) $(if $(filter 1,$(WERROR)),-Werror) $(CPPFLAGS) \
	$(CFLAGS) $(EXTRA_CFLAGS)
LIB_SO := $(UOUT)/libphyswin.so.$(VERSION)
USER_TARGETS := $(LIB_SO) $(UOUT)/libphyswin.a $(UOUT)/physwin \
	$(UOUT)/lib_test $(UOUT)/inst/physwin

user: $(USER_TARGETS)

$(UOUT)/%.pic.o: user/%.c user/physwin.h include/uapi/linux/physwin.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(UOUT)/%.o: user/%.c user/physwin.h user/parse.h include/uapi/linux/physwin.h
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -fvisibility=hidden -c -o $@ $<

$(LIB_SO): $(UOUT)/libphyswin.pic.o user/libphyswin.map
	$(CC) $(USER_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libphyswin.so.$(SOMAJOR) \
		-Wl,--version-script=user/libphyswin.map -o $@ $<
	ln -sfn $(notdir $@) $(UOUT)/libphyswin.so.$(SOMAJOR)
	ln -sfn libphyswin.so.$(SOMAJOR) $(UOUT)/libphyswin.so

$(UOUT)/libphyswin.a: $(UOUT)/libphyswin.o
	$(AR) rcs $@ $^

# The CLI in the build tree finds the library next to it ($ORIGIN), so
# build/user/physwin runs as it is; the copy "make install" installs is
# linked without that run path and finds the installed library.
CLI_OBJS := $(UOUT)/tool.o $(UOUT)/parse.o
$(UOUT)/physwin: $(CLI_OBJS) $(LIB_SO)
	$(CC) $(USER_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) -L$(UOUT) -lphyswin \
		-Wl,-rpath,'$$ORIGIN'

$(UOUT)/inst/physwin: $(CLI_OBJS) $(LIB_SO)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) -L$(UOUT) -lphyswin

$(UOUT)/lib_test: user/tests/lib_test.c $(LIB_SO)
	$(CC) $(USER_CFLAGS) $(LDFLAGS) -o $@ $< -L$(UOUT) -lphyswin

# The guest's library and CLI: the same sources, for UARCH, static.
$(GOUT)/obj/%.o: user/%.c user/physwin.h user/parse.h include/uapi/linux/physwin.h \
		$(if $(filter i386,$(UARCH)),$(BUILD)/inc32/asm)
	@mkdir -p $(dir $@)
	$(GCC) $(USER_COMMON) -O2 -g -Werror -fvisibility=hidden -c -o $@ $<

$(GOUT)/libphyswin.a: $(GOUT)/obj/libphyswin.o
	$(AR) rcs $@ $^

$(GOUT)/physwin: $(GOUT)/obj/tool.o $(GOUT)/obj/parse.o $(GOUT)/libphyswin.a
	$(GCC) -static -o $@ $^

# Host tests of the library and the CLI, under valgrind: TAP on stdout.
user-check: user
	@LD_LIBRARY_PATH=$(UOUT) $(TOP)/scripts/user-check.sh $(UOUT)

# The same tests on an ASan+UBSan build in its own directory.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
user-sanitize:
	@$(MAKE) -s user UOUT=$(BUILD)/user-san EXTRA_CFLAGS="$(SAN_FLAGS)"
	@LD_LIBRARY_PATH=$(BUILD)/user-san $(TOP)/scripts/user-check.sh \
		--sanitize $(BUILD)/user-san

# make install: the library, its header and pkg-config file, the CLI and
# its man page, and the udev rule that gives the per-window nodes to group
# "physwin" (created here if missing, as the Debian packages do).  The
# kernel module is "make install-module" (or DKMS: dkms.conf).
install: user
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(UOUT)/libphyswin.a $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sfn $(notdir $(LIB_SO)) $(DESTDIR)$(LIBDIR)/libphyswin.so.$(SOMAJOR)
	ln -sfn libphyswin.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libphyswin.so
	install -m 0644 user/physwin.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|; s|@VERSION@|$(VERSION)|' \
	    user/libphyswin.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libphyswin.pc
	install -m 0755 $(UOUT)/inst/physwin $(DESTDIR)$(BINDIR)/
	install -m 0644 user/physwin.1 $(DESTDIR)$(MANDIR)/man1/
	@# the udev rule is the system's: root or a staging DESTDIR only, so
	@# that a user's own PREFIX=$$HOME/.local install works
	@if [ -n "$(DESTDIR)" ] || [ "$$(id -u)" = 0 ]; then \
		install -d $(DESTDIR)$(UDEVRULESDIR) && \
		install -m 0644 udev/60-physwin.rules $(DESTDIR)$(UDEVRULESDIR)/; \
	else \
		echo "install: not root: skipped the udev rule (udev/60-physwin.rules)"; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
		ldconfig; \
		getent group physwin >/dev/null || groupadd --system physwin; \
		udevadm control --reload 2>/dev/null || true; \
	fi

# The module for KDIR's kernel, where modprobe finds it (updates/), then
# depmod for that kernel's release (kbuild skips it without a System.map,
# as with Debian's headers).  Then: modprobe physwin window=...; or options
# in /etc/modprobe.d/physwin.conf (example: conf/physwin.conf).
KUTS = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
install-module: module
	$(MAKE) -C $(KDIR) M=$(KOUT) INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) $(KCROSS) modules_install
	$(if $(DESTDIR),,depmod -a $(KUTS))

# ---- fuzzing (libFuzzer, clang) ----

FUZZ_SECONDS ?= 300
FUZZ_CC ?= clang
FUZZ_CFLAGS := -g -O1 -Wall -Wextra -Werror -std=gnu11 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS := $(BUILD)/fuzz/spec_fuzz $(BUILD)/fuzz/parse_fuzz

fuzz-build: $(FUZZ_TARGETS)

$(BUILD)/fuzz/spec_fuzz: fuzz/spec_fuzz.c module/spec.c module/spec.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(TOP)/module -o $@ fuzz/spec_fuzz.c module/spec.c

$(BUILD)/fuzz/parse_fuzz: fuzz/parse_fuzz.c user/parse.c user/parse.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I$(TOP)/user -o $@ fuzz/parse_fuzz.c user/parse.c

fuzz:
	@$(TOP)/scripts/fuzz.sh $(FUZZ_SECONDS)

static-check: deps
	@for a in arm64 armhf; do $(TOP)/scripts/foreign.sh $$a >/dev/null || exit 1; done
	@$(TOP)/scripts/static-check.sh

check:
	@$(TOP)/scripts/check.sh

check-debug:
	@$(TOP)/scripts/check-debug.sh

demo:
	@$(TOP)/scripts/demo.sh

bench:
	@$(TOP)/scripts/bench.sh $(BENCH_KERNELS)

# The module's source where DKMS looks for it, then DKMS builds and
# installs it for the running kernel, or KVER (a release), and rebuilds
# it on kernel updates.  A second run replaces what the first installed.
# With DESTDIR, only the source is staged.
DKMS_SRC := $(DESTDIR)/usr/src/physwin-$(VERSION)
dkms-install:
	$(if $(DESTDIR),,dkms remove physwin/$(VERSION) --all >/dev/null 2>&1 || true)
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/module $(DKMS_SRC)/include/uapi/linux
	install -m 0644 Kbuild dkms.conf $(DKMS_SRC)/
	install -m 0644 module/*.c module/*.h $(DKMS_SRC)/module/
	install -m 0644 include/uapi/linux/physwin.h $(DKMS_SRC)/include/uapi/linux/
	$(if $(DESTDIR),,dkms add physwin/$(VERSION))
	$(if $(DESTDIR),,dkms install physwin/$(VERSION) $(if $(KVER),-k $(KVER)))

deb: deps
	@$(TOP)/scripts/deb.sh $(BUILD)/deb

clean:
	rm -rf $(BUILD)
