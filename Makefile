# cleannet-eval task runner. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAW ?= data/raw
PROCESSED ?= data/processed
FORMAT ?= html

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

.PHONY: setup
setup: $(STAMP) ## create .venv (if missing) and install the package with test and dev extras

.PHONY: ingest
ingest: setup ## validate data/raw and rebuild data/processed
	$(BIN)/cleannet-eval ingest --raw $(RAW) --out $(PROCESSED)

.PHONY: report
report: setup ## set up, then build the reports from the demo data (FORMAT=html,pdf,docx for print and Word)
	$(BIN)/cleannet-eval report --raw $(RAW) --processed $(PROCESSED) --out reports --by unit --format $(FORMAT)
	@echo "open reports/index.html"

.PHONY: summary
summary: setup ## print the headline figures as JSON
	$(BIN)/cleannet-eval summary --raw $(RAW) --json

.PHONY: demo
demo: setup ## regenerate the committed demo spreadsheets in data/raw (deterministic)
	$(BIN)/cleannet-eval demo --out $(RAW)

.PHONY: chromium
chromium: ## Debian's chromium for the browser tests (apt-get as root, else says what to install)
	@bash scripts/ensure-chromium.sh

.PHONY: libreoffice
libreoffice: ## Debian's LibreOffice Writer for the dossier's PDF (apt-get as root, else says what to install)
	@bash scripts/ensure-libreoffice.sh

.PHONY: poppler
poppler: ## Debian's poppler-utils for the PDF tests (apt-get as root, else says what to install)
	@bash scripts/ensure-poppler.sh

.PHONY: test
test: setup chromium libreoffice poppler ## set up, then run every test (browser, PDF and Word tests included)
	$(BIN)/python -m pytest

.PHONY: lint
lint: setup ## ruff
	$(BIN)/ruff check cleannet_eval tests bench notebooks scripts

.PHONY: lab
lab: setup ## start JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks

.PHONY: bench
bench: setup ## run the benchmarks in bench/ (results in bench/results/)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

.PHONY: clean
clean: ## remove rebuilt outputs (data/processed, reports)
	find $(PROCESSED) reports -mindepth 1 ! -name .gitkeep -delete
