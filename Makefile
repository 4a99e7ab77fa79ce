# SPDX-License-Identifier: MIT
# qppbuild: one GNU Makefile.  `make` builds, `make check` runs every test.

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
INSTALL   ?= install
CC        ?= cc
CFLAGS    ?= -O2 -g
SHARED    ?= ../shared
YEARS      = 2023 2024 2025 2026 2027
# Years CMS still calls in progress (qpp-measures-data's README): built in as
# provisional, and without benchmarks until CMS publishes them.
PROVISIONAL = 2027
BENCH_YEARS = $(filter-out $(PROVISIONAL),$(YEARS))

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wformat=2 -Wwrite-strings -Wvla -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN += -Werror
endif

JANSSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS   := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)
CMOCKA_CFLAGS  := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

# Project flags stay apart from CFLAGS, so `make CFLAGS=-O0` keeps -std and warnings.
ALL_CPPFLAGS = -Isrc -D_POSIX_C_SOURCE=200809L -DQPP_VERSION='"$(VERSION)"' $(CPPFLAGS)
ALL_CFLAGS   = -std=c11 $(WARN) $(JANSSON_CFLAGS) $(CFLAGS)

B        ?= build
LIB_SRC   = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ   = $(LIB_SRC:src/%.c=$(B)/%.o)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(B)/%)

all: $(B)/qppbuild

deps:
	@sh tools/deps.sh

$(B)/.dir:
	@mkdir -p $(B) && touch $@

