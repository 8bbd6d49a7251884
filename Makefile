# ember3kg: build the knowledge graph and run its tests.
#
#   make run      install into .venv, build every RDF format into build/, validate, run the
#                 quality checks and the OWL reasoner, print stats
#                 and the answers to a few headline competency questions, then build the
#                 evidence site into build/site/ and print the path of its start page
#   make test     install with the test extra into .venv and run pytest: the in-process suite on two
#                 workers, then the integration tests (with Chromium for the site tests)
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

.PHONY: run test install clean java chromium

run: $(VENV)/.installed java
	$(BIN)/ember3kg build --output-dir $(BUILD_DIR)
	$(BIN)/ember3kg validate
	$(BIN)/ember3kg qc
	$(BIN)/ember3kg reason --output $(BUILD_DIR)/ember3kg-inferred.ttl
	$(BIN)/ember3kg stats
	for q in esr1m-pfs-hazard-ratios-across-trials trial-design median-pfs-by-arm-and-population statistically-significant-effects grade3-adverse-event-ratio-between-arms cns-progression-by-population-and-arm; do echo "== $$q"; $(BIN)/ember3kg query $$q || exit 1; done
	$(BIN)/ember3kg site --output-dir $(BUILD_DIR)/site

# First the default (in-process) suite on two workers, then the integration tests
# (subprocess, servers, browser) one at a time; see README "Development".
test: $(VENV)/.installed-test java chromium
	$(BIN)/python -m pytest -n 2 --dist loadgroup
	$(BIN)/python -m pytest -m "slow or server or browser"

install: $(VENV)/.installed

# The OWL reasoner (HermiT, shipped by owlready2) runs on Java: install it where it is missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	    echo "Java not found: installing default-jre-headless with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

# The site tests render every page in headless Chromium, driven by its chromedriver:
# install Debian's where they are missing.
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
	    echo "Chromium not found: installing chromium and chromium-driver with apt-get"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } \
	    || echo "could not install chromium: the browser tests will be skipped"; }

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
