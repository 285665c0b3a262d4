# ref-impl.mk: the reference library, its CLI and its unit tests.
#
# Sources are taken per layer, and the layers are listed in dependency order (each uses only
# those before it). Within a layer every .c file is a module; adding a module is adding a file.
LIB_LAYERS = base codec crypto stir mls
LIB_SRC = $(foreach l,$(LIB_LAYERS),$(sort $(wildcard ref-impl/src/$(l)/*.c)))
LIB_OBJ = $(LIB_SRC:%.c=$(O)/%.o)
LIB = $(O)/libstirmls.a

CLI_SRC = $(sort $(wildcard ref-impl/cli/*.c))
CLI_OBJ = $(CLI_SRC:%.c=$(O)/%.o)
CLI = $(O)/stirmls
# one dispatch entry per cli/cmd_<verb>.c
CLI_VERBS = $(patsubst ref-impl/cli/cmd_%.c,%,$(filter ref-impl/cli/cmd_%.c,$(CLI_SRC)))

# The scenario compiler: scenarios/*.yaml -> vectors/ through the reference library.
VG_SRC = $(sort $(wildcard ref-impl/vectorgen/*.c))
VG_OBJ = $(VG_SRC:%.c=$(O)/%.o)
VECTORGEN = $(O)/stirmls-vectorgen

$(VECTORGEN): $(VG_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(VG_OBJ) $(LIB) $(PKG_LIBS)

all: $(VECTORGEN)

TEST_SRC = $(sort $(wildcard ref-impl/tests/*_test.c))
TESTLIB_SRC = $(sort $(wildcard ref-impl/tests/testlib/*.c))
TEST_OBJ = $(TEST_SRC:%.c=$(O)/%.o) $(TESTLIB_SRC:%.c=$(O)/%.o) $(O)/ref-impl/tests/check_main.o
TEST_BIN = $(O)/stirmls-tests
# one check Suite per tests/<module>_test.c, named <module>_suite
TEST_SUITES = $(patsubst ref-impl/tests/%_test.c,%,$(TEST_SRC))

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(O)/gen/cmds.h: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(foreach v,$(CLI_VERBS),'CMD($(v))') > $@.new
	@cmp -s $@.new $@ || mv $@.new $@; rm -f $@.new

$(O)/gen/suites.h: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(foreach s,$(TEST_SUITES),'SUITE($(s))') > $@.new
	@cmp -s $@.new $@ || mv $@.new $@; rm -f $@.new

$(CLI_OBJ): $(O)/gen/cmds.h
$(O)/ref-impl/tests/check_main.o: $(O)/gen/suites.h

$(CLI): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(O)/ref-impl/tests/%.o: CFLAGS_ALL += $(CHECK_CFLAGS) -Iref-impl/tests -Iref-impl/src

# --wrap: the allocation-failure sweep (tests/allocfail_test.c) sees the library's allocations;
# only this test binary is linked this way.
TEST_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

$(TEST_BIN): $(TEST_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) $(TEST_WRAP) -o $@ $(TEST_OBJ) $(LIB) $(PKG_LIBS) $(CHECK_LIBS)

# Unit tests need the CLI too (CLI-contract tests run it). STIRMLS_CLI and STIRMLS_ROOT tell
# the tests where the binary and the repository (its data files) are.
unit-tests: $(TEST_BIN) $(CLI) $(VECTORGEN)
	STIRMLS_CLI=$(CURDIR)/$(CLI) STIRMLS_ROOT=$(CURDIR) CK_VERBOSITY=normal $(TEST_BIN)

# Generated documentation must match the code.
check-docs: $(CLI)
	@$(CLI) reasons --markdown > $(O)/reason-codes.md
	@cmp -s $(O)/reason-codes.md docs/reason-codes.md || { \
	  echo "docs/reason-codes.md is stale: run 'build/stirmls reasons --markdown > docs/reason-codes.md'"; \
	  diff -u docs/reason-codes.md $(O)/reason-codes.md | head -20; exit 1; }
	@echo "docs: reason-codes.md matches the table"

.PHONY: FORCE
FORCE:

# make bench (docs/performance.md): build/stirmls-bench links the serve ops (every CLI object but
# the entry point) for the suite in-process; ref-impl/bench/run.sh runs it, then the harness,
# the peers and the memory runs.
BENCH_SRC = $(sort $(wildcard ref-impl/bench/*.c))
BENCH_OBJ = $(BENCH_SRC:%.c=$(O)/%.o)
BENCH = $(O)/stirmls-bench

$(BENCH_OBJ): CFLAGS_ALL += -Iref-impl/cli
$(BENCH_OBJ): $(O)/gen/cmds.h
$(BENCH): $(BENCH_OBJ) $(filter-out $(O)/ref-impl/cli/stirmls.o,$(CLI_OBJ)) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

all: $(BENCH)
