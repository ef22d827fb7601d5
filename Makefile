# The README's commands. `make` builds the data package, then the site; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint goldens bench clean

build: $(STAMP)
	$(BIN)/python -m ogi.package.fields >/dev/null
	$(BIN)/ogi build
	$(BIN)/ogi site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
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
	rm -rf $(VENV) build *.egg-info
