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

# The offline copy of the live book's Pyodide release (book/_ext/pyodide_dist.py names it);
# without it the build downloads the release.
PYODIDE_VERSION := $(shell $(PYTHON) book/_ext/pyodide_dist.py version)
SHARED_PYODIDE  := $(if $(PYODIDE_VERSION),$(wildcard ../shared/pyodide/$(PYODIDE_VERSION)))
ifneq ($(SHARED_PYODIDE),)
export NN_PYODIDE_DIR ?= $(abspath $(SHARED_PYODIDE))
endif

PORT ?= 8000

# The chapters (book/_ext/chapters.py says which notebooks are chapters).
NOTEBOOKS := $(shell $(PYTHON) book/_ext/chapters.py)

# The translated editions (book/_ext/editions.py, one entry each; zh_CN): each is built from the
# same sources through locales/<language>/LC_MESSAGES/*.po by `make book-<language>`.
TRANSLATIONS := $(shell $(PYTHON) book/_ext/editions.py codes)
GETTEXT      := _build/gettext

.PHONY: book book-en $(TRANSLATIONS:%=book-%) executed catalogs serve test unit lint lab \
        lab-source execute clean help

help:
	@echo "make book     build every edition: English in _build/html, the others in _build/html/<language>"
	@echo "make book-en  build only the English edition (with the live site)"
	@$(foreach code,$(TRANSLATIONS),echo "make book-$(code)  build only the $(code) edition (after book-en; executes the chapters in $(code))";)
	@echo "make catalogs update locales/<language>/LC_MESSAGES/*.po after the English text changed"
	@echo "make serve    serve the built book on http://127.0.0.1:$(PORT)/ (the live chapters need http)"
	@echo "make test     the whole suite on the built book (built first if a source changed):"
	@echo "              tests/ and every notebook under nbval, then the browser tests alone"
	@echo "make unit     only what needs neither the build nor a browser: tests/unit, widgets, book"
	@echo "make lint     ruff on src, tests, benchmarks and the notebooks (part of make test)"
	@echo "make lab      open reader copies of the chapters in JupyterLab (lab/, 中文 in lab/zh_CN/)"
	@echo "make lab-source  open notebooks/ themselves in JupyterLab, to edit the book"
	@echo "make execute  re-execute every chapter in place (after editing one)"
	@echo "make clean    delete the built book (_build) and the test caches; .venv stays"

# nn is installed editable (-e .): the environment reads src/ itself. Setuptools leaves the
# metadata it wrote for that install in src/nn.egg-info, which nothing reads (the installed copy
# is in the environment), so it goes: the build leaves no files in the source tree.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -r requirements.txt
	rm -rf src/nn.egg-info
	touch $@

book: book-en $(TRANSLATIONS:%=book-%)
	@touch $(BUILT)
	@echo "The book is at $(abspath _build/html/index.html)"
	@$(foreach code,$(TRANSLATIONS),echo "$(code): $(abspath _build/html/$(code)/index.html)";)

book-en: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

# A translated edition, built into its own work folder _build/<language> (its own doctrees),
# then moved beside the English pages; it links to the live site the English build made
# (_build/html/lite). Its figures and widgets come from copies of the chapters executed with
# NN_LANG=<language> (nn draws them in that language), two at a time, again only when a chapter
# or nn changed; never committed.
$(TRANSLATIONS:%=book-%): book-%: $(STAMP)
	$(MAKE) --no-print-directory -j2 executed EDITION=$*
	$(BIN)/python book/_ext/editions.py config $* _build/$*/_config.yml
	$(BIN)/jupyter-book build . --config _build/$*/_config.yml --path-output _build/$* \
	  -W -n --keep-going
	rm -rf _build/html/$*
	mkdir -p _build/html
	cp -r _build/$*/_build/html _build/html/$*

# `make executed EDITION=<language>`: the chapters executed in that language, for its edition.
EXECUTED   := $(if $(EDITION),$(patsubst notebooks/%,_build/$(EDITION)/executed/%,$(NOTEBOOKS)))
NN_SOURCES := $(shell find src/nn -name '*.py')

executed: $(EXECUTED)
	$(if $(EDITION),,$(error make executed needs EDITION=<language>, one of: $(TRANSLATIONS)))

_build/$(EDITION)/executed/%.ipynb: notebooks/%.ipynb $(NN_SOURCES)
	@mkdir -p $(@D)
	NN_LANG=$(EDITION) OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter nbconvert --to notebook --execute \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.store_widget_state=True \
	  --output-dir $(@D) --output $(@F).tmp.ipynb $< >/dev/null 2>$@.log || (cat $@.log; exit 1)
	mv $(@D)/$(@F).tmp.ipynb $@
	rm -f $@.log

# Extract the English messages (one .pot per page) and merge them into every translation's catalogs:
# new messages arrive empty, changed ones fuzzy, removed ones are dropped. Translate, then
# `make book` (tests/book/test_translations.py fails on anything left untranslated).
catalogs: $(STAMP)
	rm -rf $(GETTEXT)
	$(BIN)/jupyter-book build . --builder custom --custom-builder gettext --path-output $(GETTEXT)
	$(BIN)/sphinx-intl update -p $(GETTEXT)/_build/gettext $(TRANSLATIONS:%=-l %) -d locales -w 0 \
	  --no-obsolete

# JupyterLite cannot run from file:// (service worker, module loading): serve the site locally.
serve:
	@test -f _build/html/index.html || $(MAKE) --no-print-directory book
	@echo "Open http://127.0.0.1:$(PORT)/ (Ctrl-C stops the server)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# The tests by folder (CONTRIBUTING.md): tests/unit, tests/widgets and tests/book need neither the
# built book nor a browser; tests/build reads _build; tests/browser drives headless Chromium.
UNIT_TESTS := tests/unit tests/widgets tests/book
# One BLAS thread per process: two pytest workers on a 2-core machine would fight over the cores.
PYTEST := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/pytest

# `make book` touches this stamp; `make test` builds the book again only when a source is newer, so
# `make book` then `make test` (CI) builds it once. NN_REQUIRE_BUILD=1: a test that needs the built
# book fails, instead of skipping, when what it reads is missing.
BUILT       := _build/.book-built
BOOK_INPUTS := $(shell find notebooks src/nn book locales -type f -not -name '*.mo' \
                 -not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*') _config.yml _toc.yml

$(BUILT): $(BOOK_INPUTS) $(STAMP)
	$(MAKE) --no-print-directory book

# Two phases: everything but the browser tests on two workers, then the browser tests alone, so
# that the times they measure (a page's first live widget, a chapter's Run All) are not taken
# while the other core executes notebooks.
test: lint $(BUILT)
	NN_REQUIRE_BUILD=1 $(PYTEST) -n 2 --dist loadfile --ignore=tests/browser
	NN_REQUIRE_BUILD=1 $(PYTEST) tests/browser

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks book/_ext

unit: $(STAMP)
	$(PYTEST) -n 2 $(UNIT_TESTS)

# The chapters are trusted first, so that their saved widgets show as widgets (not as the text
# "BookWidget(children=(...") before a cell is run. JupyterLab gets the book's default settings
# from book/_lab/labconfig (no "Jupyter news?" pop-up) through JUPYTER_CONFIG_PATH, which adds
# to your own Jupyter configuration without changing it; --allow-root only when run as root
# (containers), since JupyterLab refuses root otherwise.
LAB_ENV     := JUPYTER_CONFIG_PATH="$(abspath book/_lab)$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))"
LAB_OPTIONS := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

# Readers: JupyterLab on reader copies of the chapters in lab/ (中文 in lab/zh_CN/), made from
# notebooks/ by the live book's conversion (book/_ext/reader_notebooks.py), so numbers, citations
# and solutions read as on the web page. lab/ is the reader's (not in git, not removed by `make
# clean`): a copy whose cells were edited is kept, never overwritten (delete it to get the book's
# current version). Trusted, so that saved widgets show as widgets before a cell is run. The
# copies are plain Markdown, so JupyterLab's own renderer shows them (book/lab-config switches
# jupyterlab-myst off here: it leaves the math inside a folded solution untypeset).
lab: $(STAMP)
	$(BIN)/python book/_ext/reader_notebooks.py lab lab
	$(BIN)/jupyter trust lab/*.ipynb $(TRANSLATIONS:%=lab/%/*.ipynb)
	JUPYTER_CONFIG_PATH="$(abspath book/lab-config):$(abspath book/_lab)$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))" \
	  $(BIN)/jupyter lab $(LAB_OPTIONS) lab/

# Authors: JupyterLab on notebooks/ themselves, the MyST source (then `make execute`).
lab-source: $(STAMP)
	$(BIN)/jupyter trust $(NOTEBOOKS)
	$(LAB_ENV) $(BIN)/jupyter lab $(LAB_OPTIONS) notebooks/

# Then written in the form JupyterLab saves them (book/_ext/notebook_form.py), so that opening a
# chapter in `make lab` leaves `git status` clean.
execute: $(STAMP)
	@for nb in $(NOTEBOOKS); do \
	  echo "executing $$nb"; \
	  OPENBLAS_NUM_THREADS=1 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=600 \
	    --ExecutePreprocessor.store_widget_state=True "$$nb" || exit 1; \
	done
	$(BIN)/python book/_ext/notebook_form.py $(NOTEBOOKS)

clean:
	rm -rf _build .pytest_cache .hypothesis
