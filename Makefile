# SPDX-License-Identifier: GPL-2.0
#
# physwin top-level Makefile.
#
#   make                 module (for KDIR) and the test programs
#   make module KDIR=…   the module for another kernel tree
#   make check           everything from a clean tree: static analysis,
#                        then the VM suite on Debian 6.1 and 6.12
#   make demo            boot a VM and show /dev/physwin at work
#   make static-check    checkpatch, sparse and W=1 on both kernels
#
# Objects never land in the source tree: each kernel gets its own
# build/kmod/<release>/ with links to the sources.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD := $(TOP)/build

# Default kernel tree: the running kernel's, else Debian's 6.1 headers.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(word 4,$(shell $(TOP)/scripts/kernels.sh 6.1 2>/dev/null)))
KREL = $(notdir $(realpath $(KDIR)))
KOUT = $(BUILD)/kmod/$(KREL)

MODULE_SRCS := Kbuild $(wildcard module/*.c module/*.h)

CC ?= cc
TEST_CFLAGS := -O2 -g -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE \
	-D_FILE_OFFSET_BITS=64 -I$(TOP)/include/uapi -isystem $(BUILD)/ksrc \
	-I$(TOP)/selftests
GUEST_PROGS := $(BUILD)/tests/physwin_test $(BUILD)/tests/pwio
HOST_PROGS := $(BUILD)/tests/ivshmem_check

.PHONY: all module tests check demo static-check clean deps

all: module tests

deps:
	@$(TOP)/scripts/deps.sh

module:
	@test -n "$(KREL)" || { echo "no kernel tree at KDIR='$(KDIR)': make KDIR=/path/to/kernel/build, or run scripts/deps.sh" >&2; exit 1; }
	@mkdir -p $(KOUT)/module $(KOUT)/include
	@for f in $(MODULE_SRCS); do ln -sfn $(TOP)/$$f $(KOUT)/$$f; done
	@ln -sfn $(TOP)/include/uapi $(KOUT)/include/uapi
	$(MAKE) -C $(KDIR) M=$(KOUT) $(KBUILD_ARGS) modules
	@echo "module: $(KOUT)/physwin.ko"

tests: $(GUEST_PROGS) $(HOST_PROGS)

$(BUILD)/ksrc/kselftest_harness.h:
	@$(TOP)/scripts/ksrc.sh $(BUILD)/ksrc

# Guest programs run in a busybox initramfs without a C library: static.
$(BUILD)/tests/physwin_test: selftests/physwin_test.c selftests/ivshmem_plan.h \
		include/uapi/linux/physwin.h $(BUILD)/ksrc/kselftest_harness.h
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Wno-unused-parameter -static -pthread -o $@ $< -lpthread

$(BUILD)/tests/pwio: selftests/pwio.c
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -static -o $@ $<

$(BUILD)/tests/ivshmem_check: selftests/ivshmem_check.c selftests/ivshmem_plan.h
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $<

static-check: deps
	@$(TOP)/scripts/static-check.sh

check:
	@$(TOP)/scripts/check.sh

demo:
	@$(TOP)/scripts/demo.sh

clean:
	rm -rf $(BUILD)
