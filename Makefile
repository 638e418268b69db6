# newsform: one hand-written Makefile.
#   make             build libnewsform.a, ./newsform and the Lua module newsform.so
#   make check       every test (C, Lua, CLI) on the normal build
#   make check-asan  every test built with -fsanitize=address,undefined
#   make test        both of the above, one closing "N passed, N failed" line
#   make demo        run the shipped example (the README's first command)
#   make bench       benchmarks (see bench/; also bench-extract, bench-warc,
#                    bench-shard, bench-stream)
#   make check-cluster  the examples/cluster recipes under a one-node Slurm and
#                    GNU parallel on this machine (root; not part of make test)
#   make fuzz        libFuzzer harnesses of tests/fuzz/ with clang (build/fuzz)
#   make fuzz-run SECONDS=N   each harness N seconds, one at a time
# Missing Debian packages are installed when run as root (mk/deps.sh);
# otherwise the exact apt-get line is printed.

PREFIX   ?= /usr/local
BUILD    ?= build
SAN      ?=
CC       ?= cc

NO_DEPS_GOALS := clean distclean format
ifeq ($(filter-out $(NO_DEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
else
ifndef NF_DEPS_CHECKED
NF_DEPS_STATUS := $(shell sh mk/deps.sh build 1>&2; echo $$?)
ifneq ($(NF_DEPS_STATUS),0)
$(error newsform: build dependencies are missing (see above))
endif
export NF_DEPS_CHECKED := 1
endif
endif

NF_VERSION := $(shell sed -n 's/^\#define NF_VERSION "\(.*\)"/\1/p' include/newsform.h)
PKGS      := lua5.4 libxml-2.0 zlib libdeflate
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
XML_LIBS  := $(shell pkg-config --libs libxml-2.0 zlib libdeflate 2>/dev/null)
LUA_LIBS  := $(shell pkg-config --libs lua5.4 2>/dev/null)
ifneq ($(LUA_INCDIR),)
PKG_CFLAGS += -I$(LUA_INCDIR)   # given by luarocks (rockspec/)
endif

WARN     := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
ifeq ($(SAN),1)
OPT      := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OUT      := $(BUILD)
else
OPT      ?= -O2 -g
OUT      := .
endif
# make fuzz: the library compiled by clang with coverage for libFuzzer.
ifeq ($(FUZZ),1)
OPT      := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
OUT      := $(BUILD)
endif
CFLAGS   ?=
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -fPIC $(OPT) $(WARN) -Iinclude \
              $(PKG_CFLAGS) -DNF_SCRIPTS_DIR='"$(PREFIX)/share/newsform/scripts"' $(CFLAGS)
LDFLAGS_ALL := $(OPT) $(LDFLAGS)

# Three layers, each listed file by file: the library (core/), the Lua
# module (core/lua/) on top of it, the command (core/cli/) on top of both.
# tests/cli/test_layers.sh checks that no object file depends on a later one's.
LIB_OBJS := buf warn budget utf8 gzip_whole strset escape url html_elements input json dom doc parse parse_text \
            serialize select xpath meta_date meta extract_hints extract_measure \
            extract_ld extract_edges extract_emit extract article \
            text normalize render render_text render_markdown xhtml_repair render_html \
            sha1 warc bundle_io bundle_page bundle_tar bundle_zip bundle_jsonl \
            bundle_warc bundle_epub \
            bundle_dir bundle bundle_article bundle_articles inputs
LUA_OBJS := lua_aux lua_tree lua_doc lua_node lua_article lua_text lua_recipe \
            lua_render lua_json lua_bundle lua_inputs lua_newsform
CLI_OBJS := main cli_input cli_output cli_bundle cli_lua cli_shard cli_stats cli_stream

CORE_OBJ := $(LIB_OBJS:%=$(BUILD)/core/%.o)
LUA_OBJ  := $(LUA_OBJS:%=$(BUILD)/core/lua/%.o)
MAIN_OBJ := $(CLI_OBJS:%=$(BUILD)/core/cli/%.o)

LIB      := $(OUT)/libnewsform.a
BIN      := $(OUT)/newsform
MODULE   := $(OUT)/newsform.so

CTEST_SRC := $(wildcard tests/c/test_*.c)
CTEST_BIN := $(CTEST_SRC:tests/c/%.c=$(BUILD)/tests/%)
LUA_RUNNER := $(BUILD)/tests/lua_runner

.PHONY: all check check-asan test demo bench bench-extract bench-warc bench-shard bench-stream check-cluster install clean format deps-test test-bins fuzz fuzz-bins fuzz-run
all: $(LIB) $(BIN) $(MODULE)

# The library sees only core/; the module also core/lua/; the command all.
$(BUILD)/core/%.o: core/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -Icore -MMD -MP -c $< -o $@

$(BUILD)/core/lua/%.o: core/lua/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -Icore/lua -Icore -MMD -MP -c $< -o $@

$(BUILD)/core/cli/%.o: core/cli/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icore/cli -Icore/lua -Icore -MMD -MP -c $< -o $@

$(LIB): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LUA_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MAIN_OBJ) $(LUA_OBJ) $(LIB) $(LUA_LIBS) $(XML_LIBS) -lpthread -lm

# The module takes Lua's symbols from the interpreter that loads it. Its own
# objects are compiled with hidden visibility and the library's symbols are
# kept local (--exclude-libs), so it exports luaopen_newsform alone.
$(MODULE): $(LUA_OBJ) $(LIB)
	$(CC) -shared $(LDFLAGS_ALL) -Wl,--exclude-libs,ALL -o $@ $(LUA_OBJ) $(LIB) $(XML_LIBS) -lpthread -lm

# Test programs share the spec runner (tests/spec.c: tests as data); the
# Lua runner also gets its Lua face (tests/spec_lua.c).
SPEC_OBJ := $(BUILD)/tests/spec.o

$(BUILD)/tests/%.o: tests/%.c tests/spec.h tests/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -c $< -o $@

$(BUILD)/tests/test_%: tests/c/test_%.c tests/harness.h tests/spec.h $(SPEC_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icore -Itests -o $@ $< $(SPEC_OBJ) $(LIB) $(XML_LIBS) -lpthread -lm

$(LUA_RUNNER): tests/lua_runner.c $(SPEC_OBJ) $(BUILD)/tests/spec_lua.o $(LUA_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(SPEC_OBJ) $(BUILD)/tests/spec_lua.o $(LUA_OBJ) $(LIB) $(LUA_LIBS) $(XML_LIBS) -lpthread -lm

# Fuzz harnesses (tests/fuzz/fuzz_NAME.c): with a plain main, every test
# run replays their corpus and kept findings (tests/run.sh); with clang's
# libFuzzer (make fuzz) they search for new inputs (make fuzz-run).
FUZZ_HARNESSES := page select xpath bundle json lua
FUZZ_BUILD  := build/fuzz
FUZZ_CC     ?= clang
SECONDS     ?= 60
CMARK_LIBS  := $(shell pkg-config --libs libcmark 2>/dev/null)
FUZZ_CFLAGS := -Icore -Icore/lua -Itests/fuzz $(if $(CMARK_LIBS),-DNF_FUZZ_CMARK)
FUZZ_DEPS   := tests/fuzz/fuzz_common.c tests/fuzz/fuzz.h $(LUA_OBJ) $(LIB)
FUZZ_LINK   := tests/fuzz/fuzz_common.c $(LUA_OBJ) $(LIB) $(LUA_LIBS) $(XML_LIBS) \
               $(CMARK_LIBS) -lpthread -lm
FUZZ_REPLAY := $(FUZZ_HARNESSES:%=$(BUILD)/fuzz-replay/replay_%)

$(BUILD)/fuzz-replay/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CFLAGS) -DNF_FUZZ_NAME='"$*"' -o $@ $< \
	  tests/fuzz/replay_main.c $(FUZZ_LINK)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LINK)

fuzz-bins: $(FUZZ_HARNESSES:%=$(BUILD)/fuzz_%)

fuzz:
	@sh mk/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) FUZZ=1 fuzz-bins

fuzz-run: fuzz
	@nice sh tests/fuzz/run.sh $(FUZZ_BUILD) $(SECONDS) $(FUZZERS)

test-bins: all $(CTEST_BIN) $(LUA_RUNNER) $(FUZZ_REPLAY)

deps-test:
	@sh mk/deps.sh test

check: deps-test test-bins
	@sh tests/run.sh $(BUILD):$(OUT)

check-asan: deps-test
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 test-bins
	@sh tests/run.sh build/asan:build/asan

# Both builds, one closing summary line: the README's test command.
test: deps-test
	@$(MAKE) --no-print-directory test-bins
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 test-bins
	@sh tests/run.sh build:. build/asan:build/asan

# Starts (and stops) munged, slurmctld and slurmd: never in make test or CI.
check-cluster: all
	@sh mk/deps.sh cluster
	@sh mk/cluster.sh $(CURDIR)/$(OUT)/newsform

demo: all
	./newsform markdown examples/pages/

bench: all
	@sh bench/run.sh

bench-extract: all
	@sh bench/extract.sh

bench-warc: all
	@sh bench/warc.sh

bench-shard: all
	@sh bench/shard.sh

bench-stream: all
	@sh bench/stream.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(PREFIX)/share/newsform/scripts
	install -m 755 newsform $(DESTDIR)$(PREFIX)/bin/
	install -m 644 libnewsform.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/newsform.h include/newsform_lua.h $(DESTDIR)$(PREFIX)/include/
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(NF_VERSION)|g' mk/newsform.pc.in \
	  >$(DESTDIR)$(PREFIX)/lib/pkgconfig/newsform.pc
	install -m 644 scripts/*.lua $(DESTDIR)$(PREFIX)/share/newsform/scripts/
	install -d $(DESTDIR)$(PREFIX)/lib/lua/5.4
	install -m 755 newsform.so $(DESTDIR)$(PREFIX)/lib/lua/5.4/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3
	install -m 644 doc/newsform.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 doc/newsform-lua.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 644 doc/completion/newsform.bash \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/newsform
	install -m 644 doc/completion/_newsform $(DESTDIR)$(PREFIX)/share/zsh/site-functions/

format:
	clang-format -i --style=llvm core/*.[ch] core/lua/*.[ch] core/cli/*.[ch] include/*.h tests/c/*.c

clean:
	rm -rf build newsform libnewsform.a newsform.so

-include $(CORE_OBJ:.o=.d) $(LUA_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
