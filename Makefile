# ember3kg: build the knowledge graph and run its tests.
#
#   make run      install into .venv, build every RDF format into build/, validate, run the
#                 quality checks and the OWL reasoner, compute stats and answer a few headline
#                 competency questions (each report kept in build/reports/), build the evidence
#                 site into build/site/, then print the reports and the path of the site's start page.
#                 Each step is a file target: a second run redoes only the steps whose inputs
#                 (the data folders, the package's code, the install) changed since.
#   make reports  the steps of make run but the site; make site: the site alone
#   make test     install with the dev extra into .venv, run ruff check, ruff format --check and
#                 mypy, then pytest: the in-process suite on two workers, then the integration tests
#                 (with Chromium for the site tests, Virtuoso for the store tests, Jena and the OWL API)
#   make lint     only the checks: ruff check, ruff format --check, mypy
#   make install  (re)install the package into .venv, editable
#   make benchmark  generate synthetic trials (10k, 100k, 1M triples) and time every command
#                 next to its fastest peer into build/benchmark.md (about an hour; see docs/benchmarks.md)
#   make clean    remove .venv, build/ and caches
#
# The install is editable: setuptools maps the package and its data folders (ontology/,
# graph/, shapes/, queries/, each a package with an __init__.py) to this checkout, so a
# change to src/ or to the data needs no reinstall; only pyproject.toml does. The wheel
# (pip install .) ships the same folders inside the package; tests/test_install.py checks it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD_DIR := build
# An editable install reads src/ and the data folders in place: only the metadata reinstalls.
SOURCES := pyproject.toml

.PHONY: run reports site test lint install clean java chromium virtuoso owlapi jena metafor benchmark axe

# What every step reads: the data folders and the package (code, templates, mappings).
INPUTS := $(shell find ontology graph shapes queries src/ember3kg -type f -not -name '*.pyc' -not -path '*/__pycache__/*' 2>/dev/null)
REPORTS := $(BUILD_DIR)/reports
HEADLINE_QUESTIONS := esr1m-pfs-hazard-ratios-across-trials trial-design median-pfs-by-arm-and-population \
	effects-and-their-significance grade3-adverse-event-ratio-between-arms cns-progression-by-population-and-arm
RUN_REPORTS := $(addprefix $(REPORTS)/,validate.txt qc.txt reason.txt stats.txt answers.txt)

# The steps run in parallel, as many as the machine has cores (HermiT's Java beside the
# Python steps); each step's output is printed as one block.
JOBS ?= $(shell nproc 2>/dev/null || echo 1)

run: $(VENV)/.installed
	@$(MAKE) --no-print-directory --jobs=$(JOBS) --output-sync=target reports site
	@for report in $(RUN_REPORTS); do echo "== $$report"; cat "$$report"; done
	@echo "== site: $(BUILD_DIR)/site/index.html"

# What `ember3kg build` writes: every format, then the description of the dumps.
BUILT := $(addprefix $(BUILD_DIR)/ember3kg,.ttl .nt .nq .trig .jsonld .rdf .void.ttl)
INFERRED := $(BUILD_DIR)/ember3kg-inferred.ttl

# Every step of `make run` but the site; the reasoner, the longest, starts first.
reports: $(REPORTS)/reason.txt $(INFERRED) $(BUILT) $(RUN_REPORTS)
	@:

# $(call report,FILE,COMMAND): run `ember3kg COMMAND` into FILE, kept only when it succeeds;
# on failure the output is shown and removed, so the next run repeats the step.
define report
	@mkdir -p $(dir $(1))
	$(BIN)/ember3kg $(2) > $(1).partial || { cat $(1).partial; rm -f $(1).partial; exit 1; }
	@mv $(1).partial $(1)
endef

# Grouped targets (&:): one run of the command makes them all, and a missing one remakes them.
$(BUILT) &: $(INPUTS) $(VENV)/.installed
	$(BIN)/ember3kg build --output-dir $(BUILD_DIR)

$(REPORTS)/validate.txt: $(INPUTS) $(VENV)/.installed
	$(call report,$@,validate)

$(REPORTS)/qc.txt: $(INPUTS) $(VENV)/.installed
	$(call report,$@,qc)

$(REPORTS)/reason.txt $(INFERRED) &: $(INPUTS) $(VENV)/.installed | java
	$(call report,$(REPORTS)/reason.txt,reason --output $(INFERRED))

$(REPORTS)/stats.txt: $(INPUTS) $(VENV)/.installed
	$(call report,$@,stats)

# One process answers them all, each table under `== NAME`.
$(REPORTS)/answers.txt: $(INPUTS) $(VENV)/.installed
	$(call report,$@,query $(HEADLINE_QUESTIONS))

site: $(BUILD_DIR)/site/index.html
	@:

$(BUILD_DIR)/site/index.html: $(INPUTS) $(VENV)/.installed
	$(BIN)/ember3kg site --output-dir $(BUILD_DIR)/site > /dev/null

