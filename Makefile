# Maillage — the two commands people need are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
MAILLAGE := .venv/bin/maillage
DARP_KERNEL := var/darp-kernel.stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install lint suite browser-deps check-python clean

# The address people reach: links in emails and SMS point there (0.0.0.0 listens everywhere,
# so links use this machine's first address).
SITE_HOST = $(if $(filter 0.0.0.0,$(HOST)),$(shell hostname -I 2>/dev/null | cut -d' ' -f1),$(HOST))
RUN_ENV = MAILLAGE_SITE_URL=$${MAILLAGE_SITE_URL:-http://$(SITE_HOST):$(PORT)} MAILLAGE_TASKS_WORKER=1

# Background work (imports, planning, messages) runs in a worker, as in production, so pages
# show its progress; the worker stops with the server (Ctrl-C, or the server failing to start).
run: setup ## Set everything up and serve Maillage on http://$(HOST):$(PORT) with its worker
	@export $(RUN_ENV); \
	$(MAILLAGE) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	echo "Maillage : $$MAILLAGE_SITE_URL (tâches de fond : maillage worker, pid $$worker)"; \
	$(MAILLAGE) runserver $(HOST):$(PORT)

test: install browser-deps lint suite ## Set up, lint and run the whole suite (browser tests included)

setup: install $(DARP_KERNEL) ## Migrate, load the referential and demo data (idempotent)
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

# The dial-a-ride planner's compiled loops (numba, cached beside the source): compiled here once
# per change of the sources (about 10 s of CPU, 20 s more for the trip search), not at the first
# plan of `make run`'s worker or in each test worker at once.
$(DARP_KERNEL): maillage/transport/darp/kernel.py maillage/transport/darp/trip_kernel.py .venv/.synced
	@mkdir -p var
	.venv/bin/python -c "from maillage.transport.darp.kernel import warm_up; warm_up()"
	.venv/bin/python -c "from maillage.transport.darp.trip_kernel import warm_up; warm_up()"
	touch $@

uv.lock: pyproject.toml | $(UV)
	$(UV) lock --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')"

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=maillage.settings.test .venv/bin/python manage.py makemigrations --check --dry-run

# One pytest worker per core (pytest-xdist); each test module stays on one worker, so its
# module-scoped fixtures (the Charente communes, the permission world) load once. The test
# database is created fresh (`--create-db`): `.venv/bin/pytest --reuse-db` is for local runs.
TEST_WORKERS ?= auto
suite: install $(DARP_KERNEL)
	.venv/bin/pytest -n $(TEST_WORKERS) --dist loadscope --create-db $(PYTEST_ARGS)

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
