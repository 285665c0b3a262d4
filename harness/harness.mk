# harness.mk: the conformance harness, its fake implementations and its tests.
#
# The harness links only jansson, libyaml and libcrypto (SHA-256 for the suite hash, the OpenSSL
# version string): never libstirmls. It drives every implementation, the reference included,
# through the stirmls-interop/1 protocol (docs/protocol.md).
# netsvc.c (the TCP service of stirmls serve --listen, libc and jansson only) also runs bridge.c
HARNESS_SRC = $(sort $(wildcard harness/src/*.c)) ref-impl/cli/netsvc.c
HARNESS_OBJ = $(HARNESS_SRC:%.c=$(O)/%.o)
HARNESS = $(O)/stirmls-harness

# Fake implementations: harness/tests/fake_<name>.c -> $(O)/harness/tests/fake-<name>
HARNESS_FAKE_SRC = $(sort $(wildcard harness/tests/fake_*.c))
HARNESS_FAKES = $(patsubst harness/tests/fake_%.c,$(O)/harness/tests/fake-%,$(HARNESS_FAKE_SRC))
HARNESS_TEST_SRC = $(sort $(wildcard harness/tests/*_test.c)) harness/tests/harness_check_main.c \
                   harness/tests/hxtest.c
HARNESS_TEST_OBJ = $(HARNESS_TEST_SRC:%.c=$(O)/%.o)
# unit tests link the harness modules, everything but main
HARNESS_MOD_OBJ = $(filter-out $(O)/harness/src/main.o,$(HARNESS_OBJ))
HARNESS_TEST_BIN = $(O)/stirmls-harness-tests

.PHONY: harness harness-tests harness-schemas harness-docs harness-kits harness-chromium harness-event

# The adapter kit in C (harness/adapters/kit/c): built with the project's strict warnings.
KIT_C = $(O)/harness/adapters/kit/c/adapter
$(KIT_C): $(O)/harness/adapters/kit/c/adapter.o
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(PKG_LIBS)
harness: $(KIT_C)

all: $(HARNESS)
harness: $(HARNESS) $(HARNESS_FAKES)

$(HARNESS_OBJ) $(HARNESS_TEST_OBJ): CFLAGS_ALL += -Iharness/src
$(HARNESS_TEST_OBJ): CFLAGS_ALL += $(CHECK_CFLAGS) -Iharness/tests

$(HARNESS): $(HARNESS_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $(HARNESS_OBJ) $(PKG_LIBS)

.SECONDARY: $(HARNESS_FAKE_SRC:%.c=$(O)/%.o)
$(O)/harness/tests/fake-%: $(O)/harness/tests/fake_%.o
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(PKG_LIBS)

$(HARNESS_TEST_BIN): $(HARNESS_TEST_OBJ) $(HARNESS_MOD_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $(HARNESS_TEST_OBJ) $(HARNESS_MOD_OBJ) $(PKG_LIBS) $(CHECK_LIBS)

# The tests run the harness binary against the fakes over the data in harness/tests/data/, and
# (x5u_test.c) against the reference CLI over the repository's vectors.
harness-tests: $(HARNESS) $(HARNESS_FAKES) $(HARNESS_TEST_BIN) $(CLI)
	HX_HARNESS=$(CURDIR)/$(HARNESS) HX_FAKE_DIR=$(CURDIR)/$(O)/harness/tests \
	  HX_DATA=$(CURDIR)/harness/tests/data HX_STIRMLS=$(CURDIR)/$(CLI) HX_REPO_VECTORS=$(CURDIR)/vectors \
	  CK_VERBOSITY=normal $(HARNESS_TEST_BIN)

# The schemas are checked against the test vectors, any committed vectors, a fresh report of the
# good fake, a merged report (the good and the reject-wrong fake, each result naming its suite), the
# recorded family of the reference's generate artefacts (python3-jsonschema; skipped with a message when it is missing); index.html's script is
# run under node with a stub DOM (every cell opened; no markup sinks) when node is installed.
HARNESS_SCHEMA_OUT = $(O)/harness/schema-check
harness-schemas: $(HARNESS) $(HARNESS_FAKES) $(CLI)
	@rm -rf $(HARNESS_SCHEMA_OUT)
	@$(HARNESS) run --impl "stirmls=$(CLI) serve" --filter 'generate/*' --out $(HARNESS_SCHEMA_OUT)/generate \
	  --record $(HARNESS_SCHEMA_OUT)/recorded >/dev/null
	@$(HARNESS) run --impl good="$(O)/harness/tests/fake-impl --vectors harness/tests/data/vectors good" \
	  --vectors harness/tests/data/vectors --out $(HARNESS_SCHEMA_OUT) >/dev/null
	@$(HARNESS) run --impl wrong="$(O)/harness/tests/fake-impl reject-wrong" --vectors harness/tests/data/vectors \
	  --out $(HARNESS_SCHEMA_OUT)/wrong >/dev/null; test $$? = 1
	@$(HARNESS) merge --allow-mixed-suites --vectors harness/tests/data/vectors --out $(HARNESS_SCHEMA_OUT)/merged \
	  $(HARNESS_SCHEMA_OUT) $(HARNESS_SCHEMA_OUT)/wrong >/dev/null; test $$? = 1
	python3 harness/tests/validate_schemas.py vectors/schema/vectors.schema.json \
	  harness/schema/report.schema.json harness/tests/data/vectors/*.json $(wildcard vectors/*.json) \
	  $(HARNESS_SCHEMA_OUT)/report.json $(HARNESS_SCHEMA_OUT)/merged/report.json \
	  $(HARNESS_SCHEMA_OUT)/recorded/recorded.json
	@$(HARNESS) run --impl xss="$(O)/harness/tests/fake-impl xss" --vectors harness/tests/data/vectors \
	  --out $(HARNESS_SCHEMA_OUT)/xss >/dev/null; test $$? = 1
	@if command -v node >/dev/null; then \
	  node harness/tests/html_smoke.js $(HARNESS_SCHEMA_OUT)/index.html && \
	  node harness/tests/html_smoke.js $(HARNESS_SCHEMA_OUT)/xss/index.html && \
	  node harness/tests/html_smoke.js $(HARNESS_SCHEMA_OUT)/merged/index.html; \
	else echo "html_smoke: node not installed, skipped"; fi

# The docs name the suite's real tags and either flags (derived from vectors/, never listed in the
# test): the tables in docs/scenarios.md match the suite both ways, and no document names another.
HARNESS_DOCS = $(sort $(wildcard docs/*.md)) README.md harness/README.md $(wildcard harness/adapters/*/README.md) \
               $(wildcard harness/adapters/kit/*/README.md)
harness-docs:
	@python3 harness/tests/docs_tags.py --selftest vectors
	@python3 harness/tests/docs_tags.py vectors $(HARNESS_DOCS)

# The adapter kits over TCP, and every marked example of the docs (doc_examples.py: the kits'
# stdio runs, the minimal adapter of docs/protocol.md, the commands of harness/README.md...), run as
# documented against the release build (so only in the release profile).
HARNESS_EXAMPLE_DOCS = $(HARNESS_DOCS)
harness-kits: all $(HARNESS) $(KIT_C)
	@sh harness/tests/kits_tcp.sh $(HARNESS)
	@python3 harness/tests/doc_examples.py $(HARNESS_EXAMPLE_DOCS)
	@python3 harness/tests/explain_test.py $(HARNESS) vectors

# index.html in headless Chromium (Debian's chromium; skipped with a message when missing): the
# reference and the reject-wrong fake over three families, the DOM after the page's script ran,
# and screenshots (build/harness/chromium/index.png, details.png).
HARNESS_CHROMIUM_OUT = $(O)/harness/chromium
harness-chromium: all $(HARNESS) $(HARNESS_FAKES)
	@rm -rf $(HARNESS_CHROMIUM_OUT)
	@$(HARNESS) run --impl "stirmls=$(CLI) serve" --impl "wrong=$(O)/harness/tests/fake-impl reject-wrong" \
	  --filter 'expiry/*' --filter 'mky/*' --filter 'cert-path/*' --out $(HARNESS_CHROMIUM_OUT) >/dev/null; \
	  test $$? = 1
	@python3 harness/tests/html_chromium.py $(HARNESS_CHROMIUM_OUT) expiry/cert-after-not-after stirmls

# docs/interop-event.md rehearsed, reduced (mk/event-rehearsal.sh: the reference over TCP and the
# peers that can run here, two sessions recorded, merged and diffed, the recorded family replayed
# against the reference with the verdicts it gave); release profile only, like the kits.
# The committed example's recorded family (reports/event-rehearsal/recorded) replays against the
# reference with the verdicts it gave during the rehearsal.
HARNESS_EVENT_REPLAY = $(O)/event-replay
harness-event: all $(HARNESS)
	@O=$(O) sh mk/event-rehearsal.sh
	@rm -rf $(HARNESS_EVENT_REPLAY)
	@$(HARNESS) run --impl "stirmls=$(CLI) serve" --vectors reports/event-rehearsal/recorded \
	  --out $(HARNESS_EVENT_REPLAY) >/dev/null; test $$? -le 1
	@python3 harness/tests/replay_check.py reports/event-rehearsal/recorded/recorded.json \
	  $(HARNESS_EVENT_REPLAY)/report.json stirmls

unit-tests: harness-tests harness-schemas harness-docs
ifeq ($(PROFILE),release)
unit-tests: harness-kits harness-chromium harness-event
endif

# The load and fault test of the network services (harness/tests/netload.py, docs/protocol.md
# "Services on a network"): stirmls serve --listen, then bridge in front of the Python peer
# (skipped with a message when its Debian packages are missing; it answers a request in about
# 30 ms, so each client there sends every 8th request). Loopback only, bounded; the debug (ASan)
# profile runs a smaller load.
NETLOAD_ARGS_release =
NETLOAD_ARGS_debug = --clients 8 --cycles 300 --max-rss-mb 1024 --slack 3
NETLOAD = /usr/bin/python3 harness/tests/netload.py --stirmls $(CLI) --harness $(HARNESS) --vectors vectors \
          $(NETLOAD_ARGS_$(PROFILE))
NETLOAD_PY_PKGS = python3-jwcrypto python3-pyasn1-modules python3-openssl
.PHONY: check-net
check-net: $(CLI) $(HARNESS)
	@if [ ! -x /usr/bin/python3 ]; then echo "SKIP: check-net: /usr/bin/python3 is missing (apt-get install python3)"; exit 0; fi; \
	  $(NETLOAD) serve --work $(O)/netload-serve || exit 1; \
	  if dpkg-query -W -f='$${Status}\n' $(NETLOAD_PY_PKGS) 2>/dev/null | grep -c 'install ok installed' | grep -qx 3; then \
	    $(NETLOAD) bridge --adapter "/usr/bin/python3 harness/adapters/python/adapter.py" --work $(O)/netload-bridge \
	      --stride 8 --cycles 300; \
	  else echo "SKIP: check-net bridge: the Python peer's Debian packages are missing ($(NETLOAD_PY_PKGS))"; fi
