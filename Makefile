# The two commands of the project: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test init bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps record what was installed, so a second `make` skips pip unless pyproject.toml changed.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

init: $(VENV)/.installed-run
	$(BIN)/complaints init

run: init
	$(BIN)/complaints serve --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Figures, not pass/fail: filings per second against a bare insert, and sweep time for 10^4..10^6
# open cases against a bare UPDATE, on SQLite and PostgreSQL (about two minutes).
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.intake
	$(BIN)/python -m bench.sweep

clean:
	rm -rf $(VENV) build *.egg-info
