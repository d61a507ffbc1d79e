# Top-level build for the UML reimplementation.
#
# Plain GNU make: every .c file under a source directory is built, so adding
# a file needs no edit here. Kernel code (arch, kernel, mm, fs, drivers, lib)
# is compiled with -nostdinc and sees only our headers, the compiler's own
# freestanding headers and the Linux UAPI headers (the guest ABI); host calls
# live in os/ and platform/systrap/, which see libc.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= gcc
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

GCCINC   := $(shell $(CC) -print-file-name=include)
UAPI     := $(BUILD)/uapi
WARN     := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
            -Wno-missing-field-initializers -Wshadow=local -Wvla
OPT      ?= -O2 -g
SAN      ?=
COMMON   := -std=gnu17 $(OPT) $(WARN) -fno-strict-aliasing -MMD -MP $(SAN)
KCFLAGS  := $(COMMON) -nostdinc -isystem $(GCCINC) -I$(UAPI) -Iinclude -I$(BUILD)/gen \
            -ffreestanding -fbuiltin -D__KERNEL_SIDE__ -fno-common
HCFLAGS  := $(COMMON) -Iinclude -D_GNU_SOURCE -pthread
STUBCFLAGS := -std=gnu17 -Os -g $(WARN) -nostdinc -isystem $(GCCINC) \
            -I$(UAPI) -Iinclude -ffreestanding -fno-stack-protector \
            -fpie -fvisibility=hidden -mgeneral-regs-only -fcf-protection=none \
            -fno-asynchronous-unwind-tables -fno-builtin -mno-red-zone -MMD -MP

# As in UML, a driver's host half lives beside its kernel half in a file
# named *_user.c: it is compiled as host code (libc, os.h), the rest of the
# directory as kernel code.
# Host libraries the kernel links (host halves use them): zlib for the
# initrd, libext2fs (Debian's e2fsprogs) for ext2/3/4 in fs/ext4/.
KLIBS    := -lz -lext2fs -lcom_err

KDIRS    := arch init kernel mm fs drivers block ipc net lib
HDIRS    := os platform/systrap
KALL     := $(shell find $(KDIRS) -name '*.c' 2>/dev/null | sort)
# Libraries shared with the tools (one implementation of each format);
# they see no libc, so the kernel builds them too: the COW format and the
# mconsole wire format.
KSRC     := $(filter-out %_user.c,$(KALL)) tools/lib/cow.c tools/lib/mconsole.c
HSRC     := $(shell find $(HDIRS) -name '*.c' 2>/dev/null | sort) \
            $(filter %_user.c,$(KALL))
KSRCS    := $(shell find $(KDIRS) -name '*.S' 2>/dev/null | sort)
STUBSRC  := $(wildcard platform/stub/*.c) $(wildcard platform/stub/*.S)

KOBJ     := $(patsubst %.c,$(BUILD)/obj/%.o,$(KSRC)) \
            $(patsubst %.S,$(BUILD)/obj/%.o,$(KSRCS))
HOBJ     := $(patsubst %.c,$(BUILD)/obj/%.o,$(HSRC))
STUBOBJ  := $(patsubst %,$(BUILD)/stubobj/%.o,$(STUBSRC))

# tools/lib/ holds code shared by the tools, not a tool.
TOOLS    := $(filter-out lib,$(notdir $(wildcard tools/*)))
TOOLBINS := $(addprefix $(BUILD)/,$(TOOLS))

all: $(BUILD)/linux $(TOOLBINS)

# The Linux UAPI headers (Debian's linux-libc-dev) are the guest ABI. They are
# exposed to kernel code through a private directory so that the rest of
# /usr/include (libc) stays out of reach.
$(UAPI)/.stamp:
	$(Q)mkdir -p $(UAPI)
	$(Q)ln -sfn /usr/include/linux $(UAPI)/linux
	$(Q)ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	$(Q)ln -sfn /usr/include/$(shell $(CC) -print-multiarch)/asm $(UAPI)/asm
	$(Q)mkdir -p $(BUILD)/gen
	$(Q)scripts/gen-syscall-list.sh $(UAPI)/asm/unistd_64.h > $(BUILD)/gen/syscall_list.h
	$(Q)touch $@

$(BUILD)/obj/os/%.o: os/%.c $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC(host) $<"
	$(Q)$(CC) $(HCFLAGS) -c $< -o $@

$(BUILD)/obj/platform/systrap/%.o: platform/systrap/%.c $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC(host) $<"
	$(Q)$(CC) $(HCFLAGS) -c $< -o $@

$(BUILD)/obj/%_user.o: %_user.c $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC(host) $<"
	$(Q)$(CC) $(HCFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC       $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.S $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  AS       $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

# The stub: a tiny freestanding static executable linked at a fixed address
# above the guest's address space. It is embedded in the kernel binary and is
# the first program of every guest host process.
$(BUILD)/stubobj/%.c.o: %.c $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  CC(stub) $<"
	$(Q)$(CC) $(STUBCFLAGS) -c $< -o $@

$(BUILD)/stubobj/%.S.o: %.S $(UAPI)/.stamp
	@mkdir -p $(dir $@)
	@echo "  AS(stub) $<"
	$(Q)$(CC) $(STUBCFLAGS) -c $< -o $@

$(BUILD)/stub.elf: $(STUBOBJ) platform/stub/stub.lds
	@echo "  LD       $@"
	$(Q)$(CC) -nostdlib -static -no-pie -Wl,-T,platform/stub/stub.lds \
		-Wl,--build-id=none -o $@ $(STUBOBJ)

$(BUILD)/obj/stub_blob.o: $(BUILD)/stub.elf platform/systrap/stub_blob.S.in
	@mkdir -p $(dir $@)
	$(Q)sed 's|@STUB@|$(abspath $(BUILD)/stub.elf)|' platform/systrap/stub_blob.S.in > $(BUILD)/obj/stub_blob.S
	$(Q)$(CC) -c $(BUILD)/obj/stub_blob.S -o $@

$(BUILD)/linux: $(KOBJ) $(HOBJ) $(BUILD)/obj/stub_blob.o
	@echo "  LD       $@"
	$(Q)$(CC) $(SAN) -pthread -o $@ $^ $(KLIBS)

# Host tools: each tools/<name>/ directory is one program.
# uml_mconsole edits lines with libedit (BSD) or else GNU readline, whichever
# is installed; without either it still works, without line editing.
ifneq ($(wildcard /usr/include/editline/readline.h),)
TOOL_LIBS_uml_mconsole := -DHAVE_LIBEDIT -ledit
else ifneq ($(wildcard /usr/include/readline/readline.h),)
TOOL_LIBS_uml_mconsole := -DHAVE_READLINE -lreadline
endif
# A tool that is a shell script (tools/<name>/<name>.sh) is installed as is.
define TOOL_RULE
ifneq ($(wildcard tools/$(1)/$(1).sh),)
$(BUILD)/$(1): tools/$(1)/$(1).sh
	@echo "  TOOL     $$@"
	$(Q)install -m 755 $$< $$@
else
$(BUILD)/$(1): $(wildcard tools/$(1)/*.c) $(wildcard tools/$(1)/*.h) $(wildcard tools/lib/*.c) $(wildcard tools/lib/*.h)
	@echo "  TOOL     $$@"
	$(Q)$(CC) $(HCFLAGS) -Itools/lib -o $$@ $(wildcard tools/$(1)/*.c) $(wildcard tools/lib/*.c) $$(TOOL_LIBS_$(1))
endif
endef
$(foreach t,$(TOOLS),$(eval $(call TOOL_RULE,$(t))))

deps:
	$(Q)scripts/deps.sh

# The default image is an ext4 disk (build/rootfs.img); the same tree as
# an initramfs (build/initramfs.cpio.gz) is built too, for initrd= boots.
image:
	$(Q)scripts/mkinitramfs.sh $(BUILD)
	$(Q)scripts/mkrootfs.sh $(BUILD)

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory image
	$(BUILD)/linux mem=64M ubd0=$(BUILD)/rootfs.img root=/dev/ubda

# A kernel that does not build is reported as a failed test (and every boot
# test fails with it) rather than stopping the suite before it starts.
check: deps
	$(Q)if $(MAKE) --no-print-directory all; then \
		tests/run.sh $(BUILD); \
	else \
		BUILD_FAILED=1 tests/run.sh $(BUILD); \
	fi

bench: deps all
	$(Q)bench/run.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/linux $(TOOLBINS) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf $(BUILD)

.PHONY: all deps image run check bench install clean
-include $(KOBJ:.o=.d) $(HOBJ:.o=.d) $(STUBOBJ:.o=.d)

# docs/syscalls.md: each system call number and its state, from the source.
syscalls-doc: $(BUILD)/linux
	$(Q)scripts/syscall-report.sh $(UAPI)/asm/unistd_64.h $(BUILD)/linux > docs/syscalls.md
	@echo "  GEN      docs/syscalls.md"
.PHONY: syscalls-doc
