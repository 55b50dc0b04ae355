# civichub — two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-slow bench soak lint messages lock check-translations clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "civichub needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.prod-installed: requirements/prod.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/prod.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt requirements/prod.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/dev.txt
	touch $(VENV)/.prod-installed $@

## make run: set everything up and serve the portal with demo content on http://127.0.0.1:$(PORT)
run: $(VENV)/.prod-installed
	PORT=$(PORT) bash scripts/serve.sh

## make test: install the development dependencies and run the suite (all but the tests marked slow)
test: $(VENV)/.dev-installed
	CIVICHUB_TESTING=true $(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## make test-slow: the tests make test leaves out: those that start pytest or Django in a subprocess, and the
## bench harness's own (CI runs them once, on SQLite)
test-slow: $(VENV)/.dev-installed
	CIVICHUB_TESTING=true $(BIN)/pytest -m slow -n 2 --dist loadgroup $(PYTEST_ARGS)

## make bench: load benchmark and page budgets (see docs/performance.md); installs the benchmarks app
## (CIVICHUB_BENCH=true) for its own processes only
bench: $(VENV)/.dev-installed
	bash scripts/bench.sh

## make soak: the mixed scenario against web workers, task worker and scheduler for SOAK_MINUTES (default 10), on
## loopback; each process's memory at start and end and the error count go into docs/performance.md ("Soak")
SOAK_MINUTES ?= 10
soak: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.soak --minutes $(SOAK_MINUTES) --markdown docs/performance.md

## make lint: the gates CI runs before the tests: lint, format, app boundaries, types, dead code
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/vulture

## make messages: refresh the translation catalogues after changing strings, then translate and compile
messages: $(VENV)/.dev-installed
	$(BIN)/python manage.py makemessages -l ka -l en --no-location --no-obsolete --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

check-translations: $(VENV)/.dev-installed
	$(BIN)/python scripts/check_translations.py

lock: $(VENV)/.dev-installed
	$(BIN)/python scripts/lock.py

clean:
	rm -rf var/static var/mail
