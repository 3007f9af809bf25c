# The two quick-start commands (`make demo`, `make test`) each build their own environment.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)  ## crawl the bundled sample site into ./data/aggregator.db and show what was stored
	$(BIN)/aggregator demo

test: $(STAMP)  ## the whole test suite (PostgreSQL tests skip locally when no server is reachable)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check aggregator spiders tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