# First the default (in-process) suite on two workers, then the integration tests
# (subprocess, Java, servers, browser), also on two workers; see README "Development".
# Coverage of src/ember3kg is measured in the integration run only (in the default run it
# cost about half again its time), in the test processes, not in the CLI subprocesses: the
# total in the terminal, every line in $(BUILD_DIR)/coverage.xml.
test: lint java chromium virtuoso owlapi jena metafor axe
	$(BIN)/python -m pytest -n 2 --dist loadgroup
	$(BIN)/python -m pytest -n 2 --dist loadgroup -m "slow or server or browser or java" --cov \
	    --cov-report=term:skip-covered --cov-report=xml:$(BUILD_DIR)/coverage.xml

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/ruff format --check src tests tools benchmarks
	$(BIN)/mypy

install: $(VENV)/.installed

# The install targets below share one `apt-get update` per make invocation (on a fresh machine
# each of them installs something): the token names this invocation, and a sub-make inherits it;
# the stamp holds the token of the invocation that last updated. Each target still works alone.
ifndef EMBER3KG_APT_TOKEN
EMBER3KG_APT_TOKEN := $(shell date +%s%N)-$(shell echo $$PPID)
endif
export EMBER3KG_APT_TOKEN
APT_STAMP := $(BUILD_DIR)/.apt-updated
APT_INSTALL = { test "$$(cat $(APT_STAMP) 2>/dev/null)" = "$(EMBER3KG_APT_TOKEN)" || { apt-get update -qq \
	&& mkdir -p $(BUILD_DIR) && echo "$(EMBER3KG_APT_TOKEN)" > $(APT_STAMP); }; } \
	&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

# The OWL reasoner (HermiT, shipped by owlready2) runs on Java: install it where it is missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	    echo "Java not found: installing default-jre-headless with apt-get"; \
	    $(APT_INSTALL) default-jre-headless; }

# The OWL 2 DL profile tests run the OWL API's profile checker (tools/OwlProfileCheck.java)
# with Java's source-file launcher, which needs a JDK: install Debian's where missing.
owlapi: java
	@test -f /usr/share/java/owlapi-distribution.jar && java --list-modules 2>/dev/null | grep -q jdk.compiler || { \
	    echo "OWL API or JDK not found: installing libowlapi-java and default-jdk-headless with apt-get"; \
	    { $(APT_INSTALL) libowlapi-java default-jdk-headless; } \
	    || echo "could not install the OWL API: the OWL 2 DL profile tests will be skipped"; }

# Jena's SHACL validator (`ember3kg validate --engine jena`, chosen by size): Debian's package,
# plus a class path and a jar of its message bundles that its 4.5.0 needs (ember3kg.checks.jena_shacl).
jena: $(VENV)/share/ember3kg/jena/classpath

$(VENV)/share/ember3kg/jena/classpath: $(VENV)/.installed java
	@dpkg -s libapache-jena-java >/dev/null 2>&1 || { \
	    echo "Jena not found: installing libapache-jena-java with apt-get"; \
	    $(APT_INSTALL) libapache-jena-java; }
	$(BIN)/python -m ember3kg.checks.jena_shacl

BENCHMARK_SIZES ?= 10000 100000 1000000
benchmark: $(VENV)/.installed jena
	$(BIN)/python -m pip install --quiet --editable '.[benchmark]'
	$(BIN)/python benchmarks/scale_bench.py --sizes $(BENCHMARK_SIZES) --output $(BUILD_DIR)/benchmark.md

# The site tests render every page in headless Chromium, driven by its chromedriver:
# install Debian's where they are missing.
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
	    echo "Chromium not found: installing chromium and chromium-driver with apt-get"; \
	    { $(APT_INSTALL) chromium chromium-driver; } \
	    || echo "could not install chromium: the browser tests will be skipped"; }

# The pooling tests compare every pooled figure with R metafor's (tests/data/pooling/metafor-reference.R):
# install Debian's R and metafor where they are missing.
metafor:
	@Rscript -e 'library(metafor)' >/dev/null 2>&1 || { \
	    echo "R metafor not found: installing r-cran-metafor with apt-get"; \
	    { $(APT_INSTALL) r-cran-metafor; } \
	    || echo "could not install r-cran-metafor: the metafor comparison tests will be skipped"; }

# The site's accessibility test injects axe-core (from npm, pinned) into every page it loads in
# Chromium; it lives in a project-local folder, never installed globally.
AXE_VERSION := 4.14.1
AXE := $(BUILD_DIR)/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE):
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: the accessibility tests will be skipped"; exit 0; }; \
	    npm install --silent --no-audit --no-fund --prefix $(BUILD_DIR)/axe axe-core@$(AXE_VERSION) \
	    || echo "could not install axe-core: the accessibility tests will be skipped"

# A second SPARQL store for the tests, Debian's Virtuoso Open Source (the tests start their
# own server on free 127.0.0.1 ports): install it where it is missing.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	    echo "Virtuoso not found: installing virtuoso-opensource with apt-get"; \
	    { $(APT_INSTALL) virtuoso-opensource; } \
	    || echo "could not install virtuoso-opensource: the Virtuoso tests will be skipped"; }

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip always rebuilds and reinstalls a local directory, so the stamp decides when.
$(VENV)/.installed: $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet --editable .
	touch $@

$(VENV)/.installed-test: $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet --editable '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) $(BUILD_DIR) .pytest_cache .ruff_cache .mypy_cache .coverage .coverage.* src/*.egg-info
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
