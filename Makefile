# Front door of the project. `make report` builds the example report, `make test` runs
# every test; both create the virtual environment they need on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIPELINE ?= pipelines/trondelag-2021.yml
STAMP  := $(VENV)/.installed

.PHONY: documents help venv report validate facts test test-fast lint lab browser benchmark clean

help:
	@echo "make report     build the example report (reports/_build/trondelag-2021/)"
	@echo "make test       run the whole test suite"
	@echo "make test-fast  run the tests that need no notebook, build or browser (under 30 s on 2 cores)"
	@echo "make validate   validate the example data"
	@echo "make facts      print the example report's computed facts"
	@echo "make lab        open the chapter notebooks in JupyterLab"
	@echo "make benchmark  run the build benchmarks (benchmarks/README.md)"
	@echo "make lint       run ruff"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 > /dev/null
	touch $(STAMP)

venv: $(STAMP)

report: $(STAMP)
	$(BIN)/lnreport build $(PIPELINE)

validate: $(STAMP)
	$(BIN)/lnreport validate $(PIPELINE)

facts: $(STAMP)
	$(BIN)/lnreport facts $(PIPELINE)

browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
		echo "installing Debian's chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; \
	fi

# pdftoppm and LibreOffice draw the first pages of the PDF and the DOCX for the tests
# (skipped with a hint where they are missing).
documents:
	@if { ! command -v pdftoppm > /dev/null || ! command -v libreoffice > /dev/null; } \
		&& [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
		echo "installing poppler-utils and LibreOffice Writer for the page pictures"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends poppler-utils libreoffice-writer-nogui > /dev/null; \
	fi

# Two workers, each test file on one of them (a file's shared build is made once).
test: $(STAMP) browser documents
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not browser"

lint: $(STAMP)
	$(BIN)/ruff check .

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf reports/_build reports/_cache
