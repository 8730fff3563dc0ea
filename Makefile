# powerconnect: the one-command habits. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev

.PHONY: help install jars demo test test-unit lint format docs bench clean neo4j-start neo4j-stop
# One step at a time: `pip install` rewrites .venv/bin/powerconnect while `jars` runs it.
.NOTPARALLEL:

help:
	@echo "make demo    start Neo4j locally, load the sample network, rank it"
	@echo "make test    install everything and run the whole test suite against a real Neo4j"
	@echo "make lint    ruff check, ruff format --check, mypy"
	@echo "make bench   the benchmarks in bench/ (minutes; not part of the tests)"

# What powerconnect itself needs (enough for `make demo`) ...
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

# ... and what its tests, linters and benchmarks need besides.
$(DEV): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,lint,bench]'
	touch $(DEV)

install: $(DEV)

jars: $(STAMP)
	$(BIN)/powerconnect neo4j install

demo: jars
	$(BIN)/powerconnect demo

test: jars $(DEV)
	$(BIN)/pytest

test-unit: $(DEV)
	$(BIN)/pytest tests/test_measures.py tests/test_ranking.py tests/test_settings.py

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The CLI reference is generated from --help; tests/test_docs.py fails when it is stale.
docs: $(STAMP)
	$(BIN)/python -m powerconnect.cli_reference docs/cli.md

format: $(DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

neo4j-start: jars
	$(BIN)/powerconnect neo4j start

neo4j-stop: $(STAMP)
	$(BIN)/powerconnect neo4j stop

# Benchmarks print their figures; they are not tests. Run them on a quiet machine, one at a time.
BENCHES := bench_startup bench_measures bench_quality bench_load bench_rank bench_introduce
bench: jars $(DEV)
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

bench-%: jars $(DEV)
	$(BIN)/python bench/bench_$*.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
