# Task runner. `make site` and `make test` are the two commands a fresh clone needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check lint format typecheck pytest serve validate bench clean

site: $(STAMP) ## set up and build the searchable site from data/ into site/
	$(BIN)/almanac validate --quiet
	$(BIN)/almanac build

test: $(STAMP) check pytest ## set up, lint, type-check and run every test

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench

format: $(STAMP)
	$(BIN)/ruff format generator tests bench
	$(BIN)/ruff check --fix generator tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

serve: $(STAMP) ## preview with live reload and search
	$(BIN)/almanac serve

validate: $(STAMP)
	$(BIN)/almanac validate

bench: $(STAMP) ## the scale benchmark (not part of the tests)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf site .almanac-build .pytest_cache .mypy_cache .ruff_cache
