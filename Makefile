# quizsite: `make run` serves the site with the shipped banks; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test lint lock migrate seed bench worker beat multinode

install: $(STAMP)

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable

seed: migrate
	$(BIN)/python manage.py seed

run: seed
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Scale-out only (QUIZSITE_BROKER_URL set): a job worker, and the scheduler of periodic jobs.
worker: install
	$(BIN)/celery -A quizsite worker --loglevel INFO --concurrency $(or $(CONCURRENCY),2)

beat: install
	$(BIN)/celery -A quizsite beat --loglevel INFO --schedule $(or $(BEAT_SCHEDULE),celerybeat-schedule)


# axe-core for the browser tests' accessibility checks, pinned by tests/browser/package-lock.json.
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

test: install $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Two gunicorn nodes, a Celery worker, PostgreSQL and Redis on this machine (loopback only).
multinode: install
	$(BIN)/python -m pytest -m multinode tests/multinode -p no:cacheprovider

# Benchmarks on a database of their own (bench/bench.sqlite3, or DATABASE_URL's name + _bench);
# QUICK=1 runs the same at a small scale in under two minutes.
bench: install
	$(BIN)/python -m bench $(if $(QUICK),--quick)

# Regenerate the pinned lock file after changing pyproject.toml.
lock:
	$(BIN)/pip-compile --quiet --extra dev --strip-extras -o requirements.lock pyproject.toml
