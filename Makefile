# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Fixed inside the checkout (not overridable): `make demo` deletes this file before seeding.
override DEMO_DB := $(CURDIR)/demo-data/demo.sqlite3

.PHONY: run test lint demo screenshots bodymap bench clean setup

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependency list or the constraints change.
$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[postgres,test,dev]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(PY) -m clinic_app

# The whole suite, then every non-GUI test again with Qt made unimportable; that second run
# also enforces 100% line and branch coverage of the pure domain package. Tests that need
# PostgreSQL, a CUPS queue, poppler or qpdf skip when it is absent (the run ends with how
# many, and how to enable them) and fail under CI=true (.ci/run provides them all).
# Qt's GUI modules need a few system libraries (libEGL, fontconfig...). Without them the GUI
# tests cannot even be imported: only the headless run goes, and it says what to install
# (under CI=true it fails instead).
QT_CHECK ?= QT_QPA_PLATFORM=offscreen $(PY) -c "import PySide6.QtWidgets, PySide6.QtPrintSupport, PySide6.QtPdf"
QT_LIBS  := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
QT_OK     = $(shell $(QT_CHECK) >/dev/null 2>&1 && echo yes)
QT_SKIP   = Qt cannot load here: the $(shell find tests/ui -name 'test_*.py' | wc -l) GUI test files in tests/ui and the wheel test were not run. To run them: sudo apt-get install $(QT_LIBS)
QT_NO_GUI = echo "$(QT_SKIP)"; case "$$CI" in true|1|yes) echo "CI=true: the GUI tests must run"; exit 1;; esac
test: $(STAMP)
	$(if $(QT_OK),QT_QPA_PLATFORM=offscreen $(PY) -m pytest,@$(QT_NO_GUI))
	$(PY) tests/run_headless.py -q --cov=clinic_app.domain --cov-branch \
		--cov-report=term-missing:skip-covered --cov-fail-under=100
	$(if $(QT_OK),,@echo "$(QT_SKIP)")

# The long run of tests/reliability (several minutes; `make test` runs a short one): 60 SIGKILLs
# mid-save per backend, 4 writers x 300 writes per backend, a full disk, 6 PostgreSQL outages.
# Its figures are printed and written to build/reliability-figures.json (docs/reliability.md).
.PHONY: reliability
reliability: $(STAMP)
	mkdir -p build
	CLINIC_APP_RELIABILITY=long CLINIC_APP_RELIABILITY_FIGURES=build/reliability-figures.json \
		QT_QPA_PLATFORM=offscreen $(PY) -m pytest -o faulthandler_timeout=3600 -m reliability \
		tests/reliability

lint: $(STAMP)
	$(VENV)/bin/ruff check clinic_app tests scripts $(wildcard benchmarks)
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

demo: $(STAMP)
	mkdir -p $(dir $(DEMO_DB))
	rm -f "$(DEMO_DB)" "$(DEMO_DB)-wal" "$(DEMO_DB)-shm"
	$(PY) -m clinic_app seed-demo --db "sqlite:///$(DEMO_DB)"
	$(PY) -m clinic_app --db "sqlite:///$(DEMO_DB)"

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshots.py

# Rebuild the body-map drawings (resources/anatomy/bodymap/*.svg) from their control points in
# clinic_app/bodymap_builder, then check them; commit the SVGs with the geometry change.
bodymap: $(STAMP)
	$(PY) -m clinic_app.bodymap_builder

# The speed benchmarks (benchmarks/README.md): each prints its figures against its target and
# appends them, with this machine's description, to benchmarks/results.md.
# `make bench` (the small synthetic clinic, 1,000 patients) or `make bench SIZE=medium|clinic`
# (10,000 / 100,000 patients; the clinic size takes several minutes to build once, kept under
# build/bench/). Results are printed; `make bench RECORD=1` also writes them into
# benchmarks/results.md and benchmarks/results/*.json. The growth benchmark measures the
# search (every kind of query), chart-open and database size at every size up to SIZE. With
# CLINIC_APP_BENCH_PG_URL set to a PostgreSQL database it may fill, the growth and the checks
# are measured there too.
SIZE ?= small
bench: $(STAMP)
	CLINIC_APP_BENCH_RECORD=$(RECORD) QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.bench_bodymap
	CLINIC_APP_BENCH_RECORD=$(RECORD) QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.bench_open_encounter
	CLINIC_APP_BENCH_RECORD=$(RECORD) $(PY) -m benchmarks.bench_handout
	CLINIC_APP_BENCH_RECORD=$(RECORD) QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.bench_growth --upto $(SIZE)
	CLINIC_APP_BENCH_RECORD=$(RECORD) $(PY) -m benchmarks.bench_checks
	CLINIC_APP_BENCH_RECORD=$(RECORD) QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.bench_startup
	CLINIC_APP_BENCH_RECORD=$(RECORD) QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.bench_memory
	CLINIC_APP_BENCH_RECORD=$(RECORD) QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.bench_action_count

clean:
	rm -rf $(VENV) demo-data .pytest_cache .mypy_cache .ruff_cache
