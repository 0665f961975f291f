# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export SB_ASP_HOME ?= $(CURDIR)/.sb-asp

.PHONY: install demo test lint ui bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(BIN)/sb-asp demo

test: install
	$(BIN)/pytest -n 2 -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy sb_asp_pipeline

# The UI and the daemon (schedule, sensor, run queue, run monitoring) on one instance, with the
# project's dagster.yaml: the same instance the CLI and the demo write their runs into.
ui: install
	mkdir -p $(SB_ASP_HOME)/dagster
	cp dagster.yaml $(SB_ASP_HOME)/dagster/dagster.yaml
	DAGSTER_HOME=$(SB_ASP_HOME)/dagster $(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1

clean:
	rm -rf $(VENV) .sb-asp

bench: install
	$(BIN)/python benchmarks/bench_sync.py --sessions 2000 --speakers 800
