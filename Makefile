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

.PHONY: run test install install-dev migrate demo serve worker beat lint format messages check-deploy clean fuzz security backup load faults bench

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

## make test: the whole test suite (SQLite by default; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
	$(BIN)/python manage.py compilemessages -l en --ignore=$(VENV)

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
