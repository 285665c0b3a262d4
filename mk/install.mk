# install.mk: the shared library, make install / uninstall, the Debian package, and the tests of
# both (docs/install.md).
#
#   make install [PREFIX=/usr/local] [DESTDIR=] [LIBDIR=$(PREFIX)/lib]
#   make uninstall (same variables)
#   make deb          build/stirmls_<version>_<arch>.deb (dpkg-buildpackage, debian/)
#   make check-install   part of make check: install into a temporary DESTDIR, run the installed
#                        harness against the installed reference on the whole suite, and build a
#                        C program against the installed library through pkg-config
#   make fresh-test   (root) a fresh Debian 12 from debootstrap: make conformance then make check
#                     on their first run in a clone, then the .deb in a second fresh system
VERSION := $(shell sed -n 's/^\#define STIRMLS_VERSION "\(.*\)"/\1/p' ref-impl/include/stirmls.h)
SOMAJOR = 0
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
DESTDIR ?=

# The shared library: the same objects as libstirmls.a (built position-independent).
SOLIB = $(O)/libstirmls.so.$(VERSION)
$(LIB_OBJ): CFLAGS_ALL += -fPIC
$(SOLIB): $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -shared -Wl,-soname,libstirmls.so.$(SOMAJOR) -Wl,-z,defs -o $@ $(LIB_OBJ) $(PKG_LIBS)
ifeq ($(PROFILE),release)
all: $(SOLIB)
endif

$(O)/stirmls.pc: mk/pkg/stirmls.pc.in ref-impl/include/stirmls.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

.PHONY: install uninstall deb check-install fresh-test $(O)/stirmls.pc

# What is installed, under $(DESTDIR):
#   $(PREFIX)/bin/        stirmls, stirmls-harness, stirmls-vectorgen
#   $(LIBDIR)/            libstirmls.a, libstirmls.so.$(VERSION) (+ .so.$(SOMAJOR), .so), pkgconfig/stirmls.pc
#   $(INCLUDEDIR)/        stirmls.h, stirmls/*.h
#   $(DATADIR)/stirmls/   vectors/ (the family files and schema), scenarios/, requirements.md,
#                         schema/ (report schema), expectations/ (the reference's and the peers')
#   $(DATADIR)/doc/stirmls/  README.md, docs/*.md, help/*.txt (every --help text)
STIRMLS_SHARE = $(DESTDIR)$(DATADIR)/stirmls
STIRMLS_DOC = $(DESTDIR)$(DATADIR)/doc/stirmls
install: all $(O)/stirmls.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/stirmls \
	  $(STIRMLS_SHARE)/vectors/schema $(STIRMLS_SHARE)/scenarios $(STIRMLS_SHARE)/schema \
	  $(STIRMLS_SHARE)/expectations $(STIRMLS_DOC)/docs $(STIRMLS_DOC)/help
	install -m 755 $(CLI) $(HARNESS) $(VECTORGEN) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(SOLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libstirmls.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libstirmls.so.$(SOMAJOR)
	ln -sf libstirmls.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libstirmls.so
	install -m 644 $(O)/stirmls.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 ref-impl/include/stirmls.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 ref-impl/include/stirmls/*.h $(DESTDIR)$(INCLUDEDIR)/stirmls/
	install -m 644 vectors/*.json vectors/README.md $(STIRMLS_SHARE)/vectors/
	install -m 644 vectors/schema/* $(STIRMLS_SHARE)/vectors/schema/
	install -m 644 scenarios/*.yaml scenarios/README.md $(STIRMLS_SHARE)/scenarios/
	install -m 644 docs/requirements.md $(STIRMLS_SHARE)/
	install -m 644 harness/schema/* $(STIRMLS_SHARE)/schema/
	install -m 644 harness/expectations/*.yaml $(STIRMLS_SHARE)/expectations/
	install -m 644 README.md $(STIRMLS_DOC)/
	install -m 644 docs/*.md $(STIRMLS_DOC)/docs/
	sh mk/help-texts.sh $(CLI) $(HARNESS) $(VECTORGEN) $(STIRMLS_DOC)/help

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/stirmls $(DESTDIR)$(PREFIX)/bin/stirmls-harness \
	  $(DESTDIR)$(PREFIX)/bin/stirmls-vectorgen $(DESTDIR)$(LIBDIR)/libstirmls.a \
	  $(DESTDIR)$(LIBDIR)/libstirmls.so $(DESTDIR)$(LIBDIR)/libstirmls.so.$(SOMAJOR) \
	  $(DESTDIR)$(LIBDIR)/libstirmls.so.$(VERSION) $(DESTDIR)$(LIBDIR)/pkgconfig/stirmls.pc \
	  $(DESTDIR)$(INCLUDEDIR)/stirmls.h
	rm -rf $(DESTDIR)$(INCLUDEDIR)/stirmls $(STIRMLS_SHARE) $(STIRMLS_DOC)

# The Debian package (debian/): dpkg-buildpackage builds it in a copy of the tracked files, so
# the checkout's build/ is left alone; the .deb lands in build/.
deb:
	@sh mk/deb.sh

# Installed, the suite must run with nothing of the repository around (docs/install.md).
check-install:
	@sh mk/check-install.sh

fresh-test:
	@sh mk/fresh-test.sh
