# stirmls: one top-level Makefile. Read top to bottom, it is the architecture:
#   ref-impl (base -> codec -> crypto -> stir -> mls, then the CLI)  ->  harness  ->  reports.
#
#   make              build/libstirmls.a and build/stirmls (release profile)
#   make check        install missing Debian packages (as root), build, run every test in the
#                     release profile and again under AddressSanitizer+UBSan (debug profile)
#   make conformance  build, run the suite against the reference implementation, write reports/latest/
#   make coverage     each requirement with its positive and negative scenarios
#   make deps         check (and as root install) the Debian packages
#
# Profiles: PROFILE=release (default, output in build/), PROFILE=debug (-fsanitize=address,undefined,
# output in build/debug/), PROFILE=fuzz (clang, libFuzzer + ASan + UBSan, output in build/fuzz/;
# make fuzz / fuzz-smoke / fuzz-corpus, see docs/robustness.md). Everything generated goes under build/ (git-ignored).

PROFILE ?= release
ifeq ($(PROFILE),debug)
O ?= build/debug
PROFILE_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
PROFILE_LDFLAGS = -fsanitize=address,undefined
else ifeq ($(PROFILE),fuzz)
# libFuzzer targets (ref-impl/fuzz/fuzz.mk): the library instrumented for coverage, under ASan+UBSan.
# -Wno-format-nonliteral: clang's -Wformat=2 also flags the va_list helper of base/detail.c.
O ?= build/fuzz
CC = clang
PROFILE_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
                 -fno-sanitize-recover=undefined -Wno-format-nonliteral
PROFILE_LDFLAGS = -fsanitize=address,undefined
else
O ?= build
PROFILE_CFLAGS = -O2 -g
PROFILE_LDFLAGS =
endif

CC ?= cc
PKGS = openssl jansson yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

# Strict warnings. Left out: -Wcast-qual (OpenSSL and jansson APIs take non-const pointers to
# data we only read) and -pedantic (we use GCC's format/warn_unused_result attributes).
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2 \
       -Wpointer-arith -Wundef -Wnull-dereference
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread $(WARN) $(PROFILE_CFLAGS) \
             -Iref-impl/include -I$(O)/gen $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = -pthread $(PROFILE_LDFLAGS) $(LDFLAGS)

.DEFAULT_GOAL := all
.PHONY: all deps check conformance clean unit-tests check-docs coverage

include ref-impl/ref-impl.mk
include ref-impl/fuzz/fuzz.mk
-include harness/harness.mk

all: $(LIB) $(CLI)

deps:
	@sh mk/deps.sh

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The tests, in both profiles, then the documentation generated from code.
check: deps
	$(MAKE) all unit-tests
	$(MAKE) PROFILE=debug unit-tests
	$(MAKE) check-docs
	$(MAKE) fuzz-smoke
	$(MAKE) -s --no-print-directory coverage > $(O)/coverage.txt || { cat $(O)/coverage.txt; exit 1; }
	@tail -1 $(O)/coverage.txt
	@echo "make check: all passed"

# Requirement coverage of the scenarios (docs/requirements.md).
coverage: $(VECTORGEN)
	$(VECTORGEN) --coverage

conformance: deps all
	@sh mk/conformance.sh

clean:
	rm -rf build

-include $(shell find $(O) -name '*.d' 2>/dev/null)
