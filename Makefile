# Two commands do all the set-up on a fresh machine with only python3:
#   make report   runs the notebooks on the embedded data and writes build/report/
#   make test     runs the linter, the unit tests, the doctests and nbval over every notebook
# and two more for people and CI:
#   make lab      starts JupyterLab on the notebooks (prints the URL with its token)
#   make browser  real-browser tests of the lab and the report in Debian's chromium
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Fixed environment so that notebook outputs are the same on every machine.
export TZ := UTC
export LC_ALL := C.UTF-8
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all install test report notebooks bench validate lint clean lab browser chromium libreoffice

all: test

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV) (first time: a few minutes, nothing is printed while pip works) …"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[notebooks,test]'
	touch $@

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/sswanalysis validate

report: $(STAMP)
	$(BIN)/sswanalysis report --out build/report

# JupyterLab on the notebooks: kernel "Python (sswanalysis)", bundled CJK font, 127.0.0.1 only;
# prints the URL with its token (no browser is opened: it works on a machine without a display).
lab: $(STAMP)
	$(BIN)/sswanalysis lab

# Debian's chromium for the browser tests, installed only when missing (CI runs as root and
# reaches the Debian archive; Playwright's own browser download is never used).
chromium:
	@[ -n "$${SSWANALYSIS_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	  else \
	    echo "make browser: no chromium; install it with 'sudo apt-get install chromium'" \
	         "(or set SSWANALYSIS_CHROMIUM to a Chromium binary)" >&2; exit 1; \
	  fi; }

# Debian's LibreOffice Calc (no GUI), installed only when missing (CI runs as root): the test that
# recalculates the planners' workbook, as Excel would after a planner changes N, needs it. Without
# it `make test` skips that one test and says why; .ci/run installs it first.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui; \
	  else \
	    echo "make libreoffice: no soffice; install it with 'sudo apt-get install libreoffice-calc-nogui'" >&2; exit 1; \
	  fi; }

# Playwright drives chromium: JupyterLab runs notebook 01 through its interface, and every page
# of a freshly built report is checked from file://. Screenshots: build/e2e/. Not part of
# `make test` (pytest leaves the `browser` marker out); .ci/run runs both.
browser: $(STAMP) chromium report
	$(BIN)/python -m pytest -m browser tests/browser

# Re-execute every notebook top to bottom and store its outputs (the only way outputs change).
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/import_time.py
	$(BIN)/python benchmarks/quantities.py
	$(BIN)/python benchmarks/national_panel.py
	$(BIN)/python benchmarks/panel_models.py
	$(BIN)/python benchmarks/validate_big.py

clean:
	rm -rf build .pytest_cache .hypothesis
