# Endorse.  `make run` serves the web application on 127.0.0.1:8080;
# `make check` builds and runs every test, twice (plain and ASan+UBSan),
# the suites side by side (tests/run); `make check-quick` the unit, CLI,
# golden and HTTP tests on the plain build only.

CC	?= cc
PKGS	 = cairo fontconfig jansson libcurl libmicrohttpd libqrencode libsodium sqlite3 \
	   xlsxwriter zlib
# pkg-config is asked when a recipe first needs the flags, never when the
# Makefile is read: on a fresh machine `make run` reads this file before
# scripts/install-deps (the deps target) has installed the packages, and
# flags taken then would be empty for the whole run.  Each is asked once
# (the variable replaces itself with its value on first use).
PKGCFLAGS = $(eval PKGCFLAGS := $$(shell pkg-config --cflags $$(PKGS) 2>/dev/null))$(PKGCFLAGS)
PKGLIBS	= $(eval PKGLIBS := $$(shell pkg-config --libs $$(PKGS) 2>/dev/null || echo -lcairo -lfontconfig -ljansson -lcurl -lmicrohttpd -lqrencode -lsodium -lsqlite3 -lxlsxwriter -lz))$(PKGLIBS)
WARN	 = -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wno-missing-field-initializers
DEFS	 = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS	?= -O2 -g
ALLCFLAGS = $(WARN) $(DEFS) $(PKGCFLAGS) $(CFLAGS)
LDLIBS	 = $(PKGLIBS) -lpthread -lm
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer

LIBSRC	 = $(filter-out src/main.c,$(wildcard src/*.c))
HDRS	 = $(wildcard src/*.h src/*.def)
OBJ	 = $(LIBSRC:src/%.c=build/obj/%.o)
AOBJ	 = $(LIBSRC:src/%.c=build-asan/obj/%.o)
FOBJ	 = $(LIBSRC:src/%.c=build/fuzz/obj/%.o)
UNIT	 = $(wildcard tests/unit/*.c)
UNITDEPS = $(wildcard tests/unit/*.h tests/unit/*.def)

.PHONY: all deps run check check-quick test fuzz fuzz-build bench clean \
	golden-update

# Parallel builds in `make check`: one compiler per core (JOBS=N to
# choose); the test suites' own parallelism is TEST_JOBS (tests/run).
JOBS	?= $(shell nproc 2>/dev/null || echo 2)

all: build/endorse build/unit-tests

deps:
	@scripts/install-deps

build/obj/%.o: src/%.c $(HDRS) | build/obj
	$(CC) $(ALLCFLAGS) -c $< -o $@
build-asan/obj/%.o: src/%.c $(HDRS) | build-asan/obj
	$(CC) $(ALLCFLAGS) $(SANFLAGS) -c $< -o $@
build/obj build-asan/obj build/fuzz/obj:
	mkdir -p $@

build/endorse: build/obj/main.o $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
build-asan/endorse: build-asan/obj/main.o $(AOBJ)
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)
build/unit-tests: $(UNIT) $(UNITDEPS) $(OBJ) $(HDRS)
	$(CC) $(ALLCFLAGS) -Isrc -o $@ $(UNIT) $(OBJ) $(LDLIBS)
build-asan/unit-tests: $(UNIT) $(UNITDEPS) $(AOBJ) $(HDRS)
	$(CC) $(ALLCFLAGS) $(SANFLAGS) -Isrc -o $@ $(UNIT) $(AOBJ) $(LDLIBS)

# Serve on http://127.0.0.1:8080 with the database in var/ (created and
# migrated on first start; a coordinator per association is created and
# its password printed once).
run: deps
	$(MAKE) build/endorse
	mkdir -p var
	build/endorse serve --listen 127.0.0.1:8080 --db var/endorse.db

check: deps
	$(MAKE) -j$(JOBS) build/endorse build/unit-tests build-asan/endorse build-asan/unit-tests fuzz-build
	tests/run

# The unit, CLI, golden and HTTP tests on the plain build: about a minute.
check-quick: deps
	$(MAKE) -j$(JOBS) build/endorse build/unit-tests
	tests/run --quick

test: check

golden-update: build/endorse
	UPDATE=1 tests/golden/run build/endorse

# libFuzzer targets (clang).  FUZZ_SECONDS per target, default 600.
# The library objects are compiled once, instrumented for the fuzzer and
# the sanitizers (build/fuzz/obj/), and linked into every target.
FUZZ_SECONDS ?= 600
FUZZCFLAGS = -g -O1 $(WARN) $(DEFS) $(PKGCFLAGS)
FUZZFLAGS = $(FUZZCFLAGS) -fsanitize=fuzzer,address,undefined
FUZZ_TARGETS = portfolio rules tmpl csv http form
fuzz-build: $(FUZZ_TARGETS:%=build/fuzz/%)
build/fuzz/obj/%.o: src/%.c $(HDRS) | build/fuzz/obj
	clang $(FUZZCFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
$(FUZZ_TARGETS:%=build/fuzz/%): build/fuzz/%: tests/fuzz/fuzz-%.c $(FOBJ) $(HDRS)
	clang $(FUZZFLAGS) -Isrc -o $@ $< $(FOBJ) $(LDLIBS)
fuzz: deps fuzz-build
	tests/fuzz/run $(FUZZ_SECONDS)

bench:
	bench/run

clean:
	rm -rf build build-asan
