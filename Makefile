# The README's commands. `make` builds the data package, then the site; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: build test lint goldens bench clean

build: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m ogi.package.fields >/dev/null
	$(BIN)/ogi build
	$(BIN)/ogi site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The site's chart library (Chart.js), from the npm registry at the exact version and integrity package-lock.json records.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

test: $(STAMP) $(NODE_STAMP)
	bash scripts/install_system_deps.sh
	$(BIN)/ruff check src tests scripts
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

goldens: $(STAMP)
	$(BIN)/python scripts/regenerate_snapshots.py

bench: $(STAMP)
	$(BIN)/python scripts/bench_parse.py
	$(BIN)/python scripts/bench_build.py

clean:
	rm -rf $(VENV) build *.egg-info node_modules
