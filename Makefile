# bookbuild: `make setup && make` builds the book in manuscript/; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANUSCRIPT ?= manuscript
DIST ?= dist
BOOKBUILD := $(BIN)/bookbuild

.DEFAULT_GOAL := all
.PHONY: help setup all epub pdf review check test test-fast lint fuzz bench bench-quick golden clean linecounts

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "bookbuild needs Python 3.11 or newer; '$(PYTHON)' is not: run make setup PYTHON=python3.11 (or newer)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

setup: $(BIN)/python ## Install system parts (Java, Pango), a .venv and bookbuild with its dev tools
	bash scripts/setup-system.sh
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@$(BOOKBUILD) --version

all: ## Build the EPUB and the PDF of $(MANUSCRIPT) into $(DIST)/
	$(BOOKBUILD) build $(MANUSCRIPT) -o $(DIST)

epub: ## Build only the EPUB
	$(BOOKBUILD) build $(MANUSCRIPT) -o $(DIST) --format epub

pdf: ## Build only the PDF
	$(BOOKBUILD) build $(MANUSCRIPT) -o $(DIST) --format pdf

review: ## Review the likely scene breaks of $(MANUSCRIPT) on the terminal (answers go to its book.toml)
	$(BOOKBUILD) review $(MANUSCRIPT)

check: ## Run EPUBCheck and Ace by DAISY on every EPUB in $(DIST)/ (errors / warnings / violations)
	@ls $(DIST)/*.epub >/dev/null 2>&1 || { echo "no EPUB in $(DIST)/: run make first" >&2; exit 1; }
	@status=0; \
	$(BIN)/python -m bookbuild.checks $(DIST)/*.epub || status=1; \
	bash scripts/ace.sh $(DIST)/*.epub || status=1; \
	exit $$status

test: ## Run the whole test suite
	$(BIN)/python -m pytest -q -n 2

lint: ## Lint with ruff
	$(BIN)/ruff check bookbuild tests scripts bench

linecounts: ## Module sizes, largest first
	@wc -l bookbuild/*.py bookbuild/*/*.py | sort -rn | head -20

clean: ## Remove build outputs and caches
	rm -rf $(DIST) .pytest_cache .ruff_cache .hypothesis .bookbuild-cache

.PHONY: train-breaks eval-breaks break-rate
train-breaks: ## Retrain the scene-break scorer (bookbuild/breaks/model.json) on ../shared/eval/train
	@$(BIN)/python -c "import numpy" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python scripts/train_breaks.py

break-rate: ## Measure the training works' scene breaks per 1,000 words (bookbuild/breaks/break_rate.json)
	$(BIN)/python scripts/break_rate.py

eval-breaks: ## Train on ../shared/eval/train, then report scene-break figures on ../shared/eval/dev
	@$(BIN)/python -c "import numpy" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python scripts/eval_breaks.py

bench: ## Benchmark against the pandoc + WeasyPrint anchor, real manuscript to 1M words (minutes); writes bench/RESULTS.md
	bash scripts/setup-system.sh --bench
	$(BIN)/python -m bench.run

bench-quick: ## The benchmark without the million-word PDF
	bash scripts/setup-system.sh --bench
	$(BIN)/python -m bench.run --quick

FUZZ_EXAMPLES ?= 5000
FUZZ_EPUBCHECK ?= 20
FUZZ_PDF ?= 300
fuzz: ## Long fuzz campaign: FUZZ_EXAMPLES manuscripts as EPUB, FUZZ_PDF as PDF, FUZZ_EPUBCHECK books through EPUBCheck
	BOOKBUILD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) BOOKBUILD_FUZZ_EPUBCHECK=$(FUZZ_EPUBCHECK) BOOKBUILD_FUZZ_PDF=$(FUZZ_PDF) \
		$(BIN)/python -m pytest -q -n 2 --dist worksteal tests/test_fuzz.py
