# Two commands on a fresh machine:  `make book`  then  `make test`.
# Everything runs inside .venv, created and filled from requirements.txt on first use.

VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTHON ?= python3

# The offline MNIST copy beside the project (developer machines and CI); readers download.
SHARED_MNIST := $(wildcard ../shared/data/mnist)
ifneq ($(SHARED_MNIST),)
export NN_DATA_DIR ?= $(abspath $(SHARED_MNIST))
endif

# The offline copy of Pyodide for the live book; without it the build downloads the release.
SHARED_PYODIDE := $(wildcard ../shared/pyodide/0.27.7)
ifneq ($(SHARED_PYODIDE),)
export NN_PYODIDE_DIR ?= $(abspath $(SHARED_PYODIDE))
endif

PORT ?= 8000

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

.PHONY: book serve test unit lint lab execute clean help

help:
	@echo "make book     build the web book into _build/html (creates .venv on first use)"
	@echo "make serve    serve the built book on http://127.0.0.1:$(PORT)/ (the live chapters need http)"
	@echo "make test     run the whole suite: unit tests, every notebook under nbval, the browser test"
	@echo "make unit     only the unit tests in tests/ (fast)"
	@echo "make lint     ruff on src, tests, benchmarks and the notebooks (part of make test)"
	@echo "make lab      open the chapters in JupyterLab"
	@echo "make execute  re-execute every chapter in place (after editing one)"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -r requirements.txt
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at $(abspath _build/html/index.html)"

# JupyterLite cannot run from file:// (service worker, module loading): serve the site locally.
serve:
	@test -f _build/html/index.html || $(MAKE) --no-print-directory book
	@echo "Open http://127.0.0.1:$(PORT)/ (Ctrl-C stops the server)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# Two pytest workers on a 2-core machine: one BLAS thread each, or they fight over the cores.
test: lint book
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks book/_ext

unit: $(STAMP)
	$(BIN)/pytest tests -n 2

# The chapters are trusted first, so that their saved widgets show as widgets (not as
# "VBox(children=...)") before a cell is run.
lab: $(STAMP)
	$(BIN)/jupyter trust $(NOTEBOOKS)
	$(BIN)/jupyter lab notebooks/

execute: $(STAMP)
	@for nb in $(NOTEBOOKS); do \
	  echo "executing $$nb"; \
	  OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=600 \
	    --ExecutePreprocessor.store_widget_state=True "$$nb" || exit 1; \
	done

clean:
	rm -rf _build .pytest_cache .hypothesis
