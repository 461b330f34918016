# ocop — the two commands that matter:  make run   and   make test
SHELL := /bin/bash
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(CURDIR)/target
OCOP_DEBUG   := $(CARGO_TARGET_DIR)/debug/ocop
OCOP_RELEASE := $(CARGO_TARGET_DIR)/release/ocop
NPM_STAMP    := frontend/node_modules/.installed
CHROMIUM     ?= /usr/bin/chromium
FUZZ_VENV    := $(CURDIR)/.venv
SCHEMATHESIS := $(FUZZ_VENV)/bin/schemathesis
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: admin-units-data help run test lint fmt fmt-check clippy test-rust test-frontend test-api-fuzz test-e2e build-frontend openapi bench fuzz clean psql-client

help:
	@echo "make run    - build the SPA and the server (release) and serve http://127.0.0.1:8080"
	@echo "make test   - every check: fmt, clippy, Rust tests on SQLite and PostgreSQL, SPA checks, browser tests"
	@echo "make openapi- regenerate openapi/openapi.json and the SPA's typed client"
	@echo "make bench  - wrk benchmarks on SQLite and PostgreSQL (results in bench/results/)"
	@echo "make fuzz   - coverage-guided fuzzing of the outside-input parsers, FUZZ_TARGET_SECONDS each (not in CI)"

# --- installs -------------------------------------------------------------------------
$(NPM_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# Python tools for the tests live in a venv of the project's own.
$(SCHEMATHESIS):
	python3 -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/pip install --quiet --disable-pip-version-check schemathesis==4.32.5

psql-client:
	@command -v psql >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql-client; }

# --- run ------------------------------------------------------------------------------
build-frontend: $(NPM_STAMP)
	cd frontend && npm run build

run: build-frontend
	cargo build --release -p ocop-server
	$(OCOP_RELEASE) serve

# --- test -----------------------------------------------------------------------------
# PostgreSQL is part of every run; OCOP_TEST_SQLITE_ONLY=true leaves it out on purpose, and
# the summary says so. An unreachable PostgreSQL without it fails the run.
OCOP_TEST_SQLITE_ONLY ?=
export OCOP_TEST_SQLITE_ONLY
TEST_DBS := $(if $(filter true,$(OCOP_TEST_SQLITE_ONLY)),sqlite,sqlite postgres)

test: lint test-rust test-frontend test-api-fuzz test-e2e
	@if [ "$(OCOP_TEST_SQLITE_ONLY)" = true ]; then \
	  echo "make test: all checks passed on SQLITE ONLY (OCOP_TEST_SQLITE_ONLY=true): PostgreSQL was NOT tested"; \
	else echo "make test: all checks passed (SQLite and PostgreSQL)"; fi

lint: fmt-check clippy

fmt:
	cargo fmt --all

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings

# API tests run each case on SQLite and on PostgreSQL (OCOP_TEST_POSTGRES_URL).
test-rust:
	cargo test --workspace

test-frontend: $(NPM_STAMP)
	cd frontend && npm run check:api && npm run typecheck && npm test && npm run build

# Property-based fuzzing of the served OpenAPI (schemathesis), as the admin and as a
# producer, on both databases; FUZZ_SECONDS (45) each.
test-api-fuzz: $(SCHEMATHESIS) psql-client
	cargo build -p ocop-server
	for db in $(TEST_DBS); do for role in admin producer; do \
	  OCOP_BIN=$(OCOP_DEBUG) SCHEMATHESIS=$(SCHEMATHESIS) bash tools/api-fuzz.sh $$db $$role || exit 1; \
	done; done

test-e2e: $(NPM_STAMP) $(CHROMIUM) psql-client build-frontend
	cargo build -p ocop-server
	for db in $(TEST_DBS); do (cd frontend && OCOP_BIN=$(OCOP_DEBUG) E2E_DB=$$db npx playwright test) || exit 1; done

# --- docs and benchmarks --------------------------------------------------------------
openapi: $(NPM_STAMP)
	cargo build -p ocop-server
	$(OCOP_DEBUG) openapi > openapi/openapi.json
	cd frontend && npm run gen:api

bench: build-frontend
	cargo build --release -p ocop-server
	OCOP_BIN=$(OCOP_RELEASE) bash bench/run.sh

# Vietnam's official administrative units, refreshed from PyPI packages into reference/admin-units/
# (a developer's step, not part of build or run; see reference/admin-units/SOURCE.md).
ADMIN_UNITS_VENV := $(CURDIR)/.venv-admin-units
admin-units-data:
	python3 -m venv $(ADMIN_UNITS_VENV)
	$(ADMIN_UNITS_VENV)/bin/pip install --quiet --disable-pip-version-check vietnamadminunits==1.0.4 vietnam-provinces==2025.10.1
	$(ADMIN_UNITS_VENV)/bin/python tools/admin-units/build.py

# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of the parsers that take outside input;
# its own target directory, since it builds with other flags. Findings go to fuzz/artifacts/.
FUZZ_TARGET_SECONDS ?= 60
fuzz:
	command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	for t in epcis_document geometry identifiers workbook; do \
	  CARGO_TARGET_DIR=$(CURDIR)/fuzz/target cargo fuzz run --sanitizer none $$t -- -max_total_time=$(FUZZ_TARGET_SECONDS) || exit 1; \
	done

clean:
	cargo clean
	rm -rf frontend/dist frontend/node_modules $(FUZZ_VENV)
