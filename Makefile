# The two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# make bench: QUICK=1 is one size and short runs; SIZES=1000,10000,100000 picks the sizes.
QUICK ?=
SIZES ?=
# make load: DATABASE=sqlite or postgres, DURATION seconds (20 by default), CLIENTS (4), SIZE.
DATABASE ?= sqlite

.PHONY: install run seed serve test lint format migrate openapi browser bench load clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(INSTALLED)

migrate: install
	$(BIN)/flask --app api db upgrade

run: migrate
	@echo "Conduit API: http://$(HOST):$(PORT)/api   docs: http://$(HOST):$(PORT)/docs"
	@echo "An empty database? 'make seed' fills it with demo users, articles and comments."
	$(BIN)/flask --app api run --host $(HOST) --port $(PORT)

# Demo data (deterministic); SEED_OPTIONS passes sizes, e.g. SEED_OPTIONS="--users 200 --seed 7".
seed: migrate
	$(BIN)/flask --app api seed $(SEED_OPTIONS)

# Production: gunicorn, configured by gunicorn.conf.py from the environment (README: Production).
serve: migrate
	$(BIN)/gunicorn -c gunicorn.conf.py "api:create_app()"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests drive Debian's chromium: install it when missing and this user may
# (root with apt-get); elsewhere they skip, unless REQUIRE_BROWSER=1 makes them mandatory.
browser:
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "chromium is missing: the browser tests will be skipped"; fi; }

# Bytecode is cached even where the environment says not to (PYTHONDONTWRITEBYTECODE): the
# suite starts about a hundred interpreters (gunicorn workers, modules imported alone), and
# each would compile the project again. The tests are shared out among a worker a core
# (pytest-xdist, at most four: each starts its own servers and databases); an idle worker
# takes tests queued on another.
test: lint browser
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest --numprocesses=auto --maxprocesses=4 --dist=worksteal

# The committed OpenAPI document, regenerated from the code (a test fails when they differ).
openapi: install
	$(BIN)/flask --app api openapi write --format=json openapi/openapi.json
	$(BIN)/flask --app api openapi write --format=yaml openapi/openapi.yaml

# The benchmark (README: Benchmark). It drives the servers with wrk, from Debian's packages:
# installed when missing and this user may (root with apt-get), otherwise asked for.
bench: install
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
		else echo "wrk is missing: install it (Debian: apt-get install wrk), then make bench again"; \
			exit 1; fi; }
	QUICK=$(QUICK) SIZES=$(SIZES) $(BIN)/python -m bench.run

# The mixed load (README: Benchmark): reads and writes at once on gunicorn, latency by kind of
# request; it fails when any request did.
load: install
	DATABASE=$(DATABASE) $(BIN)/python -m bench.mixed

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage
