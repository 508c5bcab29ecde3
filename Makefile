# iommu-bench: configs -> kmod -> bench -> results -> analysis
#
#   make run     install what is missing, build, run the default A/B
#   make check   install what is missing, build, run every test
#
# Build outputs go to build/, results to results/ (both git-ignored).

BUILD       := build
CC          ?= cc
PKGS        := libtracefs libtraceevent libtracecmd json-c
# a cross build (lab/arm64.sh) points PKG_CONFIG at the target's libraries
PKG_CONFIG  ?= pkg-config
CFLAGS      ?= -O2 -g
IB_CFLAGS   := $(CFLAGS) -std=gnu11 -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE \
               $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LDLIBS      := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm
# run and check build on every core (40 s on one here, 17 on two),
# unless make was given its own -j
NPROC       := $(shell nproc 2>/dev/null || echo 1)
JOBS         = $(if $(findstring -j,$(MAKEFLAGS)),,-j$(NPROC))
# make run: the default experiments, on the TCG clock (time), then on
# the icount clock (guest instructions, ICOUNT_ROUNDS boots per kernel);
# EXPERIMENT=FILES runs those alone (IB_CLOCK=icount: on the icount
# clock); EXPERIMENT_SM=FILES adds a run in boots of their own (VT-d in
# scalable mode: configs/experiments/scalable.conf); LAB=arm64 the
# default experiment on arm64 with an SMMUv3
ifeq ($(origin EXPERIMENT),undefined)
ifeq ($(LAB),arm64)
EXPERIMENT  := configs/experiments/smmuv3.conf
else ifeq ($(origin LAB),command line)
$(error LAB=$(LAB): the labs are the default (x86) and arm64)
else
EXPERIMENT  := configs/experiments/default.conf configs/experiments/owned.conf
ICOUNT      := 1
endif
endif
ICOUNT_ROUNDS ?= 3
# make install: PREFIX (the binary finds its data under it) and DESTDIR
PREFIX      ?= /usr/local
DATADIR     := $(PREFIX)/share/iommu-bench
MANDIR      := $(PREFIX)/share/man
DKMSDIR     ?= /usr/src
# host-ab's unit: where systemd looks for it under PREFIX
UNITDIR     ?= $(if $(filter /usr,$(PREFIX)),/lib,$(PREFIX)/lib)/systemd/system
VERSION     := $(shell sed -n 's/^\#define IB_VERSION "\(.*\)"/\1/p' bench/lib/version.h)
IB_CFLAGS   += -DIB_DATADIR=\"$(DATADIR)\"

# libiommubench (bench/lib/, analysis/): the collector, accounting and
# analysis core, which unit tests and fuzzers link alone.  Its objects see
# no command header: an #include of one fails to compile.  The commands
# (bench/*.c, bench/run/, bench/host_ab/) sit on top.
LIB_SRCS    := $(wildcard bench/lib/*.c bench/lib/*/*.c analysis/*.c)
LIB_OBJS    := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB         := $(BUILD)/libiommubench.a
LIB_INC     := -Ibench/lib -Ibench/lib/trace -Ibench/lib/probe -Ibench/lib/host \
               -Ianalysis -Ikmod/uapi
CMD_SRCS    := $(wildcard bench/*.c bench/run/*.c bench/host_ab/*.c)
CMD_OBJS    := $(CMD_SRCS:%.c=$(BUILD)/%.o)
CMD_INC     := -Ibench -Ibench/run -Ibench/host_ab
UNIT_SRCS   := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(UNIT_SRCS:%.c=$(BUILD)/%)
HDRS        := $(wildcard bench/*.h bench/*/*.h bench/lib/*/*.h analysis/*.h kmod/uapi/*.h \
               tests/unit/*.h)

all: $(LIB) $(BUILD)/iommu-bench $(BUILD)/tests/lab/ioctl_abi $(BUILD)/tests/lab/ioctl_abi32 \
	$(BUILD)/tests/lab/vfio_hold

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(IB_CFLAGS) $(LIB_INC) $(INC) -c -o $@ $<
$(CMD_OBJS) $(CMD_SRCS:%.c=$(BUILD)/san/%.o): INC := $(CMD_INC)

$(LIB): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^
lib: $(LIB)

# the objects that hold DATADIR are rebuilt when PREFIX changes
$(BUILD)/datadir: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(BUILD)/bench/lib/util.o $(BUILD)/bench/main.o: $(BUILD)/datadir
FORCE:

$(BUILD)/iommu-bench: $(CMD_OBJS) $(LIB)
	$(CC) $(IB_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(IB_CFLAGS) $(LIB_INC) -DSRCDIR=\"$(CURDIR)\" -o $@ $< $(LIB) $(LDLIBS)

# ABI edge tests run in the lab guest: static, the initramfs has no libc
$(BUILD)/tests/lab/ioctl_abi: tests/lab/ioctl_abi.c kmod/uapi/iommu_bench.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -Wall -Wextra -o $@ $<

# a group held through VFIO, as a user-space driver holds it (owned mode
# against the real thing)
$(BUILD)/tests/lab/vfio_hold: tests/lab/vfio_hold.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -static -Wall -Wextra -o $@ $<

# the same, 32-bit: the module's compat_ioctl (gcc-12-multilib).  Not
# gcc-multilib, which conflicts with the arm64 cross compiler for its
# /usr/include/asm link: the kernel's x86 asm headers, which serve both
# word sizes, are found the same way here.
$(BUILD)/tests/lab/ioctl_abi32: tests/lab/ioctl_abi.c kmod/uapi/iommu_bench.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -m32 -static -Wall -Wextra -idirafter /usr/include/x86_64-linux-gnu -o $@ $<

# The module for one kernel: make kmod [KVER=release] [KDIR=build tree]
# (built in a copy under build/kmod/KVER, so the source tree stays clean).
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
kmod:
	lab/build-kmod.sh $(KDIR) $(BUILD)/kmod/$(KVER)

deps:
	lab/deps.sh

# deps first, then a fresh make: pkg-config flags are read when make starts
run: deps
	$(MAKE) $(JOBS) all
	lab/run-experiment.sh $(EXPERIMENT)
	$(if $(ICOUNT),IB_CLOCK=icount IB_ROUNDS=$${IB_ROUNDS:-$(ICOUNT_ROUNDS)} lab/run-experiment.sh $(EXPERIMENT))
	$(if $(strip $(EXPERIMENT_SM)),lab/run-experiment.sh $(EXPERIMENT_SM))

unit: $(UNIT_BINS)
	prove --exec '' $(UNIT_BINS)

check: deps
	$(MAKE) $(JOBS) all $(UNIT_BINS) fuzz-build $(BUILD)/san/iommu-bench
	tests/run-all.sh

# Fuzz targets (libFuzzer, clang): tests/fuzz/fuzz_*.c against the library
# built with ASan and UBSan.  make check runs each briefly
# (tests/fuzz/fuzz.t); make fuzz FUZZ_SECONDS=N runs each for N seconds
# (FUZZ_TARGETS="fuzz_trace ..." only those).
FUZZ_CC     ?= clang-14
FUZZ_CFLAGS := -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -DSRCDIR=\"$(CURDIR)\" $(LIB_INC) \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_SRCS   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/fuzz/%.o)
FUZZ_SECONDS ?= 600

$(BUILD)/fuzz/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

fuzz-build: $(FUZZ_BINS)
# kept: pattern-rule objects are intermediate, and make deleted them
.SECONDARY: $(FUZZ_OBJS)

# The CLI built with ASan and UBSan: tests/cli/hostile.t runs every bad
# input through it, so a leak, overflow or undefined behaviour fails.
SAN_OBJS    := $(LIB_SRCS:%.c=$(BUILD)/san/%.o) $(CMD_SRCS:%.c=$(BUILD)/san/%.o)

$(BUILD)/san/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(INC) -c -o $@ $<

$(BUILD)/san/iommu-bench: $(SAN_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(LDLIBS)

fuzz: deps
	$(MAKE) fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" tests/fuzz/fuzz.t

clean:
	rm -rf $(BUILD)

# the hand-written man pages (Documentation/man/*.scd, scdoc): a page
# per command in section 1, a page per file format in section 5
MANSRC      := $(wildcard Documentation/man/*.scd)
MANPAGES    := $(MANSRC:Documentation/man/%.scd=$(BUILD)/man/%)
man: $(MANPAGES)
$(BUILD)/man/%: Documentation/man/%.scd
	@mkdir -p $(dir $@)
	scdoc < $< > $@.tmp && mv $@.tmp $@

# the collector, its probe packs, experiments and plot scripts, and man
# pages: make install [PREFIX=/usr/local] [DESTDIR=]
install: $(BUILD)/iommu-bench man
	install -D -m 0755 $(BUILD)/iommu-bench $(DESTDIR)$(PREFIX)/bin/iommu-bench
	install -d $(DESTDIR)$(DATADIR)/configs/probes $(DESTDIR)$(DATADIR)/configs/experiments \
		$(DESTDIR)$(DATADIR)/analysis $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 configs/probes/*.conf $(DESTDIR)$(DATADIR)/configs/probes/
	install -m 0644 configs/experiments/*.conf $(DESTDIR)$(DATADIR)/configs/experiments/
	install -m 0644 analysis/*.gp $(DESTDIR)$(DATADIR)/analysis/
	install -m 0644 $(filter %.1,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(filter %.5,$(MANPAGES)) $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|#BINDIR#|$(PREFIX)/bin|' bench/host_ab/iommu-bench-host-ab.service.in \
		> $(DESTDIR)$(UNITDIR)/iommu-bench-host-ab.service

# the module's source for DKMS, which builds it for every installed kernel
install-dkms:
	install -d $(DESTDIR)$(DKMSDIR)/iommu-bench-$(VERSION)/uapi
	install -m 0644 kmod/*.c kmod/*.h kmod/Kbuild kmod/Makefile \
		$(DESTDIR)$(DKMSDIR)/iommu-bench-$(VERSION)/
	install -m 0644 kmod/uapi/*.h $(DESTDIR)$(DKMSDIR)/iommu-bench-$(VERSION)/uapi/
	sed 's/#MODULE_VERSION#/$(VERSION)/' kmod/dkms.conf.in > $(DESTDIR)$(DKMSDIR)/iommu-bench-$(VERSION)/dkms.conf

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/iommu-bench \
		$(patsubst $(BUILD)/man/%,$(DESTDIR)$(MANDIR)/man1/%,$(filter %.1,$(MANPAGES))) \
		$(patsubst $(BUILD)/man/%,$(DESTDIR)$(MANDIR)/man5/%,$(filter %.5,$(MANPAGES))) \
		$(DESTDIR)$(UNITDIR)/iommu-bench-host-ab.service
	rm -rf $(DESTDIR)$(DATADIR)

# benchmarks, not tests: module and collector cost, probe effect, and
# the collector's parse of a >= 1M-event trace against trace-cmd report
bench: deps
	$(MAKE) all
	lab/bench.sh
	lab/bench-parse.sh

# the module's endurance on the debug kernel (hours under TCG; not a test
# of make check): IB_SOAK_CYCLES per mode, default 10000
soak: deps
	$(MAKE) all
	lab/soak.sh

# a disk-booted lab host (Debian 12 with systemd, the packages installed
# by apt) through host-ab's kexecs: tens of minutes under TCG, not a test
# of make check
check-host: deps
	$(MAKE) $(JOBS) all
	prove -v tests/host/*.t

bench-parse: deps
	$(MAKE) all
	lab/bench-parse.sh

.PHONY: all lib kmod deps run unit check check-host clean bench bench-parse fuzz fuzz-build soak \
	man install install-dkms uninstall FORCE
