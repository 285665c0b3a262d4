# stirmls: one top-level Makefile. Read top to bottom, it is the architecture:
#   ref-impl (base -> codec -> crypto -> stir -> mls, then the CLI)  ->  harness  ->  reports.
#
#   make              build/libstirmls.a and build/stirmls (release profile)
#   make check        install missing Debian packages (as root), build, run every test in the
#                     release profile and again under AddressSanitizer+UBSan (debug profile)
#   make conformance  build, run the suite against the reference implementation, write reports/latest/
#   make vectors      compile scenarios/ into vectors/ (commit the result)
#   make coverage     each requirement with its positive and negative scenarios
#   make interop      the suite against the reference and the peer adapters, reports/interop/
#   make mutants      the suite against 30 faulty builds of the reference, reports/mutants/summary.md
#   make mutants-auto the suite against generated mutants of the reference, reports/mutants/auto.md
#   make bench        rates against the ECDSA limit, the harness, the peers, memory (docs/performance.md)
#   make check-net    the load and fault test of serve --listen and bridge (harness/tests/netload.py)
#   make valgrind     memcheck over a sample of CLI runs and a harness run against stirmls serve
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

.PHONY: all deps pkgs-present check conformance interop peer-tests check-suite clean unit-tests check-docs check-selfcontained coverage vectors check-vectors mutants mutants-auto mutants-auto-selftest print-cflags bench valgrind

include ref-impl/ref-impl.mk
include ref-impl/fuzz/fuzz.mk
-include harness/harness.mk
include mk/install.mk

all: $(LIB) $(CLI)

deps:
	@sh mk/deps.sh

pkgs-present:
	@test -n "$(PKG_LIBS)" || { echo "stirmls: pkg-config cannot find $(PKGS): run 'make deps' (as root it installs them), or any of make check / conformance / interop / bench, which run it first" >&2; exit 1; }

# Without the packages the link lines would carry no libraries: say so before compiling anything.
$(O)/%.o: %.c | pkgs-present
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

# The tests, in both profiles, then the documentation generated from code.
check: deps
	$(MAKE) all unit-tests
	$(MAKE) PROFILE=debug unit-tests
	$(MAKE) check-docs
	$(MAKE) --no-print-directory mutants-auto-selftest
	$(MAKE) --no-print-directory check-selfcontained
	$(MAKE) --no-print-directory check-vectors
	$(MAKE) --no-print-directory PROFILE=debug check-vectors
	$(MAKE) --no-print-directory peer-tests
	$(MAKE) --no-print-directory check-suite
	$(MAKE) --no-print-directory check-net
	$(MAKE) --no-print-directory PROFILE=debug check-net
	$(MAKE) --no-print-directory valgrind
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory check-install
	$(MAKE) -s --no-print-directory coverage > $(O)/coverage.txt || { cat $(O)/coverage.txt; exit 1; }
	@tail -1 $(O)/coverage.txt
	@echo "make check: all passed"

# The repository stands on its own (mk/check-selfcontained.sh): no tracked file mentions the
# sibling reading folder, and every requirement ID cited anywhere is defined in docs/requirements.md.
# The check's own test (injected faults, look-alikes such as SHA-256) runs first.
check-selfcontained:
	@sh mk/check-selfcontained-test.sh
	@sh mk/check-selfcontained.sh

# Vectors: scenarios/ compiled by the reference into vectors/ (committed; docs/vectors.md).
vectors: $(VECTORGEN)
	$(VECTORGEN) --out vectors

# vectors/ must be what the scenarios compile to now, and compiling twice must give the same bytes.
check-vectors: $(VECTORGEN)
	@rm -rf $(O)/vectors-a $(O)/vectors-b && mkdir -p $(O)/vectors-a $(O)/vectors-b
	@$(VECTORGEN) --out $(O)/vectors-a >/dev/null && $(VECTORGEN) --out $(O)/vectors-b >/dev/null
	@diff -r $(O)/vectors-a $(O)/vectors-b >/dev/null || { echo "vectors: two runs differ (non-deterministic build)"; exit 1; }
	@diff -r -x schema -x README.md vectors $(O)/vectors-a >/dev/null || { \
	  echo "vectors/ is stale: run 'make vectors' and commit the result"; \
	  diff -r -x schema -x README.md vectors $(O)/vectors-a | head -20; exit 1; }
	@echo "vectors: $$(ls vectors/*.json | wc -l) families, byte-stable and up to date"