$(B)/%.o: src/%.c src/*.h $(B)/.dir
	@$(PKG_CONFIG) --exists jansson || { echo "jansson not found: run 'make deps' or apt-get install libjansson-dev pkg-config" >&2; exit 1; }
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libqppbuild.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(B)/qppbuild: $(B)/main.o $(B)/libqppbuild.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lpthread

$(B)/test_%: tests/unit/test_%.c tests/unit/testutil.h $(B)/libqppbuild.a
	@$(PKG_CONFIG) --exists cmocka || { echo "cmocka not found: run 'make deps' or apt-get install libcmocka-dev" >&2; exit 1; }
	$(CC) $(ALL_CPPFLAGS) -Itests/unit -DFIXTURES='"tests/fixtures"' $(ALL_CFLAGS) \
	    $(CMOCKA_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libqppbuild.a $(CMOCKA_LIBS) \
	    $(JANSSON_LIBS) -lpthread

# ---- tests ----

# deps first, then a fresh make that sees what deps installed.
check: deps
	@$(MAKE) --no-print-directory tests

tests: unit golden examples cli stream summary man-check readme-check fuzz-replay catalog-check
	@echo "make check: all tests passed"

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do SHARED=$(SHARED) $(VALGRIND_CMD) $$t || exit 1; done

golden: $(B)/qppbuild
	@QPPBUILD=$(B)/qppbuild SHARED=$(SHARED) sh tests/run-golden.sh tests/golden

examples: $(B)/qppbuild
	@QPPBUILD=$(B)/qppbuild SHARED=$(SHARED) sh tests/run-golden.sh examples

# qppbuild whose N-th allocation fails (QPP_FAIL_ONCE=N), for cli-test.sh.
$(B)/qppbuild-oom: $(B)/main.o tests/oom.c $(B)/libqppbuild.a
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(B)/main.o tests/oom.c \
	    $(B)/libqppbuild.a $(JANSSON_LIBS) -lpthread

cli: $(B)/qppbuild $(B)/qppbuild-oom
	@QPPBUILD=$(B)/qppbuild QPPBUILD_OOM=$(B)/qppbuild-oom SHARED=$(SHARED) sh tests/cli-test.sh

stream: $(B)/qppbuild $(B)/genreports
	@QPPBUILD=$(B)/qppbuild GENREPORTS=$(B)/genreports sh tests/stream-test.sh

summary: $(B)/qppbuild $(B)/genreports
	@QPPBUILD=$(B)/qppbuild GENREPORTS=$(B)/genreports sh tests/summary-test.sh

# Not in make check: they need GNU parallel, rsync and openssh-server (a
# loopback sshd), and npm with the registry; .ci/run installs them and runs
# both.  SHARD_PATIENTS=N sizes the shard test (10 reports a patient).
shard-test: $(B)/qppbuild $(B)/genreports
	@QPPBUILD=$(B)/qppbuild GENREPORTS=$(B)/genreports sh tests/shard-test.sh

fhir-validate: $(B)/qppbuild $(B)/genreports
	@QPPBUILD=$(B)/qppbuild GENREPORTS=$(B)/genreports sh tests/fhir-validate.sh

man-check: $(B)/qppbuild
	@QPPBUILD=$(B)/qppbuild sh tests/man-check.sh man/qppbuild.1

# Every qppbuild command the README shows, and the output it shows.
readme-check: $(B)/qppbuild
	@QPPBUILD=$(B)/qppbuild SHARED=$(SHARED) sh tests/readme-check.sh README

# Fuzz targets: the whole conversion, the scanner against jansson, the
# splitter fed whole against fed a few bytes at a time, and an input cut
# into files read by one thread against three.
FUZZ_TARGETS = qppbuild scan split files

fuzz-replay: $(FUZZ_TARGETS:%=$(B)/replay-%)
	@for t in $(FUZZ_TARGETS); do $(B)/replay-$$t tests/fuzz/corpus/* || exit 1; done
	@echo "fuzz corpus: replayed through $(FUZZ_TARGETS)"

$(B)/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(B)/libqppbuild.a
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lpthread -lm

# The committed catalog must be what the generator makes of CMS's data.
catalog-check: $(B)/gencatalog $(B)/genbench
	@if [ -d $(SHARED)/qpp-data/measures ]; then \
	    $(B)/gencatalog $(foreach y,$(PROVISIONAL),-p $(y)) $(foreach y,$(YEARS),$(y)=$(SHARED)/qpp-data/measures/measures-data-$(y).json) > $(B)/catalog_data.c && \
	    cmp -s $(B)/catalog_data.c src/catalog_data.c && echo "catalog: up to date" || \
	    { echo "catalog: src/catalog_data.c differs from the generator's output; run make catalog" >&2; exit 1; }; \
	else echo "catalog: $(SHARED)/qpp-data not found, not checked"; fi
	@if [ -d $(SHARED)/qpp-data/benchmarks ]; then \
	    $(B)/genbench $(BENCHMARK_FILES) > $(B)/benchmark_data.c && \
	    cmp -s $(B)/benchmark_data.c src/benchmark_data.c && echo "benchmarks: up to date" || \
	    { echo "benchmarks: src/benchmark_data.c differs from the generator's output; run make catalog" >&2; exit 1; }; \
	else echo "benchmarks: $(SHARED)/qpp-data not found, not checked"; fi

catalog: $(B)/gencatalog $(B)/genbench
	$(B)/gencatalog $(foreach y,$(PROVISIONAL),-p $(y)) $(foreach y,$(YEARS),$(y)=$(SHARED)/qpp-data/measures/measures-data-$(y).json) > $(B)/catalog_data.c
	mv $(B)/catalog_data.c src/catalog_data.c
	$(B)/genbench $(BENCHMARK_FILES) > $(B)/benchmark_data.c
	mv $(B)/benchmark_data.c src/benchmark_data.c

GEN_OBJ = $(B)/catalog.o $(B)/diag.o $(B)/util.o $(B)/alloc.o
$(B)/gencatalog: tools/gencatalog.c tools/genpool.c $(GEN_OBJ)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lpthread

# The built-in benchmarks: CMS's benchmarks file of each year, through --benchmarks' reader.
BENCHMARK_FILES = $(foreach y,$(BENCH_YEARS),$(y)=$(SHARED)/qpp-data/benchmarks/benchmarks-$(y).json)
$(B)/genbench: tools/genbench.c tools/genpool.c $(B)/benchmark.o $(B)/diag.o $(B)/util.o $(B)/alloc.o
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lpthread

SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
asan:
	$(MAKE) B=build-asan CFLAGS='-O1 -g -fno-omit-frame-pointer $(SAN)' LDFLAGS='$(SAN)' check

# Threads: ThreadSanitizer over the golden cases, the streaming tests and
# the built-in years made on first use (test_catalog and test_benchmark ask
# from four threads).
tsan:
	$(MAKE) B=build-tsan CC=clang CFLAGS='-O1 -g -fsanitize=thread' \
	    LDFLAGS='-fsanitize=thread' golden stream build-tsan/test_catalog build-tsan/test_benchmark
	SHARED=$(SHARED) build-tsan/test_catalog
	SHARED=$(SHARED) build-tsan/test_benchmark

VALGRIND = valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99
valgrind: $(B)/qppbuild
	QPP_ALLOC_STRIDE=7 $(MAKE) VALGRIND_CMD='$(VALGRIND)' unit
	QPPBUILD=$(B)/qppbuild SHARED=$(SHARED) VALGRIND='$(VALGRIND)' sh tests/run-golden.sh tests/golden examples

# make fuzz FUZZ_TIME=600: each target that many seconds; new inputs in build-fuzz/.
FUZZ_TIME ?= 60
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
             -DQPP_TREE_SHARE_FROM=0
fuzz:
	@mkdir -p build-fuzz
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p build-fuzz/corpus-$$t && \
	    clang $(ALL_CPPFLAGS) -std=c11 $(FUZZ_FLAGS) $(JANSSON_CFLAGS) -o build-fuzz/fuzz-$$t \
	        tests/fuzz/fuzz_$$t.c $(LIB_SRC) $(JANSSON_LIBS) -lpthread -lm && \
	    build-fuzz/fuzz-$$t -max_total_time=$(FUZZ_TIME) -max_len=65536 \
	        -dict=tests/fuzz/fhir.dict -artifact_prefix=build-fuzz/ \
	        build-fuzz/corpus-$$t tests/fuzz/corpus || exit 1; \
	done

# Speed work changes no output: make same-output OLD=/path/to/old/qppbuild.
same-output: $(B)/qppbuild $(B)/genreports
	@B=$(B) SHARED=$(SHARED) sh tools/same-output.sh "$(OLD)" $(B)/qppbuild

# Benchmarks, never part of make check: see tools/bench.sh.
bench: $(B)/qppbuild $(B)/genreports $(B)/jparse
	@B=$(B) SHARED=$(SHARED) sh tools/bench.sh

$(B)/genreports: tools/genreports.c $(B)/.dir
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/jparse: tools/jparse.c $(B)/.dir
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(JANSSON_LIBS)

# ---- running it ----

example: deps
	@$(MAKE) --no-print-directory $(B)/qppbuild
	./$(B)/qppbuild examples/group-2023/input/*

install: $(B)/qppbuild
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(B)/qppbuild $(DESTDIR)$(BINDIR)/qppbuild
	$(INSTALL) -m 644 man/qppbuild.1 $(DESTDIR)$(MANDIR)/man1/qppbuild.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/qppbuild $(DESTDIR)$(MANDIR)/man1/qppbuild.1

lint:
	mandoc -Tlint -W warning man/qppbuild.1
	cppcheck -q --error-exitcode=1 --enable=warning,portability --inline-suppr -Isrc src tools
	clang-tidy -quiet --warnings-as-errors='*' \
	    --checks='-*,bugprone-*,clang-analyzer-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling' \
	    $(FORMATTED) -- $(ALL_CPPFLAGS) -std=c11 $(JANSSON_CFLAGS)
	clang-format --dry-run --Werror $(FORMATTED) tests/unit/*.[ch]

# Everything but the generated catalog and benchmarks.
FORMATTED = $(filter-out src/catalog_data.c src/benchmark_data.c,$(wildcard src/*.[ch])) \
            tools/*.c tests/fuzz/*.c

format:
	clang-format -i $(FORMATTED) tests/unit/*.[ch]

clean:
	rm -rf build build-asan build-tsan build-fuzz build-bench

.PHONY: all deps check tests unit golden examples cli stream summary shard-test fhir-validate man-check readme-check fuzz-replay catalog-check catalog \
        asan tsan valgrind fuzz bench same-output example install uninstall lint format clean
