# kubesim: `make demo` runs the walkthrough, `make test` the whole suite, `make bench` the timings.
# Everything is installed into .venv from PyPI; nothing else needs to be on the machine but python3.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench graph clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# bin/kubesim is copied into the venv at install time, so a new launcher needs a new install.
$(VENV)/.runtime-installed: pyproject.toml bin/kubesim | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . --config-settings editable_mode=compat
	touch $@

$(VENV)/.test-installed: pyproject.toml bin/kubesim | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
	touch $@ $(VENV)/.runtime-installed

demo: $(VENV)/.runtime-installed
	$(BIN)/python -m compileall -q kubesim
	PATH="$(CURDIR)/$(BIN):$$PATH" bash demo/walkthrough.sh

lint: $(VENV)/.test-installed
	$(BIN)/ruff check kubesim tests bench tools

test: $(VENV)/.test-installed lint
	$(BIN)/python -m pytest

# Byte-compile first: start-up is most of what a command costs, and some environments set
# PYTHONDONTWRITEBYTECODE, which would make every run compile kubesim again.
bench: $(VENV)/.test-installed
	$(BIN)/python -m compileall -q kubesim
	$(BIN)/python bench/bench.py

# The picture in README's "When a service doesn't answer", drawn by kubesim graph -o svg.
graph: $(VENV)/.runtime-installed
	PATH="$(CURDIR)/$(BIN):$$PATH" bash docs/graph.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
