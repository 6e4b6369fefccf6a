# Maillage — the two commands people need are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
MAILLAGE := .venv/bin/maillage
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install lint suite browser-deps check-python clean

run: setup ## Set everything up and serve Maillage on http://127.0.0.1:8000
	$(MAILLAGE) runserver $(HOST):$(PORT)

test: install browser-deps lint suite ## Set up, lint and run the whole suite (browser tests included)

setup: install ## Migrate, load the referential and demo data (idempotent)
	$(MAILLAGE) setup

install: .venv/.synced

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || \
	  { echo "Maillage a besoin de Python 3.11 (python3 --version). Installez-le : apt-get install python3.11 python3.11-venv"; exit 1; }

$(UV): | check-python
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"
	touch $@

uv.lock: pyproject.toml | $(UV)
	$(UV) lock --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=maillage.settings.test .venv/bin/python manage.py makemigrations --check --dry-run

suite: install
	.venv/bin/pytest $(PYTEST_ARGS)

# Browser tests drive Debian's chromium through Playwright (its own download can't work offline).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installation de chromium (Debian) pour les tests dans le navigateur…"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }); \
	  else \
	    echo "Les tests dans le navigateur ont besoin de Chromium : sudo apt-get install chromium (fournit /usr/bin/chromium)"; exit 1; \
	  fi; \
	fi
	@# WeasyPrint (PDF exports) needs HarfBuzz's subsetter; chromium usually brings it, a server may not.
	@if ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libharfbuzz-subset0; }); \
	  else \
	    echo "Les exports PDF ont besoin de HarfBuzz : sudo apt-get install libharfbuzz-subset0"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf .venv $(TOOLS) var/static
