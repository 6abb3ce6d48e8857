# Two commands on a fresh machine:  make run  (the platform, real data)  and  make test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL := postgresql://czt:czt@127.0.0.1:5432/czt
# the suites that touch the database run a second time on PostgreSQL
DB_TESTS := tests/store tests/ingest tests/monitoring tests/test_data_cli.py tests/test_api.py \
	tests/web

.PHONY: setup run test lint bench clean

$(BIN)/czt: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 / Python 3.11 is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

node_modules/echarts/package.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

setup: $(BIN)/czt node_modules/echarts/package.json

run: setup
	$(BIN)/czt init
	$(BIN)/czt demo-admin
	$(BIN)/czt serve

lint: $(BIN)/czt
	$(BIN)/ruff check src tests benchmarks

test: setup lint
	bash scripts/postgres-up.sh
	bash scripts/browser-up.sh
	$(BIN)/python -m pytest -q
	CZT_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q $(DB_TESTS)

bench: setup
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/composite.py

clean:
	rm -rf $(VENV) var node_modules
