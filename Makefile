# Every target creates .venv and installs the project (with test extras) when missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint manifests bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	@echo "Sandbox MCP server (streamable HTTP): http://$(HOST):$(PORT)/mcp"
	@echo "  Claude Code:  claude mcp add --transport http projectops http://$(HOST):$(PORT)/mcp"
	@echo "  Inspector:    npx @modelcontextprotocol/inspector  (URL above, transport 'Streamable HTTP')"
	@echo "  Health:       curl http://$(HOST):$(PORT)/healthz"
	$(BIN)/projectops-mcp serve --sandbox --transport http --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/projectops-mcp manifests --check

manifests: install
	$(BIN)/projectops-mcp manifests --write

bench: install
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run_all.py

fuzz: install
	$(BIN)/python bench/fuzz.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist
