# Two commands set everything up: `make build` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
CANDOR  := $(VENV)/bin/candor
# Stamps make re-runs cheap: pip runs again only when pyproject.toml changes.
RUNTIME := $(VENV)/.runtime-installed
TESTENV := $(VENV)/.test-installed
SYSDEPS := $(VENV)/.system-installed

.PHONY: build test check check-changed lint typecheck bench serve clean install lint-workflows tests-needed

build: $(RUNTIME)
	$(CANDOR) build --out site

# Installs Candor; inside GitHub Actions it also puts .venv/bin on the PATH of the
# following steps, so the workflows run `candor ...` exactly as a person would.
install: $(RUNTIME)
	@if [ -n "$${GITHUB_PATH:-}" ]; then echo "$(CURDIR)/$(VENV)/bin" >> "$$GITHUB_PATH"; fi

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
	$(CANDOR) check --strict $(wildcard incidents/*.yaml incidents/*.yml)

lint: $(TESTENV)
	$(VENV)/bin/ruff check generator tests scripts
	$(VENV)/bin/ruff format --check generator tests scripts

typecheck: $(TESTENV)
	$(VENV)/bin/mypy

test: $(TESTENV) $(SYSDEPS) lint typecheck lint-workflows
	$(VENV)/bin/pytest -q

# actionlint and shellcheck (for run: scripts) come as binaries in PyPI wheels with
# the test extras; any finding fails.
lint-workflows: $(TESTENV)
	$(VENV)/bin/actionlint -shellcheck $(VENV)/bin/shellcheck -pyflakes ''

# The pull request's check on a laptop: every file, with --strict for the incident files,
# templates and mkdocs.yml that HEAD changes since BASE (what check.yml runs, HEAD^1 there).
check-changed: $(RUNTIME)
	$(CANDOR) check --changed-since '$(BASE)'

# Prints tests=true when HEAD changes code, tests or packaging since BASE; the pull
# request check runs the test suite only then. An unknown BASE also prints true.
BASE ?= origin/main
TEST_PATHS := generator theme tests scripts .github .ci Makefile pyproject.toml package.json
tests-needed:
	@if git diff --quiet $(BASE) HEAD -- $(TEST_PATHS); then echo tests=false; else echo tests=true; fi

bench: $(TESTENV) $(SYSDEPS)
	$(PY) scripts/bench.py --update BENCHMARKS.md

serve: $(RUNTIME)
	$(CANDOR) serve

clean:
	rm -rf $(VENV) site node_modules .pytest_cache .mypy_cache .ruff_cache
