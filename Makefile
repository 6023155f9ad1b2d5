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
# also enforces 100% line and branch coverage of the pure domain package.
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest
	$(PY) tests/run_headless.py -q --cov=clinic_app.domain --cov-branch \
		--cov-report=term-missing:skip-covered --cov-fail-under=100

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

clean:
	rm -rf $(VENV) demo-data .pytest_cache .mypy_cache .ruff_cache
