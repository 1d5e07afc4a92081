# Teaching in Thurrock - build, run and test.
#   make          build build/portal and the front-end assets
#   make run      install what is missing, build, start a local PostgreSQL under var/ (unless
#                 DATABASE_URL is set), migrate, seed, serve https://localhost:8443/
#   make test     unit, integration (real TLS server, real PostgreSQL) and browser tests, and
#                 the container files checked (docker-compose config)
#   make test SANITIZE=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz     the parsers under libFuzzer (clang; part of make test, a fixed number of runs)
#   make scan     testssl.sh and sqlmap against the running portal (part of make test)
#   make bench    throughput benchmark (tests/bench/)
#   make clean    remove build output (never var/)

SANITIZE ?=
ifeq ($(SANITIZE),1)
BUILD ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS =
endif

CC ?= cc
PKGS = openssl libpq jansson libargon2 libcurl libcmark zlib
CIVETWEB_DIR = build/vendor/civetweb
CIVETWEB_DEFS = -DOPENSSL_API_3_0 -DNO_SSL_DL -DNO_CGI -DNO_FILES -DUSE_IPV6
WARN = -Wall -Wextra -Werror
CFLAGS ?= -O2 -g
# What every compilation of the portal's code shares (the portal's, the tests', the fuzzers').
BASE_CFLAGS = -std=c17 $(WARN) -D_GNU_SOURCE -Ibackend -Ibackend/core -I$(CIVETWEB_DIR)/include \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) -MMD -MP
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS) $(SANFLAGS)
LDLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lssl -lcrypto -lpthread -ldl -lm
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC = $(sort $(filter-out backend/main.c,$(shell find backend -name '*.c' -not -path 'backend/setup/*')))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/civetweb.o
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:%.c=$(BUILD)/%)
IT_SRC = $(wildcard tests/integration/test_*.c)
IT_BIN = $(IT_SRC:%.c=$(BUILD)/%)
IT_LIB = $(BUILD)/tests/integration/harness.o
# Fuzzing always builds with clang, coverage-guided, under ASan + UBSan, in its own directory.
FUZZ_DIR = build/fuzz
FUZZ_CC = clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS = $(BASE_CFLAGS) -O1 -g $(FUZZ_SAN)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)

.PHONY: all build run test unit integration e2e scan compose fuzz bench clean assets
.DELETE_ON_ERROR:

# Public targets install what is missing first, then re-enter make so that pkg-config sees the
# freshly installed libraries.
all: build/.deps-build
	@$(MAKE) --no-print-directory build

build: $(BUILD)/portal assets

# --- set-up: Debian packages, deb-src and CivetWeb's source ---------------------------------
build/.deps-build build/.deps-run build/.deps-test build/.deps-bench: backend/setup/deps.sh backend/setup/deb-src.sh
	bash backend/setup/deps.sh $(patsubst build/.deps-%,%,$@)
	@mkdir -p build && touch $@

$(CIVETWEB_DIR)/src/civetweb.c: | build/.deps-build
	bash backend/setup/civetweb.sh $(CIVETWEB_DIR)

$(BUILD)/civetweb.o: $(CIVETWEB_DIR)/src/civetweb.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g $(SANFLAGS) $(CIVETWEB_DEFS) -I$(CIVETWEB_DIR)/include -w -c $< -o $@

# --- the portal ----------------------------------------------------------------------------
$(BUILD)/%.o: %.c | $(BUILD)/civetweb.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/portal: $(BUILD)/backend/main.o $(LIB_OBJ)
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

include frontend/assets.mk

# --- tests ---------------------------------------------------------------------------------
$(BUILD)/tests/unit/%: tests/unit/%.c $(LIB_OBJ) | build/.deps-test
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests -o $@ $< $(LIB_OBJ) $(CHECK_LIBS) $(LDLIBS)

$(BUILD)/tests/integration/harness.o: tests/integration/harness.c | build/.deps-test $(BUILD)/civetweb.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@

$(BUILD)/tests/integration/%: tests/integration/%.c $(IT_LIB) $(LIB_OBJ) | build/.deps-test
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests -o $@ $< $(IT_LIB) $(LIB_OBJ) $(CHECK_LIBS) $(LDLIBS)

# The portal's code for the fuzzers (instrumented for coverage), as an archive: each fuzzer links
# only what its parser needs. CivetWeb is built plain.
$(FUZZ_DIR)/obj/%.o: %.c | build/.deps-test $(CIVETWEB_DIR)/src/civetweb.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/civetweb.o: $(CIVETWEB_DIR)/src/civetweb.c | build/.deps-test
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 -O1 -g $(CIVETWEB_DEFS) -I$(CIVETWEB_DIR)/include -w -c $< -o $@

$(FUZZ_DIR)/libportal.a: $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o) $(FUZZ_DIR)/civetweb.o
	rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_DIR)/libportal.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libportal.a $(LDLIBS)

fuzz: $(FUZZ_BIN) | build/.deps-test
	@bash tests/fuzz/run.sh $(FUZZ_BIN)

unit: $(UNIT_BIN)
	@bash tests/run-unit.sh $(UNIT_BIN)

integration: $(BUILD)/portal assets $(IT_BIN) | build/.deps-test
	@PORTAL_BIN=$(BUILD)/portal bash tests/run-integration.sh $(IT_BIN)

e2e: $(BUILD)/portal assets | build/.deps-test
	@PORTAL_BIN=$(BUILD)/portal bash tests/e2e/run.sh

scan: $(BUILD)/portal assets | build/.deps-test
	@PORTAL_BIN=$(BUILD)/portal bash tests/scan/run.sh

test: build/.deps-test
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory unit fuzz integration e2e scan compose

# The container deployment stays valid (docker-compose.yml read by docker-compose, no engine).
compose: | build/.deps-test
	@bash tests/compose.sh

run: build/.deps-run
	@$(MAKE) --no-print-directory build
	@bash backend/setup/run.sh $(BUILD)/portal

bench: build/.deps-bench
	@$(MAKE) --no-print-directory build
	@rc=0; bash tests/bench/run.sh $(BUILD)/portal || rc=1; \
	bash tests/bench/search.sh $(BUILD)/portal || rc=1; \
	bash tests/bench/applications.sh $(BUILD)/portal || rc=1; exit $$rc

clean:
	rm -rf build

-include $(sort $(shell find $(BUILD) $(FUZZ_DIR) -type f -name '*.d' 2>/dev/null))
