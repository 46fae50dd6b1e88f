# Two commands: `make run` serves Federage (and its worker) on SQLite with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := frontend/node_modules/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/federage

.PHONY: run test test-both test-sqlite test-postgres test-dates lint format frontend openapi bench screens clean cog

$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $@

$(NODE_INSTALLED): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: $(NODE_INSTALLED)
	cd frontend && npm run build --silent

run: $(INSTALLED) frontend
	$(BIN)/federage migrate --no-input -v0
	$(BIN)/federage demo --if-empty
	$(BIN)/federage serve  # starts `federage worker` beside it; Ctrl-C stops both

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint frontend
	cd frontend && npm run check --silent -- --threshold error && npm test --silent
	@if [ -n "$$DATABASE_URL" ] || $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)'.replace('/federage', '/postgres'), connect_timeout=2).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-both; \
	else \
		$(MAKE) --no-print-directory test-sqlite; \
		echo "PostgreSQL: no DATABASE_URL and no local server on 127.0.0.1:5432; skipped."; \
	fi

# SQLite and PostgreSQL side by side: each run is one pytest process (plus the database server),
# so on two cores they take little more than the longer one alone. Each line says its database;
# both runs finish before the verdict, and either one failing fails it.
test-both: $(INSTALLED)
	@set -o pipefail; \
	( $(MAKE) --no-print-directory test-sqlite 2>&1 | sed -u 's/^/[sqlite] /' ) & sqlite=$$!; \
	( $(MAKE) --no-print-directory test-postgres 2>&1 | sed -u 's/^/[postgres] /' ); postgres=$$?; \
	wait $$sqlite; sqlite=$$?; \
	echo "SQLite: $$([ $$sqlite -eq 0 ] && echo passed || echo FAILED); PostgreSQL: $$([ $$postgres -eq 0 ] && echo passed || echo FAILED)"; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]

test-sqlite: $(INSTALLED)
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: $(INSTALLED)
	@echo "== tests on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest

# The apps whose rules turn on dates, with the system clock moved by libfaketime (SQLite only):
# 23:30 in Paris on 31 December, 00:30 on 1 January (UTC still in the old year), 01:30, and a
# leap day. The instants are UTC.
# Monotonic time stays real: faked, it makes timed waits (threads, locks) hang for ever; real,
# libfaketime 0.9.10 turns Python 3.11's time.sleep into EINVAL (libfaketime issue #426), so
# these tests must not sleep. `timeout` ends a run that hangs all the same.
DATE_SENSITIVE_TESTS := src/federage/ledger src/federage/titles src/federage/governance src/federage/contributions
FAKED_MOMENTS ?= 2026-12-31T22:30:00 2026-12-31T23:30:00 2027-01-01T00:30:00 2028-02-29T10:00:00

# The moments run side by side (one pytest each, lines prefixed by their moment); any failing fails.
test-dates: $(INSTALLED)
	@set -o pipefail; pids=(); \
	for moment in $(FAKED_MOMENTS); do \
		( TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 timeout 900 \
			faketime -f "@$${moment%T*} $${moment#*T}" env -u DATABASE_URL TZ=UTC \
			$(BIN)/pytest $(DATE_SENSITIVE_TESTS) 2>&1 | sed -u "s/^/[$$moment] /" ) & pids+=($$!); \
	done; \
	failed=0; for pid in "$${pids[@]}"; do wait $$pid || failed=1; done; \
	[ $$failed -eq 0 ] && echo "Every faked moment passed." || { echo "A faked moment FAILED (see its lines)."; exit 1; }

openapi: $(INSTALLED)
	$(BIN)/python -c "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'federage.settings'); django.setup(); from federage.api import api; print(json.dumps(api.get_openapi_schema(path_prefix='/api/v1'), indent=1, ensure_ascii=False, sort_keys=True))" > frontend/src/lib/api/openapi.json
	cd frontend && npm run gen:api --silent

# Rebuilds the committed COG territories (impact/data/cog-2026.json.gz) from the npm package
# @etalab/decoupage-administratif pinned in frontend/package.json.
cog: $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/python scripts/build_cog.py

# Photographs every screen (demo data, logged in and anonymous) at 360 px and 1280 px into
# var/screens/, walking them as tests/e2e/test_screens.py does, whose checks (axe-core, sideways
# scrolling, English on French screens) run too: it fails after the photographs if one does not hold.
screens: $(INSTALLED) frontend
	rm -f var/screens/*.png
	FEDERAGE_SCREENS=$(CURDIR)/var/screens env -u DATABASE_URL $(BIN)/pytest -p no:warnings tests/e2e/test_screens.py
	@echo "Photographs: var/screens/"

# Benchmarks, not tests: each prints its figures and ratios and writes bench/results/*.json.
bench: $(INSTALLED) frontend
	$(BIN)/python bench/ledger_bench.py
	$(BIN)/python bench/public_bench.py
	$(BIN)/python bench/offline_flush_bench.py

# 50 clients of mixed traffic for 60 s against PostgreSQL (database federage_load, made afresh)
# and 4 uvicorn workers, then `federage verify`: bench/results/load.json. Not part of `make test`.
load: $(INSTALLED)
	$(BIN)/python bench/load.py

# Known vulnerabilities of requirements.lock's pins (pip-audit, PyPI's advisories) and of the
# front end's npm tree (npm audit, high and critical): fails on any. A source that does not answer
# is reported NOT AUDITED, and fails too with AUDIT_STRICT=1. Called by .ci/run, not `make test`.
audit: $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/python tests/security/audit.py

clean:
	rm -rf $(VENV) var frontend/node_modules src/federage/webapp/dist
