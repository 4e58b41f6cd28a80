# Tanlov — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml 2>/dev/null | sha1sum | cut -c1-12)

.PHONY: run test test-faults install test-deps test-system system-deps lint format audit messages bench clean

run: install ## install what is missing, migrate, load the demo and serve on :8000
	@scripts/run_local.sh

test: install test-deps ## the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
	$(BIN)/pytest $(PYTEST_ARGS)

# The fault tests (tests/faults, marker `faults`): they start their own PostgreSQL cluster,
# Redis, S3, Celery workers and gunicorn on free ports and break them mid-work. `make test`
# deselects them (and says so); they need PostgreSQL for the test database.
FAULTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tanlov_faults
test-faults: install test-deps ## the fault tests, on PostgreSQL (services stopped mid-work)
	DATABASE_URL=$${DATABASE_URL:-$(FAULTS_DATABASE_URL)} $(BIN)/pytest -m faults tests/faults $(PYTEST_ARGS)

install: system-deps $(STAMP)

# What only the suite needs: Chromium, npm and Redis (Debian, installed when run as root;
# otherwise the exact command is printed and make stops), axe-core (npm), a running Redis.
# Nothing is skipped for want of them: a missing one stops `make test` here.
test-deps: test-system node_modules/axe-core/axe.min.js
	@scripts/ensure_redis.sh

test-system: install
	@scripts/ensure_system.sh --test

node_modules/axe-core/axe.min.js: package.json package-lock.json | test-system
	@command -v npm >/dev/null || { echo "npm not found; install it with: sudo apt-get install -y npm" >&2; exit 1; }
	npm install --no-audit --no-fund --silent
	@test -f $@ || { echo "npm install did not provide $@" >&2; exit 1; }
	@touch $@

system-deps:
	@scripts/ensure_system.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

audit: install ## pip-audit over the pinned set; fails on a vulnerability with a fixed release
	@scripts/audit.sh

messages: install ## refresh the .po catalogues from the code, then compile them
	$(BIN)/python manage.py makemessages -l uz -l ru -l en --ignore=.venv --ignore=var --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: install ## every bench at a small size; fails when a ratio crosses its goal (bench/README.md)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf var/*.sqlite3* var/static