# The whole suite against the reference implementation, through the protocol, in both profiles:
# every case must give its expected result, with the expected reason and outcome
# (--strict-reasons --strict-outcome: the same run as make conformance, into build/).
check-suite: all
	@$(O)/stirmls-harness run --impl "stirmls=$(O)/stirmls serve" \
	  --expectations stirmls=harness/expectations/stirmls.yaml --strict-reasons --strict-outcome --out $(O)/suite-release > $(O)/suite.txt 2>&1; \
	  st=$$?; head -1 $(O)/suite.txt; exit $$st
	@$(MAKE) --no-print-directory PROFILE=debug all >/dev/null
	@build/debug/stirmls-harness run --impl "stirmls=build/debug/stirmls serve" \
	  --expectations stirmls=harness/expectations/stirmls.yaml --strict-reasons --strict-outcome --out build/debug/suite-asan > build/debug/suite.txt 2>&1; \
	  st=$$?; head -1 build/debug/suite.txt; exit $$st

# The peer adapters' own tests (each starts its adapter once; skipped with a message when the
# peer's packages or node_modules are missing).
peer-tests:
	@sh harness/adapters/run-peer-tests.sh
	@if why=$$(sh mk/node-peer.sh); then \
	  (cd harness/adapters/node && node --test test/) > $(O)/node-peer-tests.txt 2>&1; st=$$?; \
	  tail -8 $(O)/node-peer-tests.txt; exit $$st; \
	else echo "SKIP: node peer tests: $$why"; fi

# Requirement coverage of the scenarios (docs/requirements.md).
coverage: $(VECTORGEN)
	$(VECTORGEN) --coverage

# Every target that may be a fresh machine's first command runs deps first and then builds in a
# new make, which computes the pkg-config flags above only once the packages are there (a first
# run must never depend on a second one).
conformance: deps
	@$(MAKE) --no-print-directory all
	@sh mk/conformance.sh

# The suite against the reference and every independent implementation available here;
# writes reports/interop/ (committed).
interop: deps
	@$(MAKE) --no-print-directory all
	@sh mk/interop.sh

# Mutation testing (harness/mutants/, docs/robustness.md): every mutant must be killed.
mutants: deps
	@$(MAKE) --no-print-directory all
	@sh harness/mutants/run.sh

# Generated mutants (harness/mutants/gen.py, auto.py; docs/robustness.md): a deterministic sample of
# mechanical faults, each built and run against the whole suite with --strict-reasons; resumable.
# Not in make check (tens of minutes). MUTANTS_AUTO_ARGS: e.g. "--only stir/tn.c", "--all", "--fresh".
mutants-auto: deps
	@$(MAKE) --no-print-directory all
	@nice -n 10 /usr/bin/python3 harness/mutants/auto.py run $(MUTANTS_AUTO_ARGS)

# The generator's own test (in make check): same ids twice, each operator's textual change.
mutants-auto-selftest:
	@/usr/bin/python3 harness/mutants/auto.py selftest

# The compiler flags of this profile (auto.py compiles each mutated file with them).
print-cflags:
	@echo $(CFLAGS_ALL)

# Benchmarks (release profile; a measurement, never a test): docs/performance.md.
bench: deps
	@$(MAKE) --no-print-directory PROFILE=release all >/dev/null
	@sh ref-impl/bench/run.sh

# Valgrind memcheck (release build): no error and no definite or indirect leak (docs/robustness.md).
valgrind: all
	@sh mk/valgrind.sh $(O)

# --one-file-system: never descend into a mount left under build/fresh by an interrupted fresh-test
clean:
	@awk '$$2 ~ "^$(CURDIR)/build/fresh/" {print $$2}' /proc/mounts | sort -r | xargs -r umount -l 2>/dev/null || true
	rm -rf --one-file-system build

# (build/fresh holds make fresh-test's Debian systems and build/deb the package's copy: not ours)
-include $(shell find $(O) \( -path build/fresh -o -path build/deb \) -prune -o -name '*.d' -print 2>/dev/null)
