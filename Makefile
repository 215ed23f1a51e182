# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `make run PORT=8080` serves the demo on another port; the printed sign-in address follows it.
PORT ?= 8000

.PHONY: run test setup prerequisites lint typecheck pytest clean bench

# The demo runs in debug mode with two-factor sign-in off; the sign-in page says so.
run: export DEBUG = true
run: export REQUIRE_MFA = false
run: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo --port $(PORT)
	$(BIN)/python manage.py load_demo_network
	@# A worker runs background work (imports, reminders) and a scheduler queues the periodic
	@# tasks, beside the web server; all three stop together.
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup lint typecheck pytest

setup: prerequisites $(VENV)/.installed build/static/core/nhsuk.css

prerequisites:
	@PYTHON=$(PYTHON) scripts/check-prerequisites.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

build/static/core/nhsuk.css: node_modules/.installed frontend/nhsuk.scss
	npm run --silent build

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest

clean:
	rm -rf $(VENV) node_modules build var staticfiles

# The benchmark suite on a PostgreSQL database of its own (docs/performance.md). Not part
# of `make test`, which runs a small smoke run of it instead.
BENCH_DATABASE ?= healthtrainer_bench
bench: export DEBUG = true
bench: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo "Installing wrk for the loads" && { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }; } || { echo "make bench needs wrk for the loads: install it, e.g. 'apt-get install wrk'."; exit 1; }
	@pg_isready -q -h "$${PGHOST:-127.0.0.1}" -p "$${PGPORT:-5432}" || { echo "make bench needs PostgreSQL at $${PGHOST:-127.0.0.1}:$${PGPORT:-5432}: start it, or set PGHOST and PGPORT."; exit 1; }
	@psql -q -h "$${PGHOST:-127.0.0.1}" -p "$${PGPORT:-5432}" -U "$${PGUSER:-postgres}" -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_DATABASE)'" | grep -q 1 || psql -q -h "$${PGHOST:-127.0.0.1}" -p "$${PGPORT:-5432}" -U "$${PGUSER:-postgres}" -d postgres -c "CREATE DATABASE $(BENCH_DATABASE)"
	DATABASE_URL="postgres://$${PGUSER:-postgres}@$${PGHOST:-127.0.0.1}:$${PGPORT:-5432}/$(BENCH_DATABASE)" $(BIN)/python -m bench $(BENCH_ARGS)
