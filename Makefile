# `make demo` and `make test` work on a fresh machine: they create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo/storyline-demo.db
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint bench clean-demo

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

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q tests

lint: $(STAMP)
	$(BIN)/ruff check src tests

clean-demo:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
