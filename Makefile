# The README's commands. `make` builds the data package, then the site; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# cffconvert validates CITATION.cff; it pins jsonschema<4 (the project pins 4.26), so it has its own small venv.
CFF_VENV := .venv-cff
CFF_STAMP := $(CFF_VENV)/.installed
CFF_REQUIREMENTS := scripts/cffconvert-requirements.txt
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

$(CFF_STAMP): $(CFF_REQUIREMENTS)
	$(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/pip install --quiet -r $(CFF_REQUIREMENTS)
	touch $(CFF_STAMP)

# The site's chart library (Chart.js), from the npm registry at the exact version and integrity package-lock.json records.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

test: $(STAMP) $(CFF_STAMP) $(NODE_STAMP)
	bash scripts/install_system_deps.sh
	$(BIN)/ruff check src tests scripts
	$(CFF_VENV)/bin/cffconvert --validate -i CITATION.cff
	$(BIN)/frictionless validate datapackage/datapackage.json
	$(BIN)/pytest
	@# every release rebuilt from its recorded commit; a shallow clone lacks those commits, and says so instead
	@if [ "$$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then \
		echo "release verify skipped: this clone is shallow (run 'git fetch --unshallow', then 'make test')"; \
	else $(BIN)/ogi release verify --all; fi

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

goldens: $(STAMP)
	$(BIN)/python scripts/regenerate_snapshots.py

bench: $(STAMP)
	$(BIN)/python scripts/bench_parse.py
	$(BIN)/python scripts/bench_build.py

clean:
	rm -rf $(VENV) $(CFF_VENV) build *.egg-info node_modules
