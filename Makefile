# Two commands: `make run` serves a live demo blog; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_VERSION = $(shell ls /etc/postgresql 2>/dev/null | head -n1)

.PHONY: run test lint typecheck services browser install install-test bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Serve http://127.0.0.1:8000 with a live demo blog (SQLite in ./data).
run: install
	$(BIN)/bulletin serve --demo

## Everything CI checks: lint, types, and the whole test suite (SQLite, PostgreSQL, Redis, Chromium).
test: install-test node_modules/axe-core/axe.min.js services browser lint typecheck
	$(BIN)/python -m pytest

lint: install-test node_modules/axe-core/axe.min.js
	$(BIN)/ruff check src tests bench
	npx --no-install eslint src/bulletin/static
	npx --no-install prettier --check src/bulletin/static/desk

typecheck: install-test
	$(BIN)/mypy

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $(PG_VERSION) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

## axe-core (accessibility tests), eslint and prettier (scripts), exactly as package-lock.json pins them.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

bench: install-test
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/media.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
