# On a fresh machine with Python 3.11+ and make:
#   make demo   a simulated team over 8 weeks, no Slack needed: prints a transcript, writes demo-report.html
#   make test   creates .venv, installs the project, runs the whole suite (SQLite; PostgreSQL too
#               when TEST_DATABASE_URL is set)
#   make run    serves the app from a .env file
#   make bench  every benchmark, then their headline figures beside the targets (BENCH_ARGS=--quick)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint run migrate bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m bot demo $(DEMO_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

run: $(STAMP)
	@test -f .env || { echo "No .env here: copy .env.example to .env and fill in your Slack app's secrets."; exit 1; }
	$(BIN)/python -m bot migrate
	$(BIN)/python -m bot web

bench: $(STAMP)
	$(BIN)/python bench/all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
