# fuzz.mk: libFuzzer targets, one per parser: ref-impl/fuzz/<name>_fuzz.c (docs/robustness.md).
#
# Adding a target is adding the file <name>_fuzz.c (it defines LLVMFuzzerTestOneInput); seeds
# come from the generator (a row in ref-impl/fuzz/seedgen.c), from hand-made files under
# ref-impl/fuzz/seeds/<name>/, and every crash kept as a regression under
# ref-impl/fuzz/regressions/<name>/ (replayed by fuzz-smoke).
#
#   make fuzz          every target for FUZZ_SECONDS (default 300) each, corpus kept in build/fuzz/live/
#   make fuzz-smoke    every target for FUZZ_SMOKE_SECONDS (default 2) over all seeds and regressions
#   make fuzz-corpus   (re)generate the seed corpora in build/fuzz/corpus/<name>/
#
# The binaries are built in the fuzz profile (clang, -fsanitize=fuzzer,address,undefined) under
# build/fuzz/bin/; the run targets work from any profile.
.PHONY: fuzz fuzz-smoke fuzz-corpus fuzz-bins

FUZZ_SRC = $(sort $(wildcard ref-impl/fuzz/*_fuzz.c))
FUZZ_TARGETS = $(patsubst ref-impl/fuzz/%_fuzz.c,%,$(FUZZ_SRC))
FUZZ_BINS = $(FUZZ_TARGETS:%=build/fuzz/bin/%_fuzz)
FUZZ_SEEDGEN = build/fuzz/bin/stirmls-seedgen
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 2

ifeq ($(PROFILE),fuzz)
$(O)/bin/%_fuzz: $(O)/ref-impl/fuzz/%_fuzz.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -fsanitize=fuzzer -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)

# Targets outside the library link the objects they fuzz (everything but the program's main):
# the scenario loader (vectorgen) and the harness modules (expectations, response lines).
FUZZ_VG_OBJ = $(filter-out %/main.o,$(VG_OBJ))
FUZZ_HX_OBJ = $(filter-out %/main.o,$(patsubst %.c,$(O)/%.o,$(wildcard harness/src/*.c))) $(O)/ref-impl/cli/netsvc.o
$(O)/bin/scenario_fuzz: $(FUZZ_VG_OBJ)
$(O)/bin/expectations_fuzz $(O)/bin/response_fuzz $(O)/bin/hxjson_fuzz: $(FUZZ_HX_OBJ)
$(O)/ref-impl/fuzz/scenario_fuzz.o: CFLAGS_ALL += -Iref-impl/vectorgen
$(O)/ref-impl/fuzz/expectations_fuzz.o $(O)/ref-impl/fuzz/response_fuzz.o $(O)/ref-impl/fuzz/hxjson_fuzz.o: CFLAGS_ALL += -Iharness/src

# the fuzz targets may include CLI sources (serve framing): cli.h needs the generated verb list
$(O)/ref-impl/fuzz/%.o: CFLAGS_ALL += -Iref-impl/cli -Iref-impl/fuzz
$(FUZZ_SRC:%.c=$(O)/%.o): $(O)/gen/cmds.h

$(FUZZ_SEEDGEN): $(O)/ref-impl/fuzz/seedgen.o $(O)/ref-impl/fuzz/seedgen_files.o $(O)/ref-impl/fuzz/seedgen_group.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIB) $(PKG_LIBS)

fuzz-bins: $(FUZZ_BINS) $(FUZZ_SEEDGEN)
else
fuzz-bins:
	@$(MAKE) --no-print-directory PROFILE=fuzz fuzz-bins
endif

# Seeds: generated (not committed) from ref-impl/tests/data/mlswg (the MLS working group's vectors), vectors/, scenarios/, harness/ and
# the library's own builders.
fuzz-corpus: fuzz-bins
	@rm -rf build/fuzz/corpus.new
	STIRMLS_ROOT=$(CURDIR) $(FUZZ_SEEDGEN) build/fuzz/corpus.new $(FUZZ_TARGETS)
	@rm -rf build/fuzz/corpus && mv build/fuzz/corpus.new build/fuzz/corpus

fuzz-smoke: fuzz-corpus
	@sh ref-impl/fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz: fuzz-corpus
	@sh ref-impl/fuzz/run.sh long $(FUZZ_SECONDS) $(FUZZ_TARGETS)
