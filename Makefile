# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ARGS ?=
# Compile the package as `pip install` would: an editable install leaves that to the first start,
# and an environment with PYTHONDONTWRITEBYTECODE would compile it again on every start.
BYTECODE = $(BIN)/python -m compileall -q cminbox >/dev/null

.PHONY: run test bench bench-scoring bench-sync clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "cminbox needs Python 3.11 or newer" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BYTECODE)
	touch $(STAMP)

run: $(STAMP)  ## open the live demo inbox (pass more options with ARGS="--speed 5")
	@$(BYTECODE)
	$(BIN)/cminbox --demo $(ARGS)

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest $(ARGS)

bench: $(STAMP)  ## print the inbox benchmark figures (ARGS="--sizes 100000")
	$(BIN)/python bench/bench_inbox.py $(ARGS)

bench-scoring: $(STAMP)  ## messages scored per second on one core (target 5,000)
	$(BIN)/python bench/bench_scoring.py

bench-sync: $(STAMP)  ## sync benchmark against local fake servers (ARGS="--items 5000")
	$(BIN)/python bench/bench_sync.py $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
