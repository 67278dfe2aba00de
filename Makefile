# `make demo` and `make test` work on a fresh machine: they create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo/storyline-demo.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast install lint typecheck bench clean-demo

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,e5,spark]'
	touch $(STAMP)

install: $(STAMP)

# Exit code 3 from ingest means "some files failed, the rest went in": the demo goes on.
demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@echo "== Ingesting the demo corpus (demo/corpus: fiction written for storyline) into $(DEMO_DB)"
	$(BIN)/storyline --db $(DEMO_DB) ingest demo/corpus || test $$? -eq 3
	@echo "== Events found"
	$(BIN)/storyline --db $(DEMO_DB) events
	@echo "== Storylines linking events over time"
	$(BIN)/storyline --db $(DEMO_DB) storylines
	@echo "== Web UI and REST API: open http://$(HOST):$(PORT)/  (API docs at /docs; Ctrl-C to stop)"
	$(BIN)/storyline --db $(DEMO_DB) serve --host $(HOST) --port $(PORT)

# Everything: lint, types, then every test (slow ones included).
test: lint typecheck
	$(BIN)/python -m pytest -n 2 -q tests

# The inner loop: lint, types and the tests not marked slow (no benchmarks, Spark, browser or
# subprocesses; tests/conftest.py says which are slow).
test-fast: lint typecheck
	$(BIN)/python -m pytest -n 2 -q -m "not slow" tests

lint: $(STAMP)
	$(BIN)/ruff check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

clean-demo:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
