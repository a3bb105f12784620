# Two commands set everything up: `make build` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
CANDOR  := $(VENV)/bin/candor
# Stamps make re-runs cheap: pip runs again only when pyproject.toml changes.
RUNTIME := $(VENV)/.runtime-installed
TESTENV := $(VENV)/.test-installed
SYSDEPS := $(VENV)/.system-installed

.PHONY: build test check lint typecheck bench serve clean

build: $(RUNTIME)
	$(CANDOR) build --out site

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(RUNTIME): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(TESTENV): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# Debian's chromium (browser tests), Java (Nu HTML checker), newsboat (a real
# feed reader) and the npm packages the tests drive: see scripts/install-test-deps.sh.
$(SYSDEPS): scripts/install-test-deps.sh package.json
	bash scripts/install-test-deps.sh
	touch $@

check: $(RUNTIME)
	$(CANDOR) check --strict

lint: $(TESTENV)
	$(VENV)/bin/ruff check generator tests scripts
	$(VENV)/bin/ruff format --check generator tests scripts

typecheck: $(TESTENV)
	$(VENV)/bin/mypy

test: $(TESTENV) $(SYSDEPS) lint typecheck
	$(VENV)/bin/pytest -q

bench: $(TESTENV)
	$(PY) scripts/bench.py

serve: $(RUNTIME)
	$(CANDOR) serve

clean:
	rm -rf $(VENV) site node_modules .pytest_cache .mypy_cache .ruff_cache
