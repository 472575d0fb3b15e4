# Two commands do all the set-up on a fresh machine with only python3:
#   make report   runs the notebooks on the embedded data and writes build/report/
#   make test     runs the linter, the unit tests, the doctests and nbval over every notebook
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

.PHONY: all install test report notebooks bench validate lint clean

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

# Re-execute every notebook top to bottom and store its outputs (the only way outputs change).
notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/import_time.py
	$(BIN)/python benchmarks/quantities.py
	$(BIN)/python benchmarks/national_panel.py
	$(BIN)/python benchmarks/panel_models.py

clean:
	rm -rf build .pytest_cache .hypothesis
