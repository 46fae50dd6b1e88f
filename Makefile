# Two commands: `make run` serves Federage on SQLite with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := frontend/node_modules/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/federage

.PHONY: run test test-sqlite test-postgres lint format frontend openapi bench clean

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
	$(BIN)/federage serve

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint frontend
	cd frontend && npm test --silent
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ] || $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)'.replace('/federage', '/postgres'), connect_timeout=2).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "PostgreSQL: no DATABASE_URL and no local server on 127.0.0.1:5432; skipped."; \
	fi

test-sqlite: $(INSTALLED)
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: $(INSTALLED)
	@echo "== tests on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest

openapi: $(INSTALLED)
	$(BIN)/python -c "import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'federage.settings'); django.setup(); from federage.api import api; print(json.dumps(api.get_openapi_schema(path_prefix='/api/v1'), indent=1, ensure_ascii=False, sort_keys=True))" > frontend/src/lib/api/openapi.json
	cd frontend && npm run gen:api --silent

# Benchmarks, not tests: each prints its figures and ratios and writes bench/results/*.json.
bench: $(INSTALLED) frontend
	$(BIN)/python bench/ledger_bench.py
	$(BIN)/python bench/public_bench.py
	$(BIN)/python bench/offline_flush_bench.py

clean:
	rm -rf $(VENV) var frontend/node_modules src/federage/webapp/dist
