# ember3kg: build the knowledge graph and run its tests.
#
#   make run      install into .venv, build every RDF format into build/, print stats
#   make test     install with the test extra into .venv and run pytest
#   make install  (re)install the package into .venv (non-editable)
#   make clean    remove .venv, build/ and caches
#
# The package is always installed non-editable: the ontology/, graph/, shapes/ and
# queries/ folders ship inside it, which an editable install does not map.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD_DIR := build
# What the installed package is made of: a change to any of it reinstalls.
SOURCES := pyproject.toml $(shell find src ontology graph shapes queries -type f -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: run test install clean

run: $(VENV)/.installed
	$(BIN)/ember3kg build --output-dir $(BUILD_DIR)
	$(BIN)/ember3kg stats

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip always rebuilds and reinstalls a local directory, so the stamp decides when.
$(VENV)/.installed: $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet .
	touch $@

$(VENV)/.installed-test: $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet '.[test]'
	touch $@

clean:
	rm -rf $(VENV) $(BUILD_DIR) .pytest_cache .ruff_cache src/*.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
