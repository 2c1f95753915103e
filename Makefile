# 山海协作工作台. Quick start: `make run` (demo on SQLite at http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Django 6 needs Python 3.12+: take the first such interpreter found (pyenv's included);
# on a machine with only 3.11 the same code installs Django 5.2 LTS.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.14 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null) python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; exit; fi; done; echo python3)

.PHONY: run test test-fast install install-dev migrate demo serve worker beat lint format messages check-deploy clean fuzz security backup load faults bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

serve: install
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make run: venv, install, migrate, demo data, serve (SQLite and in-process Celery unless DATABASE_URL/REDIS_URL are set)
run: demo serve

# Processes of the parallel pass of `make test` (pytest-xdist; each has a test database of its own).
TEST_WORKERS ?= 2

# $(call pytest_twice,MARKS): pytest in TEST_WORKERS processes on the tests not marked `serial`, then
# the `serial` ones alone (they restart or kill services, count workers, run load, measure time).
# MARKS ("not slow and") narrows both passes; PYTEST_ARGS reaches both (a -m of its own replaces
# ours). Both passes always run. Exit status 5 (no tests collected) of one pass is no failure, as a
# selection may fall entirely in the other; any other non-zero status fails, as does a selection
# that collects nothing at all.
define pytest_twice
	@parallel=0; serial=0; \
	set -x; \
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal -m "$(strip $(1) not serial)" $(PYTEST_ARGS) || parallel=$$?; \
	$(BIN)/python -m pytest -m "$(strip $(1) serial)" $(PYTEST_ARGS) -n 0 || serial=$$?; \
	{ set +x; } 2>/dev/null; \
	echo "make test: exit status $$parallel (parallel pass), $$serial (serial pass)"; \
	for status in $$parallel $$serial; do \
		if [ $$status -ne 0 ] && [ $$status -ne 5 ]; then exit $$status; fi; \
	done; \
	if [ $$parallel -eq 5 ] && [ $$serial -eq 5 ]; then exit 5; fi
endef

## make test: the whole test suite (SQLite by default; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set), in TEST_WORKERS processes, then the `serial` tests alone
test: install-dev
	$(call pytest_twice,)

## make test-fast: the same without the tests marked `slow` (over ~10 s each)
test-fast: install-dev
	$(call pytest_twice,not slow and)

worker: install
	$(BIN)/celery -A shanhai worker --loglevel=info

beat: install
	$(BIN)/celery -A shanhai beat --loglevel=info

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh the English catalogue from the sources and compile it (needs gettext)
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=$(VENV) --ignore=staticfiles --no-obsolete
	$(BIN)/python manage.py compilemessages -l en -l zh_Hans --ignore=$(VENV)

check-deploy: install
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-shanhai.example.gov.cn} $(BIN)/python manage.py check --deploy --fail-level WARNING

## make fuzz: long API fuzzing run (100 examples per operation, invalid data too, shrinking)
fuzz: install-dev
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} FUZZ_NEGATIVE=1 $(BIN)/python -m pytest tests/security/test_api_fuzz.py -q -p no:cacheprovider

## make security: permission matrix, CI-size fuzzing, hardening, backup test, CSP browser test
security: install-dev
	$(BIN)/python -m pytest tests/security tests/browser/test_security_csp.py tests/test_settings.py -q

## make backup: pg_dump (custom format) of DATABASE_URL and an archive of MEDIA_ROOT into backups/
backup:
	mkdir -p backups
	pg_dump --format=custom --no-owner --file "backups/shanhai-$$(date +%F).dump" "$$DATABASE_URL"
	tar -czf "backups/shanhai-media-$$(date +%F).tar.gz" -C "$$(dirname $${MEDIA_ROOT:-media})" "$$(basename $${MEDIA_ROOT:-media})"

## make load: the longer load run — locust against gunicorn + PostgreSQL (LOAD_USERS, LOAD_TIME)
load: install-dev
	$(BIN)/python loadtest/run.py --users $${LOAD_USERS:-30} --spawn-rate 2 --run-time $${LOAD_TIME:-5m}

## make faults: fault injection and the short load run (DATABASE_URL=postgres://…, redis-server, PostgreSQL binaries)
faults: install-dev
	$(BIN)/python -m pytest tests/faults tests/load $(PYTEST_ARGS)

## make bench: synthetic province (100 pairings × 500 tasks) in databases of its own; figures → benchmarks/results/<date>.json (SQLite, or PostgreSQL with DATABASE_URL)
bench: install-dev
	BENCHMARKS=1 $(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
