# The two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint format migrate openapi clean

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
	$(BIN)/flask --app api run --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

# The committed OpenAPI document, regenerated from the code (a test fails when they differ).
openapi: install
	$(BIN)/flask --app api openapi write --format=json openapi/openapi.json
	$(BIN)/flask --app api openapi write --format=yaml openapi/openapi.yaml

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage
